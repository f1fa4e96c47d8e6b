using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using OrderActors.Domain.Orders;
using OrderActors.Domain.Routing;
using OrderActors.Domain.Units;

namespace OrderActors.Domain.Delivery;

// The delivered order of docs/API.md: what a unit's feed serves and what its webhook sends, one shape written by one
// serializer (DeliveryJson), so that a pull consumer and a webhook receiver read the very same bytes for an order.

/// <summary>One order of a unit queue as it is delivered; <paramref name="DeliveryId"/> only in a webhook body.</summary>
/// <param name="TraceParent">the W3C trace context the OMS sent with the order, passed on so that the ERP's tracing links to it</param>
public sealed record DeliveredOrder(long Seq, string OrderId, string BusinessCode, int FirstQueue, DateTimeOffset AcceptedAt,
    DateTimeOffset? ProcessedAt, int RoutingVersion, OrderBody Order, [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? DeliveryId = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull), JsonPropertyName("traceparent")] string? TraceParent = null)
{
    public static DeliveredOrder From(FeedEntry e, string? deliveryId = null) => new(e.Seq, e.OrderId, e.Order.Order.BusinessCode,
        e.Order.FirstQueue, e.Order.AcceptedAt, e.ProcessedAt, e.RoutingVersion, OrderBody.From(e.Order.Order), deliveryId, e.Order.Origin?.TraceParent);

    /// <summary>The stable id of one order's delivery, which a receiver dedupes on: <c>unit:queue:seq</c>.</summary>
    public static string DeliveryIdOf(UnitQueueAddress queue, long seq) => $"{queue.Unit}:{queue.Queue}:{seq}";
}

/// <summary>A page of a unit queue's feed (<c>GET /api/units/{unit}/queues/{queue}/orders</c>).</summary>
public sealed record FeedResponse(string Unit, int Queue, IReadOnlyList<DeliveredOrder> Orders, long Next);

/// <summary>A webhook request's body: the queue's orders, each with its deliveryId.</summary>
public sealed record WebhookBody(string Unit, int Queue, IReadOnlyList<DeliveredOrder> Orders)
{
    public static WebhookBody Of(UnitQueueAddress queue, IEnumerable<FeedEntry> entries) =>
        new(queue.Unit, queue.Queue, entries.Select(e => DeliveredOrder.From(e, DeliveredOrder.DeliveryIdOf(queue, e.Seq))).ToList());
}

/// <summary>The one writer of the delivered order: the API's JSON (camelCase, text unescaped but for what JSON requires, UTC timestamps).</summary>
[JsonSerializable(typeof(FeedResponse))]
[JsonSerializable(typeof(WebhookBody))]
public sealed partial class DeliveryJson : JsonSerializerContext
{
    public static DeliveryJson Api { get; } = new(new JsonSerializerOptions(JsonSerializerDefaults.Web)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new UtcTimestampConverter() },
    });
}
