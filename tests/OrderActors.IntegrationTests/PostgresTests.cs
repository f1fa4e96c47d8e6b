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
public partial class PostgresTests(PostgresServer postgres, ITestOutputHelper output) : IDisposable
{
    private readonly List<ClusterCa> _authorities = [];

    public void Dispose()
    {
        foreach (var ca in _authorities) ca.Dispose();
    }

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
        var catalogOrders = await A_catalog_change_reaches_every_node_and_a_resend_after_it_is_still_a_duplicate(nodes);

        // orders round-robin over the three nodes; every answer counted
        var outcomes = new OrderOutcomes();
        Task Post(int from, int count, NodeProcess[] targets) => PostRoundRobinAsync(outcomes, i => $"cl-{i:D5}", from, count, targets, inFlight: 24);
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
            // what the killed node never answered, or a moving queue asked to send again, is sent again to a survivor
            await outcomes.ResolveAsync(survivors[0].Http, TimeSpan.FromSeconds(90));
            outcomes.AssertEveryAnswerKeptTheContract();
            took = await Feeds.AssertDeliveredExactlyOnceAsync(survivors[0].Http, outcomes.Sent.Concat(catalogOrders).ToDictionary(), TimeSpan.FromSeconds(90));
        }
        catch (Exception)
        {
            foreach (var survivor in survivors) output.WriteLine($"--- node :{survivor.ClusterPort} ---\n{survivor.LogTail}");
            throw;
        }
        var sinceKill = DateTime.UtcNow - killedAt;
        output.WriteLine($"{outcomes}; every one of the 1,500 processed exactly once in every unit, " +
                         $"complete {sinceKill.TotalSeconds:N1} s after the kill ({took.TotalSeconds:N1} s of waiting)");
        Assert.Equal(1_500, outcomes.Sent.Count);
    }

    [Fact]
    public async Task Three_nodes_keep_delivering_by_webhook_from_the_durable_cursor_when_one_is_killed_mid_delivery()
    {
        var hocon = Path.Combine(Path.GetTempPath(), $"orderactors-pg-webhook-{Guid.NewGuid():N}.hocon");
        await File.WriteAllTextAsync(hocon, "orderactors.delivery { retry-first = 50ms, retry-max = 1s }");
        var (erpSecret, wmsSecret) = (WebhookDeliveryTests.NewSecret(), WebhookDeliveryTests.NewSecret());
        // slow answers keep requests in flight when the node dies
        await using var erp = await ReceiverProcess.StartAsync(erpSecret, "--slow-rate", "0.5", "--delay", "200", "--seed", "7");
        await using var wms = await ReceiverProcess.StartAsync(wmsSecret, "--slow-rate", "0.5", "--delay", "200", "--seed", "8");
        var nodes = await StartClusterAsync("--hocon", hocon);
        await using var cluster = new Cluster(nodes);
        foreach (var (unit, receiver, secret) in new[] { ("erp", erp, erpSecret), ("wms", wms, wmsSecret) })
            Assert.Equal(200, (await nodes[0].Http.PutAsync($"/api/admin/units/{unit}/delivery",
                $$"""{"mode":"webhook","url":"{{receiver.Webhook}}","secrets":["{{secret}}"],"batch":5,"timeout":"2s"}""")).Code);

        var outcomes = new OrderOutcomes();
        Task Post(int from, int count, NodeProcess[] targets) => PostRoundRobinAsync(outcomes, i => $"pgw-{i:D4}", from, count, targets, inFlight: 16);
        await Post(0, 600, nodes);
        await Poll.UntilAsync(async () => (int)(await erp.StatsAsync())["delivered"]! + (int)(await wms.StatsAsync())["delivered"]! >= 150,
            "delivery under way", seconds: 60);
        var sharding = (await nodes[0].Http.GetJsonAsync("/api/admin/sharding")).Body!.AsArray();
        var busiestAddress = sharding.SelectMany(r => r!["shards"]!.AsArray()).GroupBy(s => (string)s!["node"]!)
            .OrderByDescending(g => g.Count()).First().Key;
        var busiest = nodes.Single(n => busiestAddress.EndsWith($":{n.ClusterPort}"));
        var survivors = nodes.Where(n => n != busiest).ToArray();
        busiest.Kill();
        var before = (int)(await erp.StatsAsync())["delivered"]! + (int)(await wms.StatsAsync())["delivered"]!;
        await Post(600, 300, survivors);

        try
        {
            await outcomes.ResolveAsync(survivors[0].Http, TimeSpan.FromSeconds(90));
            outcomes.AssertEveryAnswerKeptTheContract();
            foreach (var (unit, receiver) in new[] { ("erp", erp), ("wms", wms) })
            {
                var expected = ReceiverProcess.OrdersFor(unit, outcomes.Sent);
                var stats = await receiver.AssertReceivedEachOnceInOrderAsync(expected, $"{expected.Count} orders delivered to the {unit} receiver");
                output.WriteLine($"{unit}: {expected.Count} delivered, {(int)stats["duplicates"]!} received again after the kill (deduped)");
            }
        }
        catch (Exception)
        {
            foreach (var survivor in survivors) output.WriteLine($"--- node :{survivor.ClusterPort} ---\n{survivor.LogTail}");
            throw;
        }
        output.WriteLine($"killed {busiestAddress} with {before} orders delivered; all {outcomes.Sent.Count} accepted orders delivered to every unit");
        Assert.Equal(900, outcomes.Sent.Count);
    }

    [Fact]
    public async Task A_node_that_leaves_gracefully_under_load_exits_0_and_loses_nothing()
    {
        var nodes = await StartClusterAsync();
        await using var cluster = new Cluster(nodes);
        var (a, c) = (nodes[0], nodes[2]);

        // eight workers round-robin over the three nodes, and one that sends only to the node that leaves, all until it
        // has left: every answer counted, and the hand-off shown to overlap the load
        var outcomes = new OrderOutcomes();
        var leaving = new OrderOutcomes(); // what the leaving node answered once told to leave
        long leaveStarted = long.MaxValue, leaveEnded = long.MaxValue, firstUnanswered = long.MaxValue;
        var acceptedDuringLeave = 0;
        var next = -1;
        async Task Worker(Func<int, NodeProcess> target, bool untilUnanswered = false)
        {
            for (var extra = 0; extra < 20;)
            {
                var i = Interlocked.Increment(ref next);
                var node = target(i);
                var sentAt = DateTime.UtcNow.Ticks;
                var book = node == c && sentAt > Interlocked.Read(ref leaveStarted) ? leaving : outcomes;
                var status = await book.PostAsync(node.Http, $"gl-{i:D5}", Expected.Codes[i % Expected.Codes.Length]);
                if (status is null && untilUnanswered)
                {
                    Interlocked.CompareExchange(ref firstUnanswered, DateTime.UtcNow.Ticks, long.MaxValue);
                    return; // it has stopped listening
                }
                if (status is 202 && sentAt > Interlocked.Read(ref leaveStarted) && DateTime.UtcNow.Ticks < Interlocked.Read(ref leaveEnded))
                    Interlocked.Increment(ref acceptedDuringLeave);
                if (Interlocked.Read(ref leaveEnded) != long.MaxValue) extra++; // a little more load once it has left
            }
        }
        var load = Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Worker(i => nodes[i % 3]))
            .Append(Worker(_ => c, untilUnanswered: true)));

        await Poll.UntilAsync(() => Task.FromResult(outcomes.Accepted >= 300), "300 orders accepted before the leave");
        Interlocked.Exchange(ref leaveStarted, DateTime.UtcNow.Ticks);
        var exitCode = await c.TerminateAsync(TimeSpan.FromSeconds(60));
        Interlocked.Exchange(ref leaveEnded, DateTime.UtcNow.Ticks);
        await load;

        Assert.Equal(0, exitCode);
        output.WriteLine($"before and beside the leave: {outcomes}; the leaving node, once told to leave: {leaving}; " +
                         $"{acceptedDuringLeave} orders accepted by the cluster while the node handed off its shards");
        Assert.True(acceptedDuringLeave > 0, "no order was accepted while the node was leaving: the load did not overlap the hand-off");
        // the leaving node refuses intake with 503 + Retry-After (send it elsewhere) until it stops listening
        Assert.True(leaving.ByStatus.GetValueOrDefault(503) > 0, $"the leaving node never answered 503: {leaving}");
        // and it keeps answering until the hand-off is done: the port closes only as the process exits
        var handOff = System.Text.RegularExpressions.Regex.Match(File.ReadAllText(c.LogFile), @"Left the cluster in ([0-9.]+) s");
        Assert.True(handOff.Success, "the leaving node never logged the end of its hand-off");
        var closedFor = TimeSpan.FromTicks(leaveEnded - Math.Min(firstUnanswered, leaveEnded));
        output.WriteLine($"the leave took {TimeSpan.FromTicks(leaveEnded - leaveStarted).TotalSeconds:N1} s (hand-off {handOff.Groups[1].Value} s); " +
                         $"the first connection it refused came {closedFor.TotalSeconds:N2} s before it exited");
        Assert.True(closedFor < TimeSpan.FromSeconds(2), $"the leaving node refused connections for {closedFor.TotalSeconds:N1} s before it exited");
        leaving.AssertEveryAnswerKeptTheContract();
        outcomes.AssertEveryAnswerKeptTheContract();

        // what was refused or never answered is sent again to a node that stayed
        var all = new OrderOutcomes();
        foreach (var book in new[] { outcomes, leaving })
            foreach (var id in book.Unresolved) await all.PostAsync(a.Http, id, book.Sent[id]);
        await all.ResolveAsync(a.Http, TimeSpan.FromSeconds(60));
        var sent = outcomes.Sent.Concat(leaving.Sent).ToDictionary();
        var took = await Feeds.AssertDeliveredExactlyOnceAsync(a.Http, sent, TimeSpan.FromSeconds(90));
        output.WriteLine($"all {sent.Count} orders processed exactly once ({took.TotalSeconds:N1} s after the load)");
        var members = (await a.Http.GetJsonAsync("/api/admin/cluster/members")).Body!.AsArray();
        Assert.DoesNotContain(members, m => ((string)m!["address"]!).EndsWith($":{c.ClusterPort}") && (string)m["status"]! == "Up");
    }

    /// <summary>
    /// A product changed on one node is what the others enrich orders with, within seconds; an order sent before the
    /// change and sent again after it (to another node) is still the same order.
    /// </summary>
    private static async Task<Dictionary<string, string>> A_catalog_change_reaches_every_node_and_a_resend_after_it_is_still_a_duplicate(NodeProcess[] nodes)
    {
        var (a, b, c) = (nodes[0], nodes[1], nodes[2]);
        var before = new { orderId = "cat-before", businessCode = "PRESALE", lines = new[] { new { sku = "11", quantity = 2 } } };
        Assert.Equal(202, (await b.Http.PostJsonAsync("/api/orders", before)).Code);

        var product = (await a.Http.GetJsonAsync("/api/catalog/products/11")).Body!.AsObject();
        var price = (decimal)product["unitPrice"]! + 1.25m;
        product["unitPrice"] = price;
        using (var put = new StringContent(product.ToJsonString(), System.Text.Encoding.UTF8, "application/json"))
            Assert.Equal(200, (int)(await a.Http.PutAsync("/api/catalog/products/11", put)).StatusCode);

        foreach (var node in new[] { b, c })
            await Poll.UntilAsync(async () => (decimal)(await node.Http.GetJsonAsync("/api/catalog/products/11")).Body!["unitPrice"]! == price,
                $"node :{node.HttpPort} has the new price", seconds: 10);
        var after = new { orderId = "cat-after", businessCode = "PRESALE", lines = new[] { new { sku = "11", quantity = 1 } } };
        Assert.Equal(202, (await c.Http.PostJsonAsync("/api/orders", after)).Code);
        Assert.Equal(price, (decimal)(await c.Http.GetJsonAsync("/api/orders/cat-after")).Body!["lines"]![0]!["unitPrice"]!);
        Assert.Equal(200, (await c.Http.PostJsonAsync("/api/orders", before)).Code); // idempotency compares what was sent
        Assert.NotEqual(price, (decimal)(await a.Http.GetJsonAsync("/api/orders/cat-before")).Body!["lines"]![0]!["unitPrice"]!);
        return new() { ["cat-before"] = "PRESALE", ["cat-after"] = "PRESALE" };
    }

    /// <summary>Orders <paramref name="from"/>.. (every code in turn) to the targets in turn, <paramref name="inFlight"/> at a time, each answer counted.</summary>
    private static async Task PostRoundRobinAsync(OrderOutcomes outcomes, Func<int, string> id, int from, int count, NodeProcess[] targets, int inFlight)
    {
        using var gate = new SemaphoreSlim(inFlight);
        await Task.WhenAll(Enumerable.Range(from, count).Select(async i =>
        {
            await gate.WaitAsync();
            try { await outcomes.PostAsync(targets[i % targets.Length].Http, id(i), Expected.Codes[i % Expected.Codes.Length]); }
            finally { gate.Release(); }
        }));
    }

    /// <summary>
    /// Three nodes on a fresh database, the first the seed, once all three are Up. The cluster link is TLS with mutual
    /// authentication, each node with its own certificate from a throwaway CA, so every three-node test runs over it.
    /// </summary>
    private async Task<NodeProcess[]> StartClusterAsync(params string[] extra)
    {
        var connectionString = await postgres.CreateDatabaseAsync();
        var ca = await ClusterCa.CreateAsync();
        _authorities.Add(ca);
        string[] Node(string[] tls, params string[] more) => ["--journal", "postgres", "--connection-string", connectionString, .. tls, .. extra, .. more];
        var a = await NodeProcess.StartAsync(null, Node(await ca.NodeArgsAsync("node-a")));
        var seed = $"akka.ssl.tcp://orderactors@127.0.0.1:{a.ClusterPort}";
        NodeProcess[] nodes =
        [
            a, await NodeProcess.StartAsync(null, Node(await ca.NodeArgsAsync("node-b"), "--seed-nodes", seed)),
            await NodeProcess.StartAsync(null, Node(await ca.NodeArgsAsync("node-c"), "--seed-nodes", seed)),
        ];
        await Poll.UntilAsync(async () =>
        {
            var members = (await a.Http.GetJsonAsync("/api/admin/cluster/members")).Body!.AsArray();
            return members.Count == 3 && members.All(m => (string)m!["status"]! == "Up" && ((string)m["address"]!).StartsWith("akka.ssl.tcp://"));
        }, "three members Up over TLS");
        return nodes;
    }

    [Fact]
    public async Task A_node_without_a_certificate_from_the_clusters_CA_cannot_join()
    {
        var connectionString = await postgres.CreateDatabaseAsync();
        using var ca = await ClusterCa.CreateAsync();
        using var rogueCa = await ClusterCa.CreateAsync(); // same default name: a CA is known by its key, not its name
        string[] Journal(params string[] more) => ["--journal", "postgres", "--connection-string", connectionString, .. more];
        await using var a = await NodeProcess.StartAsync(null, Journal(await ca.NodeArgsAsync("node-a")));
        await using var b = await NodeProcess.StartAsync(null, Journal([.. await ca.NodeArgsAsync("node-b"), "--seed-nodes", $"akka.ssl.tcp://orderactors@127.0.0.1:{a.ClusterPort}"]));
        await Poll.UntilAsync(async () => (await a.Http.GetJsonAsync("/api/admin/cluster/members")).Body!.AsArray().Count(m => (string)m!["status"]! == "Up") == 2,
            "the two nodes of the CA Up");

        // a node with a certificate of another CA (trusting that CA), and a node on plain TCP
        await using var rogue = new NodeProcess(null, Journal([.. await rogueCa.NodeArgsAsync("node-x"), "--seed-nodes", $"akka.ssl.tcp://orderactors@127.0.0.1:{a.ClusterPort}"]));
        await using var plain = new NodeProcess(null, Journal("--seed-nodes", $"akka.tcp://orderactors@127.0.0.1:{a.ClusterPort}"));
        rogue.Launch();
        plain.Launch();
        string SeedLog() => File.ReadAllText(a.LogFile);
        await Poll.UntilAsync(() => Task.FromResult(SeedLog().Contains("does not chain to the cluster CA")),
            "the seed refuses the rogue node's certificate", seconds: 60);
        await Poll.UntilAsync(() => Task.FromResult(SeedLog().Contains("not an SSL/TLS record")), "the seed refuses the plain-TCP node", seconds: 60);

        var members = (await a.Http.GetJsonAsync("/api/admin/cluster/members")).Body!.AsArray();
        Assert.Equal(new[] { a, b }.Select(n => $"akka.ssl.tcp://orderactors@127.0.0.1:{n.ClusterPort}").Order(),
            members.Select(m => (string)m!["address"]!).Order());
        foreach (var outsider in new[] { rogue, plain })
        {
            if (!outsider.IsRunning) continue; // Akka shuts a node down whose handshake failed for its own certificate's sake
            System.Net.HttpStatusCode? status;
            try
            {
                using var ready = await outsider.Http.GetAsync("/healthz/ready");
                status = ready.StatusCode;
            }
            catch (HttpRequestException)
            {
                status = null; // it was stopping as we asked (the shutdown above): not ready either
            }
            Assert.NotEqual(System.Net.HttpStatusCode.OK, status);
        }
        // and the cluster still works: an order posted to b is processed
        var outcomes = new OrderOutcomes();
        await outcomes.PostAsync(b.Http, "tls-0001", Expected.Codes[0]);
        await outcomes.ResolveAsync(b.Http, TimeSpan.FromSeconds(30));
        outcomes.AssertEveryAnswerKeptTheContract();
    }

    private sealed class Cluster(NodeProcess[] nodes) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            foreach (var node in nodes) await node.DisposeAsync();
        }
    }

}
