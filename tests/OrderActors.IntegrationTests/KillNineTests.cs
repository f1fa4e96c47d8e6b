using System.Collections.Concurrent;
using OrderActors.IntegrationTests.Support;
using Xunit.Abstractions;

namespace OrderActors.IntegrationTests;

/// <summary>
/// "A 202 means the order is durable": kill -9 the node right after a burst of 202s, start it again on the same
/// data dir, and every accepted order is processed in every unit it routes to, exactly once, seq gapless.
/// </summary>
public class KillNineTests(ITestOutputHelper output)
{
    [Fact]
    public Task Every_accepted_order_survives_a_kill_9_right_after_the_202s() => KillNineDrill.BurstKillRestartAsync(output);
}

public static class KillNineDrill
{
    /// <summary>The drill, on a node started with <paramref name="nodeArgs"/> (e.g. another journal).</summary>
    public static async Task BurstKillRestartAsync(ITestOutputHelper output, params string[] nodeArgs)
    {
        var node = await NodeProcess.StartAsync(null, nodeArgs);
        var dataDir = node.DataDir;
        var accepted = new ConcurrentDictionary<string, string>();
        try
        {
            // A burst: 600 single orders, 32 at a time, plus 4 batches of 100 alongside.
            using var gate = new SemaphoreSlim(32);
            var singles = Enumerable.Range(0, 600).Select(async i =>
            {
                var id = $"k9-{i:D4}";
                var code = Expected.Codes[i % Expected.Codes.Length];
                await gate.WaitAsync();
                try
                {
                    var reply = await node.Http.PostJsonAsync("/api/orders", Expected.Order(id, code));
                    if (reply.Code == 202) accepted[id] = code;
                }
                finally { gate.Release(); }
            });
            var batches = Enumerable.Range(0, 4).Select(async b =>
            {
                var ids = Enumerable.Range(0, 100).Select(i => $"k9-b{b}-{i:D3}").ToArray();
                var codes = ids.Select((_, i) => Expected.Codes[(i + b) % Expected.Codes.Length]).ToArray();
                var reply = await node.Http.PostJsonAsync("/api/orders/batch", ids.Select((id, i) => Expected.Order(id, codes[i])).ToArray());
                if (reply.Code != 200) return;
                foreach (var result in reply.Body!["results"]!.AsArray())
                    if ((int)result!["status"]! == 202) accepted[ids[(int)result["index"]!]] = codes[(int)result["index"]!];
            });
            await Task.WhenAll(singles.Concat(batches));

            node.Kill(); // SIGKILL, right after the last answer
            output.WriteLine($"{accepted.Count} orders accepted, then kill -9");
            Assert.True(accepted.Count >= 900, $"only {accepted.Count} of 1,000 orders were accepted:\n{node.LogTail}");
        }
        finally
        {
            node.Kill();
        }

        await using var revived = new NodeProcess(dataDir, nodeArgs);
        await revived.StartAsync();
        var took = await Feeds.AssertDeliveredExactlyOnceAsync(revived.Http, accepted, TimeSpan.FromSeconds(90));
        output.WriteLine($"every accepted order processed in every unit {took.TotalSeconds:N1} s after the restart was ready");

        // And the restarted node still knows them: the same order again is a duplicate, not a new order.
        var first = accepted.Keys.Order().First();
        Assert.Equal(200, (await revived.Http.PostJsonAsync("/api/orders", Expected.Order(first, accepted[first]))).Code);
        await node.DisposeAsync();
    }
}
