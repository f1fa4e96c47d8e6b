using OrderActors.Actors;
using System.Text.Json;
using Akka.Actor;
using OrderActors.Actors.Serialization;
using OrderActors.Actors.Delivery;
using OrderActors.Domain.Delivery;
using OrderActors.Domain.Orders;
using OrderActors.Domain.Routing;
using OrderActors.Domain.Units;
using OrderActors.Fixtures;
using OrderActors.Node.Http;
using OrderActors.Node.Ingest;
using OrderActors.Node.Units;

namespace OrderActors.Tests.Contracts;

/// <summary>
/// The contracts are their own shapes, mapped from the model: what the HTTP API answers and what the journal stores
/// are pinned here, byte for byte, so that renaming or reshaping a domain type cannot change either without a
/// test saying so. (The golden fixtures check that stored data stays readable; this checks what is written.)
/// </summary>
public sealed class ContractPinTests() : Akka.TestKit.Xunit2.TestKit(ActorSpecConfig.Config)
{
    private static readonly JsonSerializerOptions Api = ApiJson.Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    private static readonly DateTimeOffset At = new(2026, 11, 24, 10, 0, 0, 123, TimeSpan.Zero);

    [Fact]
    public void The_order_view_is_the_json_of_the_api()
    {
        var view = OrderView.From(SamplesV1.Plain, 2,
            [new UnitStatusView("erp", 2, 17, "processed", At), new UnitStatusView("wms", 2, null, "accepted", null)]);

        Assert.Equal("""
            {"orderId":"10248","businessCode":"B2B","customerId":"VINET","placedAt":"1996-07-04T00:00:00.000Z","status":"accepted","firstQueue":2,"acceptedAt":"2026-11-24T15:39:41.033Z","routingVersion":2,"units":[{"unit":"erp","queue":2,"seq":17,"status":"processed","at":"2026-11-24T10:00:00.123Z"},{"unit":"wms","queue":2,"seq":null,"status":"accepted","at":null}],"lines":[{"sku":"11","quantity":12,"unitPrice":14.0,"product":{"name":"Queso Cabrales"},"manufacturer":{"id":"5","name":"Cooperativa de Quesos 'Las Cabras'"}},{"sku":"42","quantity":10,"unitPrice":9.80,"product":{"name":"Singaporean Hokkien Fried Mee"},"manufacturer":{"id":"20","name":"Leka Trading"}}]}
            """, JsonSerializer.Serialize(view, Api));
    }

    [Fact]
    public void A_feed_item_is_the_json_of_the_api()
    {
        var bare = new AcceptedOrder(new Order("x-1", "TRANSFER", null, null, [new OrderLine("7", 3, null)]), 1, 5, At, SamplesV1.Plain.Fingerprint);
        var item = DeliveredOrder.From(new FeedEntry(9, bare, At, At.AddSeconds(1)));

        Assert.Equal("""
            {"seq":9,"orderId":"x-1","businessCode":"TRANSFER","firstQueue":1,"acceptedAt":"2026-11-24T10:00:00.123Z","processedAt":"2026-11-24T10:00:01.123Z","routingVersion":1,"order":{"orderId":"x-1","businessCode":"TRANSFER","customerId":null,"placedAt":null,"lines":[{"sku":"7","quantity":3,"unitPrice":null,"product":null,"manufacturer":null}]}}
            """, JsonSerializer.Serialize(item, DeliveryJson.Api.DeliveredOrder));
    }

    /// <summary>For the same orders, each order of a webhook body is the feed's item for it, byte for byte, with its deliveryId added last.</summary>
    [Fact]
    public void A_webhook_bodys_orders_are_the_feeds_items_byte_for_byte()
    {
        var queue = new UnitQueueAddress("erp", 2);
        using var webhook = JsonDocument.Parse(WebhookRequest.For(queue, WebhookBatch.Of(queue, PinnedEntries)).Body);
        var page = new FeedResponse(queue.Unit, queue.Queue, PinnedEntries.Select(e => DeliveredOrder.From(e)).ToList(), 18);
        using var feed = JsonDocument.Parse(JsonSerializer.SerializeToUtf8Bytes(page, DeliveryJson.Api.FeedResponse));

        var sent = webhook.RootElement.GetProperty("orders").EnumerateArray().Select(o => o.GetRawText()).ToList();
        var served = feed.RootElement.GetProperty("orders").EnumerateArray().Select(o => o.GetRawText()).ToList();
        Assert.Equal(PinnedEntries.Count, sent.Count);
        Assert.Equal(served.Zip(PinnedEntries, (item, e) => item[..^1] + $",\"deliveryId\":\"erp:2:{e.Seq}\"}}"), sent);
    }

