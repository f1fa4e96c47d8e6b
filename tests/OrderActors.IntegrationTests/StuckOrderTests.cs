using System.Text.Json.Nodes;
using OrderActors.IntegrationTests.Support;

namespace OrderActors.IntegrationTests;

/// <summary>The stuck-order finder and orderctl's views of it, on a real node whose webhook receiver is down.</summary>
public class StuckOrderTests
{
    [Fact]
    public async Task Every_undelivered_order_is_found_with_where_it_waits_and_why()
    {
        await using var node = await NodeProcess.StartAsync();
        var (deadPort, _) = LoopbackPorts.TwoFree();
        Assert.Equal(200, (await node.Http.PutAsync("/api/admin/units/erp/delivery",
            $$"""{"mode":"webhook","url":"http://127.0.0.1:{{deadPort}}/webhook","secrets":["{{WebhookDeliveryTests.NewSecret()}}"],"batch":5}""")).Code);
        var ids = Enumerable.Range(0, 10).Select(i => $"stuck-{i}").ToList();
        foreach (var id in ids) Assert.Equal(202, (await node.Http.PostJsonAsync("/api/orders", Expected.Order(id, "B2C"))).Code);

        // erp's receiver does not answer (block: retried without end); wms is pull and nobody acks
        var stuck = await Poll.ForAsync(async () => (await node.Http.GetJsonAsync("/api/orders/stuck?olderThan=0s")).Body!.AsArray(),
            a => a.Count == 20 && a.Count(o => ((string)o!["reason"]!).StartsWith("retrying: could not connect")) == Expected.QueuesPerUnit,
            "all 20 (order, unit) pairs found, each erp queue's first request retrying");
        Assert.Equal(ids.Order(), stuck.Where(o => (string)o!["unit"]! == "erp").Select(o => (string)o!["orderId"]!).Order());
        Assert.Equal(ids.Order(), stuck.Where(o => (string)o!["unit"]! == "wms").Select(o => (string)o!["orderId"]!).Order());
        Assert.All(stuck.Where(o => (string)o!["unit"]! == "wms"), o => Assert.StartsWith("no consumer has acked it: wms-", (string)o!["reason"]!));
        Assert.All(stuck.Where(o => (string)o!["unit"]! == "erp"), o => Assert.Matches(
            "^(retrying: could not connect|behind \\d+ orders? of erp-\\d its receiver has not taken \\(could not connect)", (string)o!["reason"]!));
        var since = stuck.Select(o => o!["waitingSince"]!.GetValue<DateTimeOffset>()).ToList();
        Assert.Equal(since.Order(), since); // oldest first

        Assert.Equal(10, (await node.Http.GetJsonAsync("/api/orders/stuck?olderThan=0s&unit=wms")).Body!.AsArray().Count);
        Assert.Empty((await node.Http.GetJsonAsync("/api/orders/stuck?olderThan=1h")).Body!.AsArray());
        Assert.Equal(3, (await node.Http.GetJsonAsync("/api/orders/stuck?olderThan=0s&limit=3")).Body!.AsArray().Count);
        var bad = await node.Http.GetJsonAsync("/api/orders/stuck?olderThan=soon");
        Assert.Equal((400, "must be a duration such as 30s, 5m or 1h (got 'soon')"), (bad.Code, (string)bad.Body!["errors"]!["olderThan"]![0]!));
        Assert.Equal(404, (await node.Http.GetJsonAsync("/api/orders/stuck?unit=crm")).Code);

        // orderctl: the table for people, JSON for scripts, and top's panels
        var url = node.Url.ToString();
        var (code, table, _) = await Repo.OrderCtlAsync("--node", url, "orders", "stuck", "--older-than", "0s", "--unit", "wms");
        Assert.Equal(0, code);
        Assert.Contains("no consumer has acked it", table);
        Assert.Equal(10, ids.Count(id => table.Contains(id)));
        var (jsonCode, json, _) = await Repo.OrderCtlAsync("--node", url, "orders", "stuck", "--older-than", "0s", "--json");
        Assert.Equal((0, 20), (jsonCode, JsonNode.Parse(json)!.AsArray().Count));
        var (topCode, top, _) = await Repo.OrderCtlAsync("--node", url, "top", "--once");
        Assert.Equal(0, topCode);
        Assert.Contains("accepted 10", top);
        Assert.Contains("erp", top);
        Assert.Contains("could not connect", top);
    }
}
