using System.Diagnostics;

namespace OrderActors.Bench;

/// <summary>Publishes (or takes a built) OrderActors.Node and runs it in its own process on a temp data dir.</summary>
public sealed class NodeLauncher : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _workDir;
    private readonly bool _keep;

    private NodeLauncher(Process process, string workDir, Uri url, bool keep)
    {
        _process = process;
        _workDir = workDir;
        Url = url;
        _keep = keep;
    }

    public Uri Url { get; }
    public int Pid => _process.Id;
    public string DataDir => Path.Combine(_workDir, "data");

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

        var (httpPort, clusterPort) = LoopbackPorts.TwoFree();
        var info = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[]
                 {
                     nodeDll, "--urls", $"http://127.0.0.1:{httpPort}", "--data-dir", Path.Combine(workDir, "data"),
                     "--cluster-port", clusterPort.ToString(),
                 })
            info.ArgumentList.Add(arg);
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        var process = Process.Start(info)!;
        var tail = new Queue<string>();
        void Keep(string? line)
        {
            if (line is null) return;
            lock (tail)
            {
                tail.Enqueue(line);
                if (tail.Count > 40) tail.Dequeue();
            }
        }
        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var node = new NodeLauncher(process, workDir, new Uri($"http://127.0.0.1:{httpPort}"), keep);
        using var http = new HttpClient { BaseAddress = node.Url, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (true)
        {
            if (process.HasExited) throw new InvalidOperationException($"the node exited ({process.ExitCode}):\n{string.Join('\n', tail)}");
            try
            {
                if ((await http.GetAsync("/healthz/ready")).IsSuccessStatusCode) return node;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"the node was not ready in 120 s:\n{string.Join('\n', tail)}");
            await Task.Delay(200);
        }
    }

    /// <summary>Resident and peak resident memory of the node process, in MB (Linux /proc).</summary>
    public (double RssMb, double PeakMb) Memory()
    {
        double Read(string key)
        {
            var line = File.ReadLines($"/proc/{_process.Id}/status").FirstOrDefault(l => l.StartsWith(key + ":"));
            return line is null ? double.NaN : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) / 1024.0;
        }
        try
        {
            return (Read("VmRSS"), Read("VmHWM"));
        }
        catch (IOException)
        {
            return (double.NaN, double.NaN);
        }
    }

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

public static class Repo
{
    public static string Root { get; } = Find();

    private static string Find()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            var dir = new DirectoryInfo(start);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "OrderActors.sln"))) dir = dir.Parent;
            if (dir is not null) return dir.FullName;
        }
        throw new InvalidOperationException("run the benchmark from the repository (OrderActors.sln not found)");
    }
}
