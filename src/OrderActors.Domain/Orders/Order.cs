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
public sealed record AcceptedOrder(
    Order Order,
    int FirstQueue,
    long Offset,
    DateTimeOffset AcceptedAt,
    string Fingerprint)
{
    [JsonIgnore] public string OrderId => Order.OrderId;
}
