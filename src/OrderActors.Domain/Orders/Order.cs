using System.Text.Json.Serialization;

namespace OrderActors.Domain.Orders;

/// <summary>An order as the OMS sends it, after validation.</summary>
/// <param name="OrderId">1–64 characters, unique: the idempotency key.</param>
/// <param name="BusinessCode">The identification code that selects the business units (patent claim 1).</param>
public sealed record Order(
    string OrderId,
    string BusinessCode,
    string? CustomerId,
    DateTimeOffset? PlacedAt,
    IReadOnlyList<OrderLine> Lines);

/// <summary>
/// One order line: product, quantity and an optional unit price. <paramref name="Product"/> and
/// <paramref name="Manufacturer"/> are attached from the catalog at intake (patent claim 5).
/// </summary>
public sealed record OrderLine(
    string Sku,
    int Quantity,
    decimal? UnitPrice,
    ProductInfo? Product = null,
    ManufacturerInfo? Manufacturer = null);

/// <summary>The product information attached to an order line.</summary>
public sealed record ProductInfo(string Name);

/// <summary>The manufacturer information attached to an order line.</summary>
public sealed record ManufacturerInfo(string Id, string Name);

/// <summary>
/// An order once a first queue has accepted it: durable, with its position (<paramref name="Offset"/>,
/// gapless from 1 within its first queue), acceptance time and content fingerprint.
/// </summary>
/// <param name="Origin">where it came in (null for orders accepted before it was stored)</param>
public sealed record AcceptedOrder(
    Order Order,
    int FirstQueue,
    long Offset,
    DateTimeOffset AcceptedAt,
    string Fingerprint,
    OrderOrigin? Origin = null)
{
    [JsonIgnore] public string OrderId => Order.OrderId;
}

/// <summary>Where an order came in: the node that received its request, and the W3C trace context the OMS sent with it.</summary>
/// <param name="Node">the receiving node's address, <c>host:port</c> of its cluster endpoint</param>
/// <param name="TraceParent">the request's <c>traceparent</c> in its version-00 form (see <see cref="TraceParent"/>), if it sent a valid one</param>
public sealed record OrderOrigin(string Node, string? TraceParent);