    /// <summary>A webhook request's body: the unit, the queue, and each order as the feed serves it with its deliveryId.</summary>
    [Fact]
    public void A_webhook_body_is_the_json_of_the_api()
    {
        var queue = new UnitQueueAddress("erp", 2);
        var body = WebhookRequest.For(queue, WebhookBatch.Of(queue, PinnedEntries)).Body;

        Assert.Equal("""
            {"unit":"erp","queue":2,"orders":[{"seq":17,"orderId":"10248","businessCode":"B2B","firstQueue":2,"acceptedAt":"2026-11-24T15:39:41.033Z","processedAt":"2026-11-24T10:00:01.123Z","routingVersion":1,"order":{"orderId":"10248","businessCode":"B2B","customerId":"VINET","placedAt":"1996-07-04T00:00:00.000Z","lines":[{"sku":"11","quantity":12,"unitPrice":14.0,"product":{"name":"Queso Cabrales"},"manufacturer":{"id":"5","name":"Cooperativa de Quesos 'Las Cabras'"}},{"sku":"42","quantity":10,"unitPrice":9.80,"product":{"name":"Singaporean Hokkien Fried Mee"},"manufacturer":{"id":"20","name":"Leka Trading"}}]},"deliveryId":"erp:2:17"},{"seq":18,"orderId":"ô-18 <&>","businessCode":"B2C","firstQueue":0,"acceptedAt":"2026-11-24T10:00:00.123Z","processedAt":null,"routingVersion":1,"order":{"orderId":"ô-18 <&>","businessCode":"B2C","customerId":"Bólido \"Comidas\"","placedAt":"2026-11-24T09:00:00.000Z","lines":[{"sku":"7","quantity":3,"unitPrice":0.5,"product":{"name":"Côte de Blaye – 75 cl"},"manufacturer":{"id":"18","name":"Aux joyeux ecclésiastiques"}},{"sku":"x","quantity":1,"unitPrice":null,"product":null,"manufacturer":null}]},"deliveryId":"erp:2:18"}]}
            """, System.Text.Encoding.UTF8.GetString(body));
    }

    /// <summary>An order the OMS sent with a W3C trace context carries it on, last, as <c>traceparent</c>; one without, no such property.</summary>
    [Fact]
    public void An_order_sent_with_a_trace_context_is_delivered_with_it()
    {
        var queue = new UnitQueueAddress("erp", 2);
        var body = System.Text.Encoding.UTF8.GetString(WebhookRequest.For(queue,
            WebhookBatch.Of(queue, [new FeedEntry(7, SamplesV8.Traced, At, At), new FeedEntry(8, SamplesV8.Untraced, At, At)])).Body);

        Assert.Contains("\"deliveryId\":\"erp:2:7\",\"traceparent\":\"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01\"},", body);
        Assert.EndsWith("\"deliveryId\":\"erp:2:8\"}]}", body);
    }

    /// <summary>Orders with every kind of field: nulls, decimals, an apostrophe, text beyond ASCII, a line without catalog data.</summary>
    private static readonly IReadOnlyList<FeedEntry> PinnedEntries =
    [
        new(17, SamplesV1.Plain, At, At.AddSeconds(1)),
        new(18, new AcceptedOrder(new Order("ô-18 <&>", "B2C", "Bólido \"Comidas\"", new DateTimeOffset(2026, 11, 24, 11, 0, 0, TimeSpan.FromHours(2)),
            [new OrderLine("7", 3, 0.5m, new ProductInfo("Côte de Blaye – 75 cl"), new ManufacturerInfo("18", "Aux joyeux ecclésiastiques")),
             new OrderLine("x", 1, null)]), 0, 4, At, SamplesV1.Plain.Fingerprint), At, null),
    ];

    /// <summary>Every persisted sample, written today in the form the node writes it (a binary one in its fixture's format), is the very bytes of its fixture.</summary>
    [Fact]
    public void A_stored_event_is_written_as_the_bytes_of_its_fixture()
    {
        var serializer = new OrderActorsSerializer((ExtendedActorSystem)Sys);
        var compared = 0;
        foreach (var (version, samples) in new[] { (SamplesV1.Version, SamplesV1.All), (SamplesV2.Version, SamplesV2.All), (SamplesV3.Version, SamplesV3.All), (SamplesV4.Version, SamplesV4.All), (SamplesV5.Version, SamplesV5.All), (SamplesV6.Version, SamplesV6.All), (SamplesV7.Version, SamplesV7.All), (SamplesV8.Version, SamplesV8.All) })
            foreach (var (name, message) in samples)
            {
                var root = Path.Combine(AppContext.BaseDirectory, "fixtures", "messages", version);
                var index = JsonSerializer.Deserialize<List<FixtureEntry>>(File.ReadAllText(Path.Combine(root, "index.json")))!;
                var entry = index.Single(e => e.Sample == name && e.Manifest == serializer.Manifest(message));
                var stored = File.ReadAllBytes(Path.Combine(root, entry.File));
                // a binary payload names its format in its first byte: the node writes that format when told to (a
                // rolling upgrade), byte for byte as the build that stored it did
                var writer = entry.Manifest.EndsWith(".b", StringComparison.Ordinal)
                    ? new OrderActorsSerializer((ExtendedActorSystem)Sys, binaryOrders: true, binaryFormat: stored[0])
                    : serializer;
                Assert.True(stored.AsSpan().SequenceEqual(writer.ToBinary(message)), $"{name} is no longer written as {entry.File}");
                compared++;
            }
        Assert.Equal(SamplesV1.All.Count + SamplesV2.All.Count + SamplesV3.All.Count + SamplesV4.All.Count + SamplesV5.All.Count + SamplesV6.All.Count + SamplesV7.All.Count + SamplesV8.All.Count, compared);
    }
}
