using System.Text.Json.Nodes;
using OrderActors.Harness;
using OrderActors.IntegrationTests.Support;
using Xunit.Abstractions;

namespace OrderActors.IntegrationTests;

/// <summary>
/// Routing changed while the node runs (docs/change-routing.md): a draft checked field by field, published over the
/// version the caller expects, a new unit's queues appearing without a restart, and every order routed by exactly one
/// version, the one its first queue's cut gives it, which its view, its feed items and its trace name.
/// </summary>
public class RoutingVersionTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_published_version_routes_every_later_order_and_no_earlier_one_and_each_order_names_its_version()
    {
        await using var node = await NodeProcess.StartAsync();
        var http = node.Http;

        var versions = await http.GetJsonAsync("/api/admin/routing/versions");
        Assert.Equal(200, versions.Code);
        Assert.Equal(1, (int)versions.Body!.AsArray().Single()!["version"]!);
        Assert.Equal(404, (await http.GetJsonAsync("/api/admin/routing/draft")).Code);

        // a draft that cannot be a version over the live table: each field named
        var bad = await http.PutAsync("/api/admin/routing/draft", """
            {"units": {"erp": {"queues": 8}, "wms": {"queues": 4}}, "codes": {"B2C": {"units": ["erp", "crm"]}, "X": {"units": ["wms"], "stockEfect": "ship"}}}
            """);
        Assert.Equal(400, bad.Code);
        Assert.Equal(["codes.X.stockEfect"], bad.Body!["errors"]!.AsObject().Select(e => e.Key));
        bad = await http.PutAsync("/api/admin/routing/draft", """
            {"units": {"erp": {"queues": 8}, "wms": {"queues": 4}}, "codes": {"B2C": {"units": ["erp", "crm"]}, "X": {"units": ["wms"]}}}
            """);
        Assert.Equal(400, bad.Code);
        Assert.Equal(["codes.B2C.units[1]", "units.erp.queues"], bad.Body!["errors"]!.AsObject().Select(e => e.Key).Order());

        var draft = await http.PutAsync("/api/admin/routing/draft", RoutingTables.WithCrm);
        Assert.Equal(200, draft.Code);
        Assert.Equal(["crm", "erp", "wms"], draft.Body!["units"]!.AsObject().Select(u => u.Key));
        Assert.Equal(200, (await http.GetJsonAsync("/api/admin/routing/draft")).Code);
        var diff = await http.GetJsonAsync("/api/admin/routing/diff?from=1&to=draft");
        Assert.Equal(["crm"], diff.Body!["unitsAdded"]!.AsArray().Select(u => (string)u!));
        Assert.Equal(["GIFT"], diff.Body!["codesAdded"]!.AsArray().Select(u => (string)u!));
        Assert.Equal(["B2C", "PRESALE"], diff.Body!["codesMoved"]!.AsArray().Select(m => (string)m!["code"]!));

        // before the publish: version 1 routes, and a code only the draft knows is refused
        var before = Orders("before", 120, ["B2C", "PRESALE", "SERVICE", "RETURN"]);
        await PostAllAsync(http, before);
        Assert.Equal(422, (await http.PostJsonAsync("/api/orders", Expected.Order("gift-early", "GIFT"))).Code);

        var stale = await http.PostJsonAsync("/api/admin/routing/publish", new { expectedVersion = 0, note = "connect the CRM" });
        Assert.Equal(409, stale.Code);
        Assert.Contains("expectedVersion", stale.Body!["errors"]!.AsObject().Select(e => e.Key));
        var published = await http.PostJsonAsync("/api/admin/routing/publish", new { expectedVersion = 1, note = "connect the CRM" });
        Assert.Equal(200, published.Code);
        Assert.Equal(2, (int)published.Body!["version"]!);
        Assert.Equal("connect the CRM", (string)published.Body!["note"]!);
        Assert.Equal(409, (await http.PostJsonAsync("/api/admin/routing/publish", new { expectedVersion = 2 })).Code); // no draft left
        Assert.Equal(2, (int)(await http.GetJsonAsync("/api/routing")).Body!["version"]!);

        var after = Orders("after", 120, ["B2C", "PRESALE", "SERVICE", "RETURN", "GIFT"]);
        await PostAllAsync(http, after);

        var expected = before.ToDictionary(kv => kv.Key, kv => (Units: Expected.UnitsByCode[kv.Value], Version: 1))
            .Concat(after.ToDictionary(kv => kv.Key, kv => (Units: RoutingTables.CrmUnitsByCode[kv.Value], Version: 2)))
            .ToDictionary(kv => kv.Key, kv => kv.Value);
        var items = (await Poll.ForAsync(() => RoutingTables.ReadFeedsAsync(http), found => found?.Count == expected.Sum(e => e.Value.Units.Length),
            "every order in every unit its version routes it to", 60))!;
        // each (order, unit) exactly once, only where its version routes it, the feed item naming that version
        Assert.Equal(expected.SelectMany(e => e.Value.Units.Select(u => (e.Key, u))).Order(), items.Select(i => (i.OrderId, i.Unit)).Order());
        Assert.All(items, i => Assert.Equal(expected[i.OrderId].Version, i.RoutingVersion));
        foreach (var queue in items.GroupBy(i => (i.Unit, i.Queue)))
            Assert.Equal(Enumerable.Range(1, queue.Count()).Select(i => (long)i), queue.Select(i => i.Seq).Order());

        foreach (var id in new[] { "before-0001", "after-0001" })
        {
            var view = await http.GetJsonAsync($"/api/orders/{id}");
            Assert.Equal(expected[id].Version, (int)view.Body!["routingVersion"]!);
            Assert.Equal(expected[id].Units.Order(), view.Body!["units"]!.AsArray().Select(u => (string)u!["unit"]!).Order());
            Assert.Equal(expected[id].Version, (int)(await http.GetJsonAsync($"/api/orders/{id}/trace")).Body!["routingVersion"]!);
        }

        // every first queue switched once, at a cut that splits its orders exactly as their versions say
        var cuts = (await http.GetJsonAsync("/api/admin/routing/cuts")).Body!.AsArray();
        Assert.Equal(Expected.FirstQueues, cuts.Count);
        foreach (var queue in cuts)
        {
            var cut = queue!["cuts"]!.AsArray().Single()!;
            Assert.Equal((2, 2), ((int)queue["version"]!, (int)cut["version"]!));
            var fromOffset = (long)cut["fromOffset"]!;
            var k = (int)queue["queue"]!;
            foreach (var id in expected.Keys.Where(id => Expected.FirstQueue(id) == k))
            {
                var trace = (await http.GetJsonAsync($"/api/orders/{id}/trace")).Body!;
                Assert.Equal((long)trace["offset"]! >= fromOffset ? 2 : 1, (int)trace["routingVersion"]!);
            }
        }

        // a restart reads the same versions and cuts back
        await node.TerminateAsync(TimeSpan.FromSeconds(60));
        await node.StartAsync();
        Assert.Equal([1, 2], (await http.GetJsonAsync("/api/admin/routing/versions")).Body!.AsArray().Select(v => (int)v!["version"]!));
        Assert.Equal(1, (int)(await http.GetJsonAsync("/api/orders/before-0002")).Body!["routingVersion"]!);
        Assert.Equal(202, (await http.PostJsonAsync("/api/orders", Expected.Order("gift-late", "GIFT"))).Code);
        var late = await Poll.ForAsync(() => http.GetJsonAsync("/api/orders/gift-late"), r => (string?)r.Body?["status"] == "processed", "gift-late processed");
        Assert.Equal(2, (int)late.Body!["routingVersion"]!);
        Assert.Equal(["crm"], late.Body!["units"]!.AsArray().Select(u => (string)u!["unit"]!));
        output.WriteLine($"{items.Count} (order, unit) pairs, each by its version");
    }

    [Fact]
    public async Task A_unit_is_retired_only_once_its_queues_are_drained_and_its_feed_stays_readable()
    {
        await using var node = await NodeProcess.StartAsync();
        var http = node.Http;
        Assert.Equal(200, (await http.PutAsync("/api/admin/routing/draft", RoutingTables.WithCrm)).Code);
        Assert.Equal(200, (await http.PostJsonAsync("/api/admin/routing/publish", new { expectedVersion = 1 })).Code);
        var sales = Orders("sale", 20, ["B2C"]);
        await PostAllAsync(http, sales);
        var crm = await Poll.ForAsync(() => RoutingTables.ReadFeedsAsync(http), f => f?.Count(i => i.Unit == "crm") == 20, "the CRM's 20 orders");

        // draining: the CRM kept with no code takes no new orders (a new unit without codes is refused)
        var configured = (await http.GetJsonAsync("/api/admin/routing/versions/1")).Body!["table"]!.AsObject();
        var draining = JsonNode.Parse(configured.ToJsonString())!.AsObject();
        draining["units"]!["crm"] = new JsonObject { ["queues"] = 2 };
        Assert.Equal(200, (await http.PutAsync("/api/admin/routing/draft", draining.ToJsonString())).Code);
        draining["units"]!["hr"] = new JsonObject { ["queues"] = 1 };
        var unused = await http.PutAsync("/api/admin/routing/draft", draining.ToJsonString());
        Assert.Equal(["units.hr"], unused.Body!["errors"]!.AsObject().Select(e => e.Key));

        // retiring it while its orders are not confirmed downstream: 409 naming the unit
        Assert.Equal(200, (await http.PutAsync("/api/admin/routing/draft", configured.ToJsonString())).Code);
        var refused = await http.PostJsonAsync("/api/admin/routing/publish", new { expectedVersion = 2, note = "retire the CRM" });
        Assert.Equal(409, refused.Code);
        Assert.Contains("unit crm still holds orders not delivered", (string)refused.Body!["detail"]!);

        foreach (var queue in crm!.Where(i => i.Unit == "crm").GroupBy(i => i.Queue))
            Assert.Equal(200, (await http.PostJsonAsync($"/api/units/crm/queues/{queue.Key}/ack", new { upTo = queue.Max(i => i.Seq) })).Code);
        var retired = await http.PostJsonAsync("/api/admin/routing/publish", new { expectedVersion = 2, note = "retire the CRM" });
        Assert.Equal(200, retired.Code);
        Assert.Equal(3, (int)retired.Body!["version"]!);

        Assert.Equal(202, (await http.PostJsonAsync("/api/orders", Expected.Order("sale-late", "B2C"))).Code);
        var late = await Poll.ForAsync(() => http.GetJsonAsync("/api/orders/sale-late"), r => (string?)r.Body?["status"] == "processed", "sale-late processed");
        Assert.Equal(["erp", "wms"], late.Body!["units"]!.AsArray().Select(u => (string)u!["unit"]!).Order());
        var units = (await http.GetJsonAsync("/api/units")).Body!.AsArray().Select(u => (string)u!["unit"]!);
        Assert.Contains("crm", units); // retired, still readable
        Assert.Equal(20, (await RoutingTables.ReadFeedsAsync(http))!.Count(i => i.Unit == "crm"));
    }

    [Fact]
    public async Task A_preview_tries_the_draft_on_the_last_accepted_orders_and_a_test_routes_one_body_storing_nothing()
    {
        await using var node = await NodeProcess.StartAsync();
        var http = node.Http;
        var codes = new[] { "B2C", "PRESALE", "SERVICE", "RETURN", "TRANSFER" };
        var orders = Orders("pv", 12_000, codes);
        await PostAllAsync(http, orders);
        Assert.Equal(200, (await http.PutAsync("/api/admin/routing/draft", RoutingTables.WithCrm)).Code);

        var preview = await http.PostJsonAsync("/api/admin/routing/preview", new { });
        Assert.True(preview.Code == 200, preview.ToString());
        var body = preview.Body!;
        output.WriteLine($"preview of {body["preview"]!["orders"]} orders answered in {body["tookMs"]} ms (node side)");
        Assert.Equal(("draft", 1, true, 10_000), ((string)body["table"]!, (int)body["liveVersion"]!, (bool)body["complete"]!, (int)body["preview"]!["orders"]!));
        var byCode = body["preview"]!["byCode"]!.AsArray().ToDictionary(c => (string)c!["code"]!, c => (int)c!["orders"]!);
        Assert.Equal(10_000, byCode.Values.Sum());
        Assert.All(byCode.Values, n => Assert.InRange(n, 1_999, 2_001)); // the last 10,000 of a round robin over five codes
        var crm = body["preview"]!["byUnit"]!.AsArray().Single(u => (string)u!["unit"]! == "crm")!;
        Assert.Equal((0, byCode["B2C"] + byCode["PRESALE"]), ((int)crm["live"]!, (int)crm["preview"]!));
        Assert.Equal(byCode["B2C"] + byCode["PRESALE"], (int)body["preview"]!["affectedOrders"]!);
        Assert.Empty(body["preview"]!["unroutable"]!.AsArray());
        Assert.Equal(1, (int)(await http.GetJsonAsync("/api/routing")).Body!["version"]!); // nothing published, nothing written

        var few = await http.PostJsonAsync("/api/admin/routing/preview", new { version = 1, last = 50 });
        Assert.Equal((50, 0), ((int)few.Body!["preview"]!["orders"]!, (int)few.Body!["preview"]!["affectedOrders"]!));
        Assert.Equal(400, (await http.PostJsonAsync("/api/admin/routing/preview", new { last = 0 })).Code);

        var gift = Expected.Order("gift-1", "GIFT");
        var underDraft = await http.PostJsonAsync("/api/admin/routing/test?version=draft", gift);
        Assert.Equal(200, underDraft.Code);
        Assert.True((bool)underDraft.Body!["routed"]!);
        Assert.Equal([("crm", Expected.FirstQueue("gift-1") % 2)],
            underDraft.Body!["units"]!.AsArray().Select(u => ((string)u!["unit"]!, (int)u["queue"]!)));
        var underLive = await http.PostJsonAsync("/api/admin/routing/test", gift);
        Assert.Equal(200, underLive.Code);
        Assert.False((bool)underLive.Body!["routed"]!);
        Assert.Equal(400, (await http.PostJsonAsync("/api/admin/routing/test", new { orderId = "x" })).Code);
        Assert.Equal(404, (await http.GetJsonAsync("/api/orders/gift-1")).Code); // stored nowhere
    }

    [Fact]
    public async Task Orderctl_sets_a_draft_from_a_file_shows_its_diff_publishes_it_and_lists_the_versions()
    {
        await using var node = await NodeProcess.StartAsync();
        var url = node.Url.ToString();
        var dir = Directory.CreateTempSubdirectory("orderactors-routing-");
        try
        {
            var bad = Path.Combine(dir.FullName, "bad.json");
            await File.WriteAllTextAsync(bad, """{"units": {"erp": {"queues": 8}}, "codes": {"B2C": {"units": ["erp", "crm"]}}}""");
            var (badCode, _, badError) = await Repo.OrderCtlAsync("--node", url, "routing", "draft", "set", bad);
            Assert.Equal(1, badCode);
            Assert.Contains("units.erp.queues", badError);
            Assert.Contains("codes.B2C.units[1]", badError);

            var draft = Path.Combine(dir.FullName, "crm.json");
            await File.WriteAllTextAsync(draft, RoutingTables.WithCrm);
            Assert.Equal(0, (await Repo.OrderCtlAsync("--node", url, "routing", "draft", "set", draft)).ExitCode);
            var (diffCode, diff, _) = await Repo.OrderCtlAsync("--node", url, "routing", "diff");
            Assert.Equal(0, diffCode);
            Assert.Contains("+ unit crm", diff);
            Assert.Contains("~ code PRESALE: erp -> crm", diff);

            await PostAllAsync(node.Http, Orders("ctl", 40, ["B2C", "PRESALE"]));
            var (previewCode, preview, _) = await Repo.OrderCtlAsync("--node", url, "routing", "preview", "--last", "40");
            Assert.Equal(0, previewCode);
            Assert.Contains("40 orders would go elsewhere", preview);
            var order = Path.Combine(dir.FullName, "gift.json");
            await File.WriteAllTextAsync(order, System.Text.Json.JsonSerializer.Serialize(Expected.Order("gift-9", "GIFT")));
            var (testCode, test, _) = await Repo.OrderCtlAsync("--node", url, "routing", "test", order, "--version", "draft");
            Assert.Equal(0, testCode);
            Assert.Contains("goes to crm-", test);

            Assert.Equal(1, (await Repo.OrderCtlAsync("--node", url, "routing", "publish", "--expect", "7")).ExitCode); // stale
            var (publishCode, published, _) = await Repo.OrderCtlAsync("--node", url, "routing", "publish", "--expect", "1", "--note", "connect the CRM");
            Assert.Equal(0, publishCode);
            Assert.Contains("version 2 published", published);

            var (versionsCode, versions, _) = await Repo.OrderCtlAsync("--node", url, "routing", "versions", "--json");
            Assert.Equal(0, versionsCode);
            Assert.Equal(["connect the CRM"], JsonNode.Parse(versions)!.AsArray().Where(v => (bool)v!["live"]!).Select(v => (string)v!["note"]!));
            var (cutsCode, cutsTable, _) = await Repo.OrderCtlAsync("--node", url, "routing", "cuts");
            Assert.Equal(0, cutsCode);
            Assert.Contains("FIRST QUEUE", cutsTable);
            var (showCode, show, _) = await Repo.OrderCtlAsync("--node", url, "routing", "show");
            Assert.Equal(0, showCode);
            Assert.Contains("version 2 (live)", show);
            Assert.Contains("GIFT", show);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    private static Dictionary<string, string> Orders(string prefix, int count, string[] codes) =>
        Enumerable.Range(0, count).ToDictionary(i => $"{prefix}-{i:D4}", i => codes[i % codes.Length]);

    private static async Task PostAllAsync(HttpClient http, Dictionary<string, string> orders)
    {
        foreach (var chunk in orders.Chunk(40))
        {
            var reply = await http.PostJsonAsync("/api/orders/batch", chunk.Select(kv => Expected.Order(kv.Key, kv.Value)).ToArray());
            Assert.Equal(200, reply.Code);
            Assert.Equal(chunk.Length, (int)reply.Body!["accepted"]!);
        }
    }
}
