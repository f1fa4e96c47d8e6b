using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace OrderActors.IntegrationTests.Support;

/// <summary>
/// A throwaway Prometheus from the machine's own installation (Debian: <c>apt-get install prometheus</c>), on a free
/// loopback port with its own data dir, scraping the targets given every second; stopped and removed on dispose.
/// Also runs <c>promtool</c>. Never a mock.
/// </summary>
public sealed class PrometheusServer : IAsyncDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "orderactors-prom-" + Guid.NewGuid().ToString("N")[..8]);
    private Process? _process;

    public int Port { get; } = LoopbackPorts.TwoFree().Item1;

    public HttpClient Http { get; private set; } = null!;

    /// <summary>Starts Prometheus scraping <c>/metrics</c> of <paramref name="targets"/> (host:port) with <paramref name="bearer"/>, and loading <paramref name="rules"/>.</summary>
    public static async Task<PrometheusServer> StartAsync(IEnumerable<string> targets, string? bearer = null, string? rules = null)
    {
        var server = new PrometheusServer();
        await server.StartAsync(targets.ToList(), bearer, rules);
        return server;
    }

    private async Task StartAsync(IReadOnlyList<string> targets, string? bearer, string? rules)
    {
        var binary = Find("prometheus") ?? throw new InvalidOperationException(
            "Prometheus is not installed: install it (Debian: apt-get install prometheus); test.sh does this on CI machines");
        Directory.CreateDirectory(_dir);
        var config = Path.Combine(_dir, "prometheus.yml");
        var ruleFiles = "";
        if (rules is not null)
        {
            await File.WriteAllTextAsync(Path.Combine(_dir, "rules.yml"), rules);
            ruleFiles = $"rule_files: [\"{Path.Combine(_dir, "rules.yml")}\"]\n";
        }
        await File.WriteAllTextAsync(config, $"""
            global:
              scrape_interval: 1s
              evaluation_interval: 1s
            {ruleFiles}scrape_configs:
              - job_name: orderactors
                metrics_path: /metrics
            {(bearer is null ? "" : $"    authorization:\n      credentials: \"{bearer}\"\n")}    static_configs:
                  - targets: [{string.Join(", ", targets.Select(t => $"\"{t}\""))}]
            """);
        _process = Process.Start(new ProcessStartInfo(binary)
        {
            ArgumentList =
            {
                $"--config.file={config}", $"--storage.tsdb.path={Path.Combine(_dir, "data")}", $"--web.listen-address=127.0.0.1:{Port}",
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (_log) _log.AppendLine(e.Data); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{Port}"), Timeout = TimeSpan.FromSeconds(10) };
        await Poll.UntilAsync(async () =>
        {
            if (_process.HasExited) throw new InvalidOperationException($"prometheus exited with {_process.ExitCode}: {Log}");
            try { return (await Http.GetAsync("/-/ready")).IsSuccessStatusCode; }
            catch (HttpRequestException) { return false; }
        }, "Prometheus ready", seconds: 60);
    }

    private readonly System.Text.StringBuilder _log = new();

    public string Log
    {
        get { lock (_log) return _log.ToString(); }
    }

    /// <summary>An instant query's result vector: each series' labels and value.</summary>
    public async Task<IReadOnlyList<(JsonObject Labels, double Value)>> QueryAsync(string promql)
    {
        var answer = await Http.GetFromJsonAsync<JsonObject>($"/api/v1/query?query={Uri.EscapeDataString(promql)}");
        if ((string?)answer!["status"] != "success") throw new InvalidOperationException($"query {promql}: {answer}");
        return answer["data"]!["result"]!.AsArray().Select(r => (r!["metric"]!.AsObject(),
            double.Parse((string)r["value"]![1]!, System.Globalization.CultureInfo.InvariantCulture))).ToList();
    }

    /// <summary>Runs <c>promtool</c> with <paramref name="args"/> (and <paramref name="stdin"/>): its exit code and what it printed.</summary>
    public static async Task<(int Code, string Output)> PromtoolAsync(string[] args, string? stdin = null)
    {
        var binary = Find("promtool") ?? throw new InvalidOperationException("promtool is not installed (Debian: apt-get install prometheus)");
        var start = new ProcessStartInfo(binary) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null) await process.StandardInput.WriteAsync(stdin);
        process.StandardInput.Close();
        await process.WaitForExitAsync();
        return (process.ExitCode, (await stdout) + (await stderr));
    }

    private static string? Find(string tool) =>
        new[] { $"/usr/bin/{tool}", $"/usr/local/bin/{tool}" }.FirstOrDefault(File.Exists);

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process?.Dispose();
        Http?.Dispose();
        try { Directory.Delete(_dir, recursive: true); }
        catch (IOException) { }
    }
}
