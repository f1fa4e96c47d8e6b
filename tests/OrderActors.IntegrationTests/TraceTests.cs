using System.Text.Json;
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
        Assert.Equal(("received", $"node 127.0.0.1:{node.ClusterPort}", "the OMS's request"), (hops[0].Step, hops[0].Place, hops[0].Detail));
        Assert.Equal(("accepted", $"first queue {Expected.FirstQueue(id)}"), (hops[1].Step, hops[1].Place));
        Assert.Equal("routed", hops[2].Step);
        Assert.Contains($"code B2C to erp-{k}, wms-{k} (routing table version 1)", hops[2].Detail);
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

    /// <summary>
    /// W3C trace context end to end: the OMS's traceparent is stored with the order, shown in its trace, served in the
    /// feed, sent in the webhook body and (as the node's span's child) in its header; with OTLP on, the node's spans
    /// of intake, routing, the webhook send and the feed page belong to the OMS's trace, as a real OTLP/HTTP exporter
    /// sends them to the reference receiver.
    /// </summary>
    [Fact]
    public async Task An_order_sent_with_a_traceparent_carries_it_to_the_receiver_and_the_feed_and_the_nodes_spans_join_its_trace()
    {
        var secret = WebhookDeliveryTests.NewSecret();
        var bodies = Path.Combine(Path.GetTempPath(), $"oa-traced-{Guid.NewGuid():N}.ndjson");
        await using var receiver = await ReceiverProcess.StartAsync(secret, "--otlp", "--out", bodies);
        await using var node = new NodeProcess(null, "--otlp-endpoint", receiver.Url, "--otlp-protocol", "http/protobuf")
        {
            Environment = new Dictionary<string, string> { ["OTEL_BSP_SCHEDULE_DELAY"] = "200" }, // export spans promptly
        };
        await node.StartAsync();
        Assert.Equal(200, (await node.Http.PutAsync("/api/admin/units/erp/delivery",
            $$"""{"mode":"webhook","url":"{{receiver.Webhook}}","secrets":["{{secret}}"],"batch":1}""")).Code);
        const string traceId = "4bf92f3577b34da6a3ce929d0e0e4736", omsSpan = "00f067aa0ba902b7";
        const string traceParent = $"00-{traceId}-{omsSpan}-01";
        var sent = new Dictionary<string, string?> { ["traced-1"] = traceParent, ["untraced-1"] = null, ["bad-traceparent-1"] = "00-not-a-trace-context" };
        foreach (var (id, header) in sent)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/orders")
            {
                Content = new StringContent(System.Text.Json.JsonSerializer.Serialize(Expected.Order(id, "B2C")), System.Text.Encoding.UTF8, "application/json"),
            };
            if (header is not null) request.Headers.TryAddWithoutValidation("traceparent", header);
            Assert.Equal(System.Net.HttpStatusCode.Accepted, (await node.Http.SendAsync(request)).StatusCode); // an invalid one is ignored, not refused
        }
        await receiver.AssertReceivedEachOnceInOrderAsync(ReceiverProcess.OrdersFor("erp", sent.Keys), "erp's receiver has the three orders");

        // the body: each order's own traceparent, none for the others
        var delivered = File.ReadAllLines(bodies).Select(l => JsonNode.Parse(l)!).ToDictionary(o => (string)o["orderId"]!);
        Assert.Equal(traceParent, (string?)delivered["traced-1"]["traceparent"]);
        Assert.Null(delivered["untraced-1"]["traceparent"]);
        Assert.Null(delivered["bad-traceparent-1"]["traceparent"]);
        // the feed: the same
        var k = Expected.FirstQueue("traced-1") % Expected.QueuesPerUnit;
        var feed = await Poll.ForAsync(async () => (await node.Http.GetJsonAsync($"/api/units/wms/queues/{k}/orders")).Body!["orders"]!.AsArray(),
            o => o.Any(i => (string)i!["orderId"]! == "traced-1"), "the traced order in wms's feed");
        Assert.Equal(traceParent, (string?)feed.Single(i => (string)i!["orderId"]! == "traced-1")!["traceparent"]);
        // the trace view
        var trace = (await node.Http.GetJsonAsync("/api/orders/traced-1/trace")).Body!;
        Assert.Equal((traceParent, $"127.0.0.1:{node.ClusterPort}"), ((string?)trace["traceparent"], (string?)trace["receivedBy"]));
        Assert.Equal($"the OMS's request, trace {traceId}", Hops(trace)[0].Detail);
        Assert.Null((await node.Http.GetJsonAsync("/api/orders/bad-traceparent-1/trace")).Body!["traceparent"]);

        // the spans: intake under the request's server span (itself the OMS's span's child); the webhook send, of this
        // one order, the OMS's span's child; the HTTP client's request under it, whose context the receiver got
        var spans = await Poll.ForAsync(async () => JsonNode.Parse(await receiver.Http.GetStringAsync("/spans"))!.AsArray()
                .Select(n => n!.Deserialize<Span>(Json)!).ToList(),
            all => all.Any(s => s.Name == $"send erp-{k}" && s.TraceId == traceId) && all.Any(s => s.Name == $"receive wms-{k}" && InTrace(s)),
            "the node's spans of the traced order at the OTLP receiver", seconds: 60);
        var mine = spans.Where(s => s.TraceId == traceId).ToList();
        var server = mine.Single(s => s.ParentSpanId == omsSpan && s.Scope == "Microsoft.AspNetCore");
        var intake = mine.Single(s => s.Name == "receive order");
        Assert.Equal((server.SpanId, "OrderActors.Ingest", "traced-1"), (intake.ParentSpanId, intake.Scope, intake.Attributes["messaging.message.id"]));
        Assert.Contains(spans, s => s.Name == "route orders" && s.Scope == "OrderActors.Routing" && InTrace(s));
        var send = mine.Single(s => s.Name == $"send erp-{k}");
        Assert.Equal((omsSpan, "OrderActors.Delivery", 4, $"erp-{k}"), (send.ParentSpanId, send.Scope, send.Kind, send.Attributes["messaging.destination.name"]));
        var post = mine.Single(s => s.ParentSpanId == send.SpanId);
        Assert.Contains($"00-{traceId}-{post.SpanId}-01", (await receiver.StatsAsync())["traceparents"]!.AsArray().Select(t => (string)t!));
        File.Delete(bodies);

        bool InTrace(Span s) => s.TraceId == traceId || s.Links.Any(l => l.TraceId == traceId && l.SpanId == omsSpan);
    }

    private static readonly System.Text.Json.JsonSerializerOptions Json = new(System.Text.Json.JsonSerializerDefaults.Web);

    private sealed record Span(string Scope, string Name, int Kind, string TraceId, string SpanId, string? ParentSpanId,
        Dictionary<string, string> Attributes, List<SpanLink> Links);

    private sealed record SpanLink(string TraceId, string SpanId);

    private static List<(DateTimeOffset? At, string Step, string Place, string Detail)> Hops(JsonNode trace) =>
        trace["hops"]!.AsArray().Select(h => (h!["at"]?.GetValue<DateTimeOffset>(), (string)h["step"]!, (string)h["place"]!, (string)h["detail"]!)).ToList();
}
