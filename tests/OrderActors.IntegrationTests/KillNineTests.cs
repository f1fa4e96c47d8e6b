using OrderActors.IntegrationTests.Support;
using Xunit.Abstractions;

namespace OrderActors.IntegrationTests;

/// <summary>
/// "A 202 means the order is durable", and "kill -9 any node at any moment": the node is killed with SIGKILL right
/// after a burst, or while orders are in flight, and started again on the same data dir. Every answer is counted;
/// orders whose answer was lost to the kill (or that were told to come back) are sent again, as an OMS would; then
/// every order sent is in every unit it routes to exactly once, each queue's seq gapless.
/// </summary>
public class KillNineTests(ITestOutputHelper output)
{
    [Fact]
    public Task Every_accepted_order_survives_a_kill_9_right_after_the_202s() => KillNineDrill.BurstKillRestartAsync(output);

    [Fact]
    public Task Every_order_survives_kill_9s_while_orders_are_in_flight() => KillNineDrill.KillInFlightAsync(output);
}

public static class KillNineDrill
{
    /// <summary>A burst (600 single orders, 32 at a time, and 4 batches of 100 beside), every answer in, then kill -9.</summary>
    public static async Task BurstKillRestartAsync(ITestOutputHelper output, params string[] nodeArgs)
    {
        var outcomes = new OrderOutcomes();
        await using var node = await NodeProcess.StartAsync(null, nodeArgs);
        await SendBurstAsync(node, outcomes, "k9");
        Assert.Equal(1_000, outcomes.Sent.Count);
        Assert.Equal(0, outcomes.Unanswered); // the node was up for every request
        outcomes.AssertEveryAnswerKeptTheContract();
        Assert.True(outcomes.Accepted >= 500, $"{outcomes}\n{node.LogTail}");
        node.Kill(); // SIGKILL, right after the last answer
        output.WriteLine($"kill -9 after: {outcomes}");

        await node.StartAsync(); // again, on the same data dir and ports
        await AssertNothingLostAsync(node, outcomes, output);
    }

    /// <summary>Kill -9 twice with requests in flight, at moments drawn from a fixed seed, restarting in between.</summary>
    public static async Task KillInFlightAsync(ITestOutputHelper output, params string[] nodeArgs)
    {
        var outcomes = new OrderOutcomes();
        var random = new Random(20261202);
        await using var node = await NodeProcess.StartAsync(null, nodeArgs);
        for (var round = 0; round < 2; round++)
        {
            // the kill lands once this many more orders were accepted, while the rest of the burst is in flight
            var killAt = outcomes.Accepted + random.Next(100, 400);
            var burst = SendBurstAsync(node, outcomes, $"kf{round}");
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (outcomes.Accepted < killAt && !burst.IsCompleted && DateTime.UtcNow < deadline) await Task.Delay(5);
            Assert.False(burst.IsCompleted, $"round {round}: the burst ended before the kill at {killAt} accepted ({outcomes})");
            node.Kill();
            await burst;
            output.WriteLine($"round {round}: kill -9 at {killAt} accepted, with requests in flight: {outcomes}");

            await node.StartAsync(); // again, on the same data dir and ports
        }
        Assert.True(outcomes.Unanswered > 0, "no request was in flight at either kill");
        outcomes.AssertEveryAnswerKeptTheContract();
        await AssertNothingLostAsync(node, outcomes, output);
    }

    private static async Task SendBurstAsync(NodeProcess node, OrderOutcomes outcomes, string prefix)
    {
        using var gate = new SemaphoreSlim(32);
        var singles = Enumerable.Range(0, 600).Select(async i =>
        {
            await gate.WaitAsync();
            try { await outcomes.PostAsync(node.Http, $"{prefix}-{i:D4}", Expected.Codes[i % Expected.Codes.Length]); }
            finally { gate.Release(); }
        });
        var batches = Enumerable.Range(0, 4).Select(b => outcomes.PostBatchAsync(node.Http,
            Enumerable.Range(0, 100).Select(i => ($"{prefix}-b{b}-{i:D3}", Expected.Codes[(i + b) % Expected.Codes.Length])).ToList()));
        await Task.WhenAll(singles.Concat(batches));
    }

    /// <summary>Sends every unresolved order again, then demands every order sent in every unit exactly once.</summary>
    private static async Task AssertNothingLostAsync(NodeProcess node, OrderOutcomes outcomes, ITestOutputHelper output)
    {
        var unresolved = outcomes.Unresolved.Count;
        await outcomes.ResolveAsync(node.Http, TimeSpan.FromSeconds(60));
        outcomes.AssertEveryAnswerKeptTheContract();
        var took = await Feeds.AssertDeliveredExactlyOnceAsync(node.Http, outcomes.Sent, TimeSpan.FromSeconds(90));
        output.WriteLine($"{unresolved} unresolved orders sent again; all {outcomes.Sent.Count} processed exactly once in every unit, {took.TotalSeconds:N1} s later");

        // the restarted node still knows every order: the same order again is a duplicate, not a new one
        var again = new OrderOutcomes();
        foreach (var (id, code) in outcomes.Sent.Take(50)) Assert.Equal(200, await again.PostAsync(node.Http, id, code));
    }
}
