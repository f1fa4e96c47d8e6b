using System.Diagnostics;
using System.Net;
using System.Text;

namespace OrderActors.Harness;

/// <summary>
/// A real OrderActors node in its own process (the built OrderActors.Node.dll, or <see cref="NodeDll"/>), on free
/// loopback ports, with its SQLite journal in a data dir of its own. It can be killed with SIGKILL and started again
/// on the same data dir. A node that is not ready in time is a failure, with its log (and, with
/// <see cref="DumpOnTimeout"/>, a dump) as evidence: it is never started again behind the caller's back, which would
/// hide a start-up hang.
/// </summary>
public sealed class NodeProcess : IAsyncDisposable
{
    private readonly StringBuilder _log = new();
    private Process? _process;

    public NodeProcess(string? dataDir = null, params string[] extraArgs)
    {
        DataDir = dataDir ?? Path.Combine(Path.GetTempPath(), "orderactors-test-" + Guid.NewGuid().ToString("N")[..8]);
        (HttpPort, ClusterPort) = LoopbackPorts.TwoFree();
        ExtraArgs = extraArgs;
        _http = new Lazy<HttpClient>(() => new HttpClient { BaseAddress = Url, Timeout = TimeSpan.FromSeconds(60) });
    }

    private readonly Lazy<HttpClient> _http;
    private readonly string? _listenOn;

    public string DataDir { get; }
    public int HttpPort { get; }
    public int ClusterPort { get; }
    public string[] ExtraArgs { get; }
    public HttpClient Http => _http.Value;

    /// <summary>The node's address: HTTP and the cluster link are on it (default loopback).</summary>
    public string Address { get; init; } = "127.0.0.1";

    /// <summary>The network namespace the node runs in (<c>ip netns exec</c>), if not the caller's.</summary>
    public string? NetworkNamespace { get; init; }

    public Uri Url => new($"http://{Address}:{HttpPort}");

    /// <summary>The address HTTP listens on (<c>0.0.0.0</c>: every interface); <see cref="Http"/> calls it on <see cref="Address"/>.</summary>
    public string ListenOn { get => _listenOn ?? Address; init => _listenOn = value; }

    /// <summary>The node to run (default: OrderActors.Node built in the caller's configuration).</summary>
    public string? NodeDll { get; init; }

    /// <summary>Environment variables of the node process, beside workstation GC (the default of tests).</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>On a start timeout, write a dump of the hung node (with the runtime's createdump) before killing it.</summary>
    public bool DumpOnTimeout { get; init; }

    /// <summary>Keep the data dir and the log when disposed.</summary>
    public bool Keep { get; init; }

    public int Pid => _process?.Id ?? throw new InvalidOperationException("the node is not started");

    /// <summary>Resident and peak resident memory of the node process, in MB (Linux /proc).</summary>
    public (double RssMb, double PeakMb) Memory() => ProcessMemory.Read(Pid);
    public bool IsRunning => _process is { HasExited: false };

    /// <summary>The exit code, once the process has exited.</summary>
    public int? ExitCode => _process is { HasExited: true } process ? process.ExitCode : null;

    public string LogTail
    {
        get
        {
            lock (_log)
            {
                var text = _log.ToString();
                return text.Length > 12000 ? text[^12000..] : text;
            }
        }
    }

    /// <summary>Whether the node has logged <paramref name="text"/>, anywhere in its log (not only its tail).</summary>
    public bool Logged(string text)
    {
        lock (_log) return _log.ToString().Contains(text, StringComparison.Ordinal);
    }

    public static async Task<NodeProcess> StartAsync(string? dataDir = null, params string[] extraArgs)
    {
        var node = new NodeProcess(dataDir, extraArgs);
        await node.StartAsync();
        return node;
    }

    /// <summary>
    /// Starts the process and waits until <c>/healthz/ready</c> answers 200. A node that is not ready in time fails the
    /// test, with the tail of its log in the message and the whole of it in <see cref="LogFile"/>: it is killed, never
    /// started again (a restart would hide a start-up hang, and after a kill -9 that is the very path under test).
    /// </summary>
    public async Task StartAsync(TimeSpan? timeout = null)
    {
        try
        {
            await StartOnceAsync(timeout ?? TimeSpan.FromSeconds(60));
        }
        catch (TimeoutException e) when (DumpOnTimeout)
        {
            var dump = await DumpAsync(_process!.Id);
            Kill();
            throw new TimeoutException($"{e.Message}\n({dump})", e);
        }
        catch (TimeoutException)
        {
            Kill();
            throw;
        }
    }

