using System.Diagnostics;

namespace OrderActors.Bench;

/// <summary>Publishes (or takes a built) OrderActors.Node and runs it in its own process on a temp data dir.</summary>
public sealed class NodeLauncher : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _workDir;
    private readonly bool _keep;

    private NodeLauncher(Process process, string workDir, string dataDir, Uri url, bool keep)
    {
        _process = process;
        _workDir = workDir;
        DataDir = dataDir;
        Url = url;
        _keep = keep;
    }

    public Uri Url { get; }
    public int Pid => _process.Id;
    public string DataDir { get; }

    public static async Task<NodeLauncher> StartAsync(string? nodeDll, bool keep, TextWriter log)
    {
        var workDir = Path.Combine(Path.GetTempPath(), "orderactors-bench-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(workDir);
        if (nodeDll is null)
        {
            var root = Repo.Root;
            var output = Path.Combine(workDir, "node");
            log.WriteLine($"publishing OrderActors.Node (Release) to {output} ...");
            await RunAsync("dotnet", ["publish", Path.Combine(root, "src", "OrderActors.Node"), "-c", "Release", "-o", output, "--nologo", "-v", "q"]);
            nodeDll = Path.Combine(output, "OrderActors.Node.dll");
        }

        // A node that is not ready in time is a failure of the run, with its log and a dump as evidence: never
        // started again behind the caller's back (that would hide a start-up hang).
        return await LaunchAsync(nodeDll, workDir, keep, TimeSpan.FromSeconds(120));
    }

    private static async Task<NodeLauncher> LaunchAsync(string nodeDll, string workDir, bool keep, TimeSpan timeout)
    {
        var (httpPort, clusterPort) = LoopbackPorts.TwoFree();
        var info = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        var dataDir = Path.Combine(workDir, "data-" + Guid.NewGuid().ToString("N")[..6]);
        foreach (var arg in new[]
                 {
                     nodeDll, "--urls", $"http://127.0.0.1:{httpPort}", "--data-dir", dataDir,
                     "--cluster-port", clusterPort.ToString(),
                 })
            info.ArgumentList.Add(arg);
        // Start-up is logged (a few lines); once running the node logs little, so this costs nothing measurable.
        info.Environment["Logging__LogLevel__Default"] = "Information";
        // As the Dockerfile runs a node: hot methods are optimised without waiting for start-up compilation to pause.
        info.Environment["DOTNET_TC_CallCountingDelayMs"] = "0";
        var process = Process.Start(info)!;
        var tail = new Queue<string>();
        void Keep(string? line)
        {
            if (line is null) return;
            lock (tail)
            {
                tail.Enqueue(line);
                if (tail.Count > 60) tail.Dequeue();
            }
        }
        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var node = new NodeLauncher(process, workDir, dataDir, new Uri($"http://127.0.0.1:{httpPort}"), keep);
        using var http = new HttpClient { BaseAddress = node.Url, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (process.HasExited) throw new InvalidOperationException($"the node exited ({process.ExitCode}):\n{string.Join('\n', tail)}");
            try
            {
                if ((await http.GetAsync("/healthz/ready")).IsSuccessStatusCode) return node;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            if (DateTime.UtcNow > deadline)
            {
                var dump = await DumpAsync(process.Id);
                process.Kill(entireProcessTree: true);
                string lines;
                lock (tail) lines = string.Join('\n', tail);
                throw new TimeoutException($"the node was not ready in {timeout.TotalSeconds:N0} s ({dump}):\n{lines}");
            }
            await Task.Delay(200);
        }
    }

    /// <summary>Writes a dump of a hung node with the runtime's createdump (for dotnet-dump), if the runtime has it.</summary>
    private static async Task<string> DumpAsync(int pid)
    {
        var createdump = Path.Combine(Path.GetDirectoryName(typeof(object).Assembly.Location)!, "createdump");
        if (!File.Exists(createdump)) return "no createdump in this runtime, no dump";
        var file = Path.Combine(Path.GetTempPath(), $"orderactors-hung-node-{pid}.dmp"); // outlives the work dir
        try
        {
            await RunAsync(createdump, ["-f", file, pid.ToString()]);
            return $"dump: {file}";
        }
        catch (Exception e)
        {
            return $"createdump failed: {e.Message}";
        }
    }

    /// <summary>Resident and peak resident memory of the node process, in MB (Linux /proc).</summary>
    public (double RssMb, double PeakMb) Memory() => ProcessMemory.Read(_process.Id);

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        if (!_keep)
        {
            try { Directory.Delete(_workDir, recursive: true); }
            catch (IOException) { }
        }
    }

    private static async Task RunAsync(string file, string[] args)
    {
        var info = new ProcessStartInfo(file) { UseShellExecute = false };
        foreach (var a in args) info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed ({process.ExitCode})");
    }

}
