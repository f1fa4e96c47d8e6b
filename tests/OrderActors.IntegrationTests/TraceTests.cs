using System.Text.Json.Nodes;
using OrderActors.IntegrationTests.Support;

namespace OrderActors.IntegrationTests;

/// <summary>The trace of an order: every hop from what is stored, the same after a kill -9 and a restart.</summary>
public class TraceTests
{
    [Fact]
    public async Task An_orders_trace_lists_every_hop_in_time_order_and_survives_a_kill_9()
    {
        await using var node = await NodeProcess.StartAsync();
        var secret = WebhookDeliveryTests.NewSecret();
        await using var receiver = await ReceiverProcess.StartAsync(secret);
        Assert.Equal(200, (await node.Http.PutAsync("/api/admin/units/erp/delivery",
            $$"""{"mode":"webhook","url":"{{receiver.Webhook}}","secrets":["{{secret}}"]}""")).Code);
        const string id = "trace-1";
        Assert.Equal(202, (await node.Http.PostJsonAsync("/api/orders", Expected.Order(id, "B2C"))).Code);
        var k = Expected.FirstQueue(id) % Expected.QueuesPerUnit;

        // erp: delivered by webhook (first); wms: pull, acked by its consumer, which then reports the order picked
        await Poll.UntilAsync(async () => (await node.Http.GetJsonAsync($"/api/orders/{id}")).Body!["units"]!.AsArray()
            .Any(u => (string)u!["unit"]! == "erp" && (string)u["status"]! == "delivered"), "erp's receiver has it (and it is stored)");
        var wms = await Poll.ForAsync(async () => (await node.Http.GetJsonAsync($"/api/units/wms/queues/{k}/orders")).Body!["orders"]!.AsArray(),
            o => o.Count == 1, "the order in wms's feed");
        var seq = (long)wms[0]!["seq"]!;
        Assert.Equal(200, (await node.Http.PostAsync($"/api/units/wms/queues/{k}/ack", $$"""{"upTo":{{seq}}}""")).Code);
        Assert.Equal(200, (await node.Http.PostAsync($"/api/units/wms/orders/{id}/status", """{"status":"picked","reference":"PK-7"}""")).Code);
        var trace = await Poll.ForAsync(async () => (await node.Http.GetJsonAsync($"/api/orders/{id}/trace")).Body!,
            t => (string)t["status"]! == "delivered", "the trace of a delivered order");

        var hops = Hops(trace);
        Assert.Equal(("accepted", $"first queue {Expected.FirstQueue(id)}"), (hops[0].Step, hops[0].Place));
        Assert.Equal("routed", hops[1].Step);
        Assert.Contains($"code B2C to erp-{k}, wms-{k} (routing table version 1)", hops[1].Detail);
        foreach (var unit in new[] { "erp", "wms" })
            Assert.Equal(["queued", "processed", "delivered"], hops.Where(h => h.Place == $"{unit}-{k}").Select(h => h.Step));
        Assert.Contains("confirmed by erp's receiver (2xx) after 1 attempt", hops.Single(h => h is { Place: var p, Step: "delivered" } && p.StartsWith("erp")).Detail);
        Assert.Equal("acked by wms's consumer", hops.Single(h => h is { Place: var p, Step: "delivered" } && p.StartsWith("wms")).Detail);
        Assert.Equal(("reported", "wms", "picked, reference PK-7"), hops.Select(h => (h.Step, h.Place, h.Detail)).Last());
        var times = hops.Select(h => h.At!.Value).ToList();
        Assert.Equal(times.Order(), times); // in time order

        // what is stored is what is shown: after a kill -9 and a restart, the same trace
        await Poll.UntilAsync(async () => (await node.Http.GetJsonAsync($"/api/orders/{id}/trace")).Body!.ToJsonString() == trace.ToJsonString(),
            "the trace unchanged while the node runs");
        node.Kill();
        await node.StartAsync();
        var again = await Poll.ForAsync(async () => await node.Http.GetJsonAsync($"/api/orders/{id}/trace"), r => r.Code == 200, "the trace after the restart");
        Assert.Equal(trace.ToJsonString(), again.Body!.ToJsonString());

        // orderctl prints it
        var (code, table, _) = await Repo.OrderCtlAsync("--node", node.Url.ToString(), "orders", "trace", id);
        Assert.Equal(0, code);
        Assert.Contains("acked by wms's consumer", table);
        Assert.Equal(404, (await node.Http.GetJsonAsync("/api/orders/no-such-order/trace")).Code);
    }

    [Fact]
    public async Task Each_webhook_attempt_that_did_not_deliver_is_a_hop_of_the_trace_before_the_delivery()
    {
        await using var node = await WebhookDeliveryTests.StartNodeAsync(); // fast retries
        var secret = WebhookDeliveryTests.NewSecret();
        await using var receiver = await ReceiverProcess.StartAsync(secret, "--status", "503", "--status-count", "2");
        Assert.Equal(200, (await node.Http.PutAsync("/api/admin/units/erp/delivery",
            $$"""{"mode":"webhook","url":"{{receiver.Webhook}}","secrets":["{{secret}}"],"batch":1}""")).Code);
        const string id = "trace-retried";
        Assert.Equal(202, (await node.Http.PostJsonAsync("/api/orders", Expected.Order(id, "PRESALE"))).Code); // erp only
        var trace = await Poll.ForAsync(async () => (await node.Http.GetJsonAsync($"/api/orders/{id}/trace")).Body!,
            t => (string)t["status"]! == "delivered", "delivered after two 503s", seconds: 60);
        var hops = Hops(trace);
        var failed = hops.Where(h => h.Step == "attempt failed").ToList();
        Assert.Equal(2, failed.Count);
        Assert.All(failed, h => Assert.Matches(@"^503 Service Unavailable after \d+ ms \(request of seqs 1\.\.1\)$", h.Detail));
        Assert.Equal(["attempt failed", "attempt failed", "delivered"], hops.Where(h => h.Place.StartsWith("erp-")).Select(h => h.Step).Skip(2));
        Assert.EndsWith("after 3 attempts", hops.Single(h => h.Step == "delivered").Detail);
    }

    private static List<(DateTimeOffset? At, string Step, string Place, string Detail)> Hops(JsonNode trace) =>
        trace["hops"]!.AsArray().Select(h => (h!["at"]?.GetValue<DateTimeOffset>(), (string)h["step"]!, (string)h["place"]!, (string)h["detail"]!)).ToList();
}