    private async Task StartOnceAsync(TimeSpan timeout)
    {
        Launch();
        var deadline = DateTime.UtcNow + timeout;
        using var tick = new PeriodicTimer(TimeSpan.FromMilliseconds(200));
        while (await tick.WaitForNextTickAsync())
        {
            if (_process!.HasExited)
                throw new InvalidOperationException($"the node exited with code {_process.ExitCode}:\n{LogTail}");
            try
            {
                using var response = await Http.GetAsync("/healthz/ready");
                if (response.StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"the node :{HttpPort} was not ready within {timeout.TotalSeconds:N0} s; its log ends:\n{LogTail}");
        }
    }

    /// <summary>Starts the process and returns at once: for a node that is not meant to become ready (one refused by the cluster).</summary>
    public void Launch()
    {
        // ip netns exec runs the node in place of itself: the process is the node's, for kill -9 as for the rest
        var info = new ProcessStartInfo(NetworkNamespace is null ? Repo.DotnetHost : "ip")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var inNamespace = NetworkNamespace is null ? [] : new[] { "netns", "exec", NetworkNamespace, Repo.DotnetHost };
        var host = Address == "127.0.0.1" ? [] : new[] { "--cluster-host", Address };
        foreach (var arg in inNamespace.Concat([
                     NodeDll ?? Repo.Built("OrderActors.Node", "OrderActors.Node.dll"), "--urls", $"http://{ListenOn}:{HttpPort}", "--data-dir", DataDir,
                     "--cluster-port", ClusterPort.ToString(), .. host,
                 ]).Concat(ExtraArgs))
            info.ArgumentList.Add(arg);
        info.Environment["DOTNET_gcServer"] = "0";
        foreach (var (key, value) in Environment) info.Environment[key] = value;

        _process?.Dispose(); // an earlier run of this node, killed or exited
        _process = Process.Start(info) ?? throw new InvalidOperationException("could not start the node");
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>SIGTERM (what systemd and docker send): the node leaves gracefully. Returns its exit code.</summary>
    public async Task<int> TerminateAsync(TimeSpan timeout)
    {
        using (var kill = Process.Start("kill", ["-TERM", _process!.Id.ToString()])) await kill.WaitForExitAsync();
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        return _process.ExitCode;
    }

    /// <summary>kill -9: no shutdown hooks, no flushing, nothing.</summary>
    public void Kill()
    {
        if (_process is null || _process.HasExited) return;
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit(10_000);
    }

    public async ValueTask DisposeAsync()
    {
        Kill();
        _process?.Dispose();
        if (_http.IsValueCreated) Http.Dispose();
        await Task.Yield();
        if (Keep) return;
        try
        {
            if (Directory.Exists(DataDir)) Directory.Delete(DataDir, recursive: true);
            File.Delete(LogFile);
        }
        catch (IOException)
        {
            // best effort: a temp dir
        }
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_log)
        {
            _log.AppendLine(line);
            try
            {
                File.AppendAllText(LogFile, line + "\n");
            }
            catch (IOException)
            {
                // the file system is full (a test may fill it on purpose): the tail stays in memory
            }
        }
    }

    /// <summary>The node's whole output while it runs, beside (not in) its data dir; deleted with the data dir.</summary>
    public string LogFile => DataDir.TrimEnd('/') + ".log";

    /// <summary>Writes a dump of a hung node with the runtime's createdump (for dotnet-dump), if the runtime has it.</summary>
    private static async Task<string> DumpAsync(int pid)
    {
        var createdump = Path.Combine(Path.GetDirectoryName(typeof(object).Assembly.Location)!, "createdump");
        if (!File.Exists(createdump)) return "no createdump in this runtime, no dump";
        var file = Path.Combine(Path.GetTempPath(), $"orderactors-hung-node-{pid}.dmp");
        var (exit, _, err) = await Repo.RunProgramAsync(createdump, ["-f", file, pid.ToString()]);
        return exit == 0 ? $"dump: {file}" : $"createdump failed ({exit}): {err.Trim()}";
    }
}
