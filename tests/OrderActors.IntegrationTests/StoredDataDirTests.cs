using System.Text.Json.Nodes;
using OrderActors.Fixtures;
using OrderActors.IntegrationTests.Support;
using Xunit.Abstractions;

namespace OrderActors.IntegrationTests;

/// <summary>
/// An upgrade keeps what was stored: a node of today's build starts on a copy of a data dir written by an earlier
/// build (tests/fixtures/datadir, see its README) and serves every order, feed entry, stock tally and catalog change
/// in it, knows every order it accepted (a resend is a duplicate, other content a conflict), and carries on from it.
/// </summary>
public class StoredDataDirTests(ITestOutputHelper output)
{
    private static readonly JsonNode Catalog = JsonNode.Parse(File.ReadAllText(Repo.Sample("catalog.json")))!;
    private static readonly Dictionary<string, JsonNode> Products = Catalog["products"]!.AsArray().ToDictionary(p => (string)p!["sku"]!, p => p!);
    private static readonly Dictionary<string, string> Manufacturers =
        Catalog["manufacturers"]!.AsArray().ToDictionary(m => (string)m!["id"]!, m => (string)m!["name"]!);

    /// <summary>A node of today's build on a copy of the data dir fixture <paramref name="version"/> (the fixture is never written).</summary>
    private static async Task<NodeProcess> StartOnACopyOfAsync(string version)
    {
        var copy = Path.Combine(Path.GetTempPath(), $"orderactors-test-stored-{version}-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(copy);
        foreach (var file in Directory.GetFiles(Path.Combine(Repo.Root, "tests", "fixtures", "datadir", version)))
            File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
        return await NodeProcess.StartAsync(copy);
    }

    [Fact]
    public async Task Orders_stored_under_ids_not_in_NFC_by_an_earlier_build_answer_to_them_and_a_resend_is_never_a_second_order()
    {
        await using var node = await StartOnACopyOfAsync(DataDirScriptV2.Version);
        var sent = DataDirScriptV2.Orders();

        // each stored order answers to the id it was stored under, the two spellings of one id still two orders
        foreach (var (id, code) in DataDirScriptV2.Ids)
        {
            var view = await node.Http.GetJsonAsync($"/api/orders/{Uri.EscapeDataString(id)}");
            Assert.True(view.Code == 200, $"order {id}: {view}");
            Assert.Equal((id, code, "processed"), ((string)view.Body!["orderId"]!, (string)view.Body["businessCode"]!, (string)view.Body["status"]!));
        }

        // sent again as then: the same order (200), or a conflict with different content (409), never a second order
        foreach (var order in sent)
            Assert.Equal(200, (await node.Http.PostJsonAsync("/api/orders", order)).Code);
        var changed = sent[0].DeepClone()!.AsObject();
        changed["customerId"] = "ALFKI";
        Assert.Equal(409, (await node.Http.PostJsonAsync("/api/orders", changed)).Code);
        var batch = await node.Http.PostJsonAsync("/api/orders/batch", sent);
        Assert.Equal(sent.Count, (int)batch.Body!["duplicates"]!);

        // a new order sent decomposed is stored in NFC: both spellings are that one order
        var fresh = new System.Text.Json.Nodes.JsonObject
        {
            ["orderId"] = "v2-the\u0301-5", ["businessCode"] = "TRANSFER",
            ["lines"] = new System.Text.Json.Nodes.JsonArray(new System.Text.Json.Nodes.JsonObject { ["sku"] = "20", ["quantity"] = 1 }),
        };
        var accepted = await node.Http.PostJsonAsync("/api/orders", fresh);
        Assert.Equal((202, "v2-th\u00e9-5"), (accepted.Code, (string)accepted.Body!["orderId"]!));
        var composed = fresh.DeepClone()!.AsObject();
        composed["orderId"] = "v2-th\u00e9-5";
        Assert.Equal(200, (await node.Http.PostJsonAsync("/api/orders", composed)).Code);
        foreach (var spelling in new[] { "v2-the\u0301-5", "v2-th\u00e9-5" })
            Assert.Equal("v2-th\u00e9-5", (string)(await node.Http.GetJsonAsync($"/api/orders/{Uri.EscapeDataString(spelling)}")).Body!["orderId"]!);

        // every order in every unit it routes to, once, and nothing else
        var expected = DataDirScriptV2.Ids.ToDictionary(o => o.Id, o => o.Code);
        expected["v2-th\u00e9-5"] = "TRANSFER";
        await Feeds.AssertDeliveredExactlyOnceAsync(node.Http, expected, TimeSpan.FromSeconds(60));
        var items = await Feeds.ReadAllAsync(node.Http);
        Assert.Equal(expected.Sum(kv => Expected.UnitsByCode[kv.Value].Length), items.Count);
        output.WriteLine($"{items.Count} unit queue entries for {expected.Count} orders");
    }

    [Fact]
    public async Task A_data_dir_written_by_the_v1_build_is_served_whole_by_todays_node()
    {
        await using var node = await StartOnACopyOfAsync(DataDirScriptV1.Version);

        var early = DataDirScriptV1.EarlyOrders();
        var late = DataDirScriptV1.LateOrdersSent();
        var sent = early.Concat(late).ToList();
        Assert.Equal(105, sent.Count);

        // every order: its view, its units and its enriched lines as they were stored
        foreach (var order in sent)
        {
            var id = (string)order["orderId"]!;
            var code = (string)order["businessCode"]!;
            var view = await node.Http.GetJsonAsync($"/api/orders/{Uri.EscapeDataString(id)}");
            Assert.True(view.Code == 200, $"order {id}: {view}");
            var body = view.Body!;
            Assert.Equal((code, "processed", Expected.FirstQueue(id)), ((string)body["businessCode"]!, (string)body["status"]!, (int)body["firstQueue"]!));
            var units = body["units"]!.AsArray();
            Assert.Equal(Expected.UnitsByCode[code].Order(), units.Select(u => (string)u!["unit"]!).Order());
            Assert.All(units, u => Assert.Equal((Expected.FirstQueue(id) % Expected.QueuesPerUnit, "processed"), ((int)u!["queue"]!, (string)u["status"]!)));

            var sentLines = order["lines"]!.AsArray();
            var lines = body["lines"]!.AsArray();
            Assert.Equal(sentLines.Count, lines.Count);
            for (var i = 0; i < lines.Count; i++)
            {
                var (s, l) = (sentLines[i]!, lines[i]!);
                var sku = (string)s["sku"]!;
                var product = Products[sku];
                var price = s["unitPrice"] is { } given ? (decimal)given
                    : late.Contains(order) ? DataDirScriptV1.NewPrice : (decimal)product["unitPrice"]!;
                Assert.Equal((sku, (int)s["quantity"]!, price), ((string)l["sku"]!, (int)l["quantity"]!, (decimal)l["unitPrice"]!));
                Assert.Equal((string)product["name"]!, (string)l["product"]!["name"]!);
                var manufacturer = (string)product["manufacturerId"]!;
                Assert.Equal((manufacturer, Manufacturers[manufacturer]), ((string)l["manufacturer"]!["id"]!, (string)l["manufacturer"]!["name"]!));
            }
        }

        // every feed: each order exactly once in each unit it routes to, nothing else, seq gapless from 1
        var codes = sent.ToDictionary(o => (string)o["orderId"]!, o => (string)o["businessCode"]!);
        await Feeds.AssertDeliveredExactlyOnceAsync(node.Http, codes, TimeSpan.FromSeconds(30));

        // the catalog change, and every stock tally the orders, the receipt and the count left
        Assert.Equal(DataDirScriptV1.NewPrice, (decimal)(await node.Http.GetJsonAsync($"/api/catalog/products/{DataDirScriptV1.RepricedSku}")).Body!["unitPrice"]!);
        var moved = new Dictionary<string, long>();
        foreach (var order in sent)
            foreach (var line in order["lines"]!.AsArray())
                moved[(string)line!["sku"]!] = moved.GetValueOrDefault((string)line["sku"]!) + Expected.StockSign[(string)order["businessCode"]!] * (int)line["quantity"]!;
        foreach (var (sku, delta) in moved)
        {
            var tally = (await node.Http.GetJsonAsync($"/api/inventory/{sku}")).Body!;
            var (onHand, onOrder) = ((long)Products[sku]["stockOnHand"]! + delta, (long)Products[sku]["onOrder"]!);
            if (sku == DataDirScriptV1.ReceiptSku) (onHand, onOrder) = (onHand + DataDirScriptV1.ReceiptQuantity, onOrder - Math.Min(DataDirScriptV1.ReceiptQuantity, onOrder));
            if (sku == DataDirScriptV1.CountedSku) onHand = DataDirScriptV1.CountedOnHand;
            Assert.True((onHand, onOrder) == ((long)tally["onHand"]!, (long)tally["onOrder"]!), $"SKU {sku}: expected {onHand}/{onOrder}, got {tally.ToJsonString()}");
        }
        Assert.Contains(DataDirScriptV1.ReceiptSku, moved.Keys);
        Assert.Contains(DataDirScriptV1.CountedSku, moved.Keys);

        // every order is still known: sent again, each is a duplicate (those without a price too, after the price
        // change), and other content under a stored id is a conflict
        var again = await node.Http.PostAsync("/api/orders/batch", new JsonArray(sent.Select(o => o.DeepClone()).ToArray()).ToJsonString());
        Assert.Equal(200, again.Code);
        Assert.Equal((0, 105, 0), ((int)again.Body!["accepted"]!, (int)again.Body["duplicates"]!, (int)again.Body["rejected"]!));
        var changed = (JsonObject)early[0].DeepClone();
        changed["customerId"] = "OTHER";
        Assert.Equal(409, (await node.Http.PostAsync("/api/orders", changed.ToJsonString())).Code);

        // and it carries on: new orders continue each queue's seq with no gap
        var fresh = Enumerable.Range(0, 12).ToDictionary(i => $"after-upgrade-{i}", i => Expected.Codes[i % Expected.Codes.Length]);
        foreach (var (id, code) in fresh)
            Assert.Equal(202, (await node.Http.PostJsonAsync("/api/orders", Expected.Order(id, code))).Code);
        var took = await Feeds.AssertDeliveredExactlyOnceAsync(node.Http, codes.Concat(fresh).ToDictionary(), TimeSpan.FromSeconds(60));
        output.WriteLine($"105 stored orders served; 12 new ones processed {took.TotalSeconds:N1} s later");
    }
}
