using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using OrderActors.IntegrationTests.Support;
using Xunit.Abstractions;

namespace OrderActors.IntegrationTests;

[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresServer>
{
    public const string Name = "postgres";
}

/// <summary>PostgreSQL as the journal (the cluster's), against a real server started for the tests.</summary>
[Collection(PostgresCollection.Name)]
public class PostgresTests(PostgresServer postgres, ITestOutputHelper output)
{
    [Fact]
    public async Task A_node_on_postgresql_keeps_every_accepted_order_through_a_kill_9()
    {
        var connectionString = await postgres.CreateDatabaseAsync();
        await KillNineDrill.BurstKillRestartAsync(output, "--journal", "postgres", "--connection-string", connectionString);
    }

    [Fact]
    public async Task Three_nodes_lose_nothing_when_the_busiest_is_killed_and_never_comes_back()
    {
        var nodes = await StartClusterAsync();
        await using var cluster = new Cluster(nodes);
        var a = nodes[0];
        var (showCode, show, showErr) = await Repo.OrderCtlAsync("--node", $"http://127.0.0.1:{a.HttpPort}", "--json", "cluster", "show");
        Assert.True(showCode == 0, showErr);
        Assert.Equal(3, JsonNode.Parse(show)!.AsArray().Count(m => (string)m!["status"]! == "Up"));

        // orders round-robin over the three nodes
        var accepted = new ConcurrentDictionary<string, string>();
        async Task Post(int from, int count, NodeProcess[] targets)
        {
            using var gate = new SemaphoreSlim(24);
            await Task.WhenAll(Enumerable.Range(from, count).Select(async i =>
            {
                var id = $"cl-{i:D5}";
                var code = Expected.Codes[i % Expected.Codes.Length];
                await gate.WaitAsync();
                try
                {
                    var reply = await targets[i % targets.Length].Http.PostJsonAsync("/api/orders", Expected.Order(id, code));
                    if (reply.Code is 202 or 200) accepted[id] = code;
                }
                catch (HttpRequestException) { /* the killed node: not accepted */ }
                catch (TaskCanceledException) { }
                finally { gate.Release(); }
            }));
        }
        await Post(0, 600, nodes);

        // the node holding the most shards, by the cluster's own account
        var sharding = (await a.Http.GetJsonAsync("/api/admin/sharding")).Body!.AsArray();
        var busiestAddress = sharding.SelectMany(r => r!["shards"]!.AsArray()).GroupBy(s => (string)s!["node"]!)
            .OrderByDescending(g => g.Count()).First().Key;
        var busiest = nodes.Single(n => busiestAddress.EndsWith($":{n.ClusterPort}"));
        var survivors = nodes.Where(n => n != busiest).ToArray();

        var duringKill = Post(600, 600, nodes); // keep sending while it dies
        busiest.Kill();
        var killedAt = DateTime.UtcNow;
        output.WriteLine($"killed {busiestAddress} with {sharding.SelectMany(r => r!["shards"]!.AsArray()).Count(s => (string)s!["node"]! == busiestAddress)} shards");
        await duringKill;
        await Post(1200, 300, survivors);

        TimeSpan took;
        try
        {
            took = await Feeds.AssertDeliveredExactlyOnceAsync(survivors[0].Http, accepted, TimeSpan.FromSeconds(90), othersAllowed: true);
        }
        catch (Exception)
        {
            foreach (var survivor in survivors) output.WriteLine($"--- node :{survivor.ClusterPort} ---\n{survivor.LogTail}");
            throw;
        }
        var sinceKill = DateTime.UtcNow - killedAt;
        output.WriteLine($"{accepted.Count} accepted orders, every one processed exactly once in every unit; " +
                         $"complete {sinceKill.TotalSeconds:N1} s after the kill ({took.TotalSeconds:N1} s of waiting)");
        Assert.True(accepted.Count > 1000, $"only {accepted.Count} orders were accepted");
    }

    [Fact]
    public async Task A_node_that_leaves_gracefully_under_load_exits_0_and_loses_nothing()
    {
        var nodes = await StartClusterAsync();
        await using var cluster = new Cluster(nodes);
        var (a, c) = (nodes[0], nodes[2]);

        var accepted = new ConcurrentDictionary<string, string>();
        var refusedWhileLeaving = 0;
        var load = Task.WhenAll(Enumerable.Range(0, 8).Select(async worker =>
        {
            for (var i = worker; i < 1600; i += 8)
            {
                var id = $"gl-{i:D5}";
                var code = Expected.Codes[i % Expected.Codes.Length];
                try
                {
                    var reply = await nodes[i % 3].Http.PostJsonAsync("/api/orders", Expected.Order(id, code));
                    if (reply.Code is 202 or 200) accepted[id] = code;
                    else if (reply.Code == 503)
                    {
                        Assert.NotNull(reply.Response.Headers.RetryAfter);
                        Interlocked.Increment(ref refusedWhileLeaving);
                    }
                }
                catch (HttpRequestException) { /* the node has gone: not accepted */ }
            }
        }));

        await Eventually(() => Task.FromResult(accepted.Count > 300), "some load before the leave");
        var exitCode = await c.TerminateAsync(TimeSpan.FromSeconds(60));
        await load;

        Assert.Equal(0, exitCode);
        var took = await Feeds.AssertDeliveredExactlyOnceAsync(a.Http, accepted, TimeSpan.FromSeconds(90), othersAllowed: true);
        output.WriteLine($"{accepted.Count} accepted, {refusedWhileLeaving} refused with 503 while leaving; all processed exactly once ({took.TotalSeconds:N1} s after the load)");
        var members = (await a.Http.GetJsonAsync("/api/admin/cluster/members")).Body!.AsArray();
        Assert.DoesNotContain(members, m => ((string)m!["address"]!).EndsWith($":{c.ClusterPort}") && (string)m["status"]! == "Up");
    }

    /// <summary>Three nodes on a fresh database, the first the seed, once all three are Up.</summary>
    private async Task<NodeProcess[]> StartClusterAsync()
    {
        var connectionString = await postgres.CreateDatabaseAsync();
        string[] Journal(params string[] more) => ["--journal", "postgres", "--connection-string", connectionString, .. more];
        var a = await NodeProcess.StartAsync(null, Journal());
        var seed = $"akka.tcp://orderactors@127.0.0.1:{a.ClusterPort}";
        NodeProcess[] nodes = [a, await NodeProcess.StartAsync(null, Journal("--seed-nodes", seed)), await NodeProcess.StartAsync(null, Journal("--seed-nodes", seed))];
        await Eventually(async () =>
        {
            var members = (await a.Http.GetJsonAsync("/api/admin/cluster/members")).Body!.AsArray();
            return members.Count == 3 && members.All(m => (string)m!["status"]! == "Up");
        }, "three members Up");
        return nodes;
    }

    private sealed class Cluster(NodeProcess[] nodes) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            foreach (var node in nodes) await node.DisposeAsync();
        }
    }

    private static async Task Eventually(Func<Task<bool>> condition, string what, int seconds = 60)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        using var tick = new PeriodicTimer(TimeSpan.FromMilliseconds(250));
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"not reached in {seconds} s: {what}");
            await tick.WaitForNextTickAsync();
        }
    }
}
