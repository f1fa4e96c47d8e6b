using System.Text.Json.Nodes;
using OrderActors.Harness;
using OrderActors.IntegrationTests.Support;

namespace OrderActors.IntegrationTests;

public partial class PostgresTests
{
    /// <summary>
    /// Three nodes on PostgreSQL under steady load publish a version that moves a code to a new unit and adds the unit,
    /// while the node holding the most shards is killed -9: every order is in exactly the units of the one version its
    /// first queue's cut gives it, each once, every first queue switches once and for good, and the orders sent after
    /// the publish go by the new version.
    /// </summary>
    [Fact]
    public async Task A_version_published_under_load_while_a_node_is_killed_routes_every_order_by_exactly_one_version_once()
    {
        var nodes = await StartClusterAsync();
        await using var cluster = new Cluster(nodes);
        var outcomes = new OrderOutcomes();
        Task Post(int from, int count, NodeProcess[] targets) => PostRoundRobinAsync(outcomes, i => $"rv-{i:D5}", from, count, targets, inFlight: 24);
        await Post(0, 300, nodes);
        Assert.Equal(200, (await nodes[1].Http.PutAsync("/api/admin/routing/draft", RoutingTables.WithCrm)).Code);

        var sharding = (await nodes[0].Http.GetJsonAsync("/api/admin/sharding")).Body!.AsArray();
        var busiestAddress = sharding.SelectMany(r => r!["shards"]!.AsArray()).GroupBy(s => (string)s!["node"]!)
            .OrderByDescending(g => g.Count()).First().Key;
        var busiest = nodes.Single(n => busiestAddress.EndsWith($":{n.ClusterPort}"));
        var survivors = nodes.Where(n => n != busiest).ToArray();

        // under load: the publish goes to a survivor while the busiest node dies
        var during = Post(300, 900, nodes);
        var publish = survivors[0].Http.PostJsonAsync("/api/admin/routing/publish", new { expectedVersion = 1, note = "connect the CRM" });
        await Task.Delay(20);
        busiest.Kill();
        var killedAt = DateTime.UtcNow;
        var published = await publish;
        output.WriteLine($"publish answered {published}; killed {busiestAddress}");
        while (published.Code != 200)
        {
            // the routing tables' entity was on the killed node and the answer did not come in time: ask again, over the version it may have made
            Assert.True(published.Code is 503 or 409, $"publish: {published}");
            var live = (int)(await survivors[0].Http.GetJsonAsync("/api/routing")).Body!["version"]!;
            if (live == 2) break;
            await Task.Delay(1000);
            published = await survivors[0].Http.PostJsonAsync("/api/admin/routing/publish", new { expectedVersion = 1, note = "connect the CRM" });
        }
        var publishedAt = DateTime.UtcNow;
        await during;
        var afterFrom = 1200;
        foreach (var survivor in survivors) // pushed at once, asked every 2 s: every survivor checks orders against version 2
            await Poll.UntilAsync(async () => (int)(await survivor.Http.GetJsonAsync("/api/routing")).Body!["version"]! == 2,
                $"node :{survivor.ClusterPort} on version 2", seconds: 10);
        var lateSentFrom = DateTime.UtcNow;
        await Post(afterFrom, 300, survivors);

        try
        {
            await outcomes.ResolveAsync(survivors[0].Http, TimeSpan.FromSeconds(90));
            outcomes.AssertEveryAnswerKeptTheContract();

            // each order's version, first queue and offset, as the cluster records them
            var routed = new Dictionary<string, (int Version, int FirstQueue, long Offset)>();
            foreach (var id in outcomes.Sent.Keys)
            {
                var trace = await Poll.ForAsync(() => survivors[0].Http.GetJsonAsync($"/api/orders/{id}/trace"), r => r.Code == 200, $"trace of {id}");
                routed[id] = ((int)trace.Body!["routingVersion"]!, (int)trace.Body!["firstQueue"]!, (long)trace.Body!["offset"]!);
            }
            // every first queue switches once, for good: versions never go back along its offsets
            foreach (var queue in routed.Values.GroupBy(r => r.FirstQueue))
            {
                var versions = queue.OrderBy(r => r.Offset).Select(r => r.Version).ToList();
                Assert.True(versions.Zip(versions.Skip(1)).All(p => p.First <= p.Second), $"first queue {queue.Key} goes back a version: {string.Join(",", versions)}");
            }
            Assert.All(outcomes.Sent.Keys.Where(id => int.Parse(id[3..]) >= afterFrom), id => Assert.Equal(2, routed[id].Version));

            // every (order, unit) pair its version names, exactly once, nothing else; each feed item names that version
            var expected = routed.SelectMany(r => RoutingTables.UnitsOf(outcomes.Sent[r.Key], r.Value.Version).Select(u => (r.Key, u))).Order().ToList();
            var items = (await Poll.ForAsync(() => RoutingTables.ReadFeedsAsync(survivors[0].Http), found => found?.Count >= expected.Count,
                "every order in every unit its version routes it to", 90))!;
            Assert.Equal(expected, items.Select(i => (i.OrderId, i.Unit)).Order().ToList());
            Assert.All(items, i => Assert.Equal(routed[i.OrderId].Version, i.RoutingVersion));
            foreach (var queue in items.GroupBy(i => (i.Unit, i.Queue)))
                Assert.Equal(Enumerable.Range(1, queue.Count()).Select(i => (long)i), queue.Select(i => i.Seq).Order());
            var byVersion = routed.Values.GroupBy(r => r.Version).OrderBy(g => g.Key).Select(g => $"version {g.Key}: {g.Count()}");
            output.WriteLine($"{outcomes}; {string.Join(", ", byVersion)}; {items.Count} (order, unit) pairs each once; " +
                             $"published {(publishedAt - killedAt).TotalSeconds:N1} s after the kill; late orders from {lateSentFrom:HH:mm:ss.fff}");
        }
        catch (Exception)
        {
            foreach (var survivor in survivors) output.WriteLine($"--- node :{survivor.ClusterPort} ---\n{survivor.LogTail}");
            throw;
        }
        Assert.Equal(1_500, outcomes.Sent.Count);
        var versionsList = (await survivors[1].Http.GetJsonAsync("/api/admin/routing/versions")).Body!.AsArray();
        Assert.Equal([1, 2], versionsList.Select(v => (int)v!["version"]!));
    }
}
