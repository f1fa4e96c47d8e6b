using System.Diagnostics;
using System.Text.Json.Nodes;

namespace OrderActors.IntegrationTests.Support;

/// <summary>The reference webhook receiver (src/OrderActors.Receiver) in its own process, on a free loopback port.</summary>
public sealed class ReceiverProcess : IAsyncDisposable
{
    private readonly Process _process;

    private ReceiverProcess(Process process, int port)
    {
        _process = process;
        Url = $"http://127.0.0.1:{port}";
        Http = new HttpClient { BaseAddress = new Uri(Url), Timeout = TimeSpan.FromSeconds(30) };
    }

    public string Url { get; }
    public string Webhook => Url + "/webhook";
    public HttpClient Http { get; }

    public static async Task<ReceiverProcess> StartAsync(string secret, params string[] faults)
    {
        var (port, _) = LoopbackPorts.TwoFree();
        var info = new ProcessStartInfo(Repo.DotnetHost) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { Repo.Built("OrderActors.Receiver", "orderactors-receiver.dll"), "--urls", $"http://127.0.0.1:{port}", "--secret", secret }
                     .Concat(faults))
            info.ArgumentList.Add(arg);
        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var receiver = new ReceiverProcess(process, port);
        await Poll.UntilAsync(async () =>
        {
            if (process.HasExited) throw new InvalidOperationException($"the receiver exited ({process.ExitCode})");
            try { return (await receiver.Http.GetAsync("/stats")).IsSuccessStatusCode; }
            catch (HttpRequestException) { return false; }
        }, "the receiver listens");
        return receiver;
    }

    public async Task<JsonNode> StatsAsync() => JsonNode.Parse(await Http.GetStringAsync("/stats"))!;

    /// <summary>The orders the receiver of <paramref name="unit"/> should hold, as its /stats lists them (<c>erp:2/10248</c>), sorted.</summary>
    public static List<string> OrdersFor(string unit, IEnumerable<string> orderIds) =>
        orderIds.Select(id => $"{unit}:{Expected.FirstQueue(id) % Expected.QueuesPerUnit}/{id}").Order(StringComparer.Ordinal).ToList();

    /// <summary>The orders of <paramref name="sent"/> (id → code) that route to <paramref name="unit"/>, as its receiver lists them.</summary>
    public static List<string> OrdersFor(string unit, IReadOnlyDictionary<string, string> sent) =>
        OrdersFor(unit, sent.Where(kv => Expected.UnitsByCode[kv.Value].Contains(unit)).Select(kv => kv.Key));

    /// <summary>The orders the receiver holds, sorted.</summary>
    public static List<string> Orders(JsonNode stats) => stats["orders"]!.AsArray().Select(o => (string)o!).Order(StringComparer.Ordinal).ToList();

    /// <summary>
    /// Waits until the receiver has as many orders as <paramref name="expected"/>, then checks that they are exactly
    /// those, each once, every queue's in seq order, every signature valid; the receiver's stats.
    /// </summary>
    public async Task<JsonNode> AssertReceivedEachOnceInOrderAsync(IReadOnlyList<string> expected, string what, int seconds = 120)
    {
        var stats = await Poll.ForAsync(StatsAsync, s => (int)s["delivered"]! >= expected.Count, what, seconds);
        Assert.Equal(expected, Orders(stats));
        Assert.Equal(0, (int)stats["outOfOrder"]!); // per queue, each new order is the next seq
        Assert.Equal(0, (int)stats["badSignatures"]!);
        return stats;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        Http.Dispose();
    }
}
