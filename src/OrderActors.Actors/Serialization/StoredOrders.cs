using OrderActors.Domain.Orders;
using OrderActors.Domain.Units;

namespace OrderActors.Actors.Serialization;

// The stored JSON shape of orders (first queues' and unit queues' events and snapshots written as JSON, and all
// those written before the binary form): its own records, mapped explicitly to and from the model. The property
// names and their order are the stored form: never rename them; add new ones at the end, optional.

public sealed record StoredProductInfo(string Name);

public sealed record StoredManufacturerInfo(string Id, string Name);

public sealed record StoredLine(string Sku, int Quantity, decimal? UnitPrice, StoredProductInfo? Product, StoredManufacturerInfo? Manufacturer);

public sealed record StoredOrder(string OrderId, string BusinessCode, string? CustomerId, DateTimeOffset? PlacedAt, IReadOnlyList<StoredLine> Lines);

public sealed record StoredOrderOrigin(string Node, string? TraceParent);

public sealed record StoredAcceptedOrder(StoredOrder Order, int FirstQueue, long Offset, DateTimeOffset AcceptedAt, string Fingerprint,
    StoredOrderOrigin? Origin = null);

/// <param name="RoutingVersion">null: version 1 (left out, as entries written before versions were recorded)</param>
public sealed record StoredFeedEntry(long Seq, StoredAcceptedOrder Order, DateTimeOffset QueuedAt, DateTimeOffset? ProcessedAt, int? RoutingVersion = null);

public static class StoredOrders
{
    public static StoredAcceptedOrder Store(AcceptedOrder a) => new(Store(a.Order), a.FirstQueue, a.Offset, a.AcceptedAt, a.Fingerprint,
        a.Origin is { } o ? new StoredOrderOrigin(o.Node, o.TraceParent) : null);

    public static AcceptedOrder Load(StoredAcceptedOrder a) => new(Load(a.Order), a.FirstQueue, a.Offset, a.AcceptedAt, a.Fingerprint,
        a.Origin is { } o ? new OrderOrigin(o.Node, o.TraceParent) : null);

    public static StoredFeedEntry Store(FeedEntry e) => new(e.Seq, Store(e.Order), e.QueuedAt, e.ProcessedAt, e.RoutingVersion == 1 ? null : e.RoutingVersion);

    public static FeedEntry Load(StoredFeedEntry e) => new(e.Seq, Load(e.Order), e.QueuedAt, e.ProcessedAt, e.RoutingVersion ?? 1);

    public static IReadOnlyList<StoredAcceptedOrder> Store(IReadOnlyList<AcceptedOrder> orders) => orders.Select(Store).ToList();

    public static IReadOnlyList<AcceptedOrder> Load(IReadOnlyList<StoredAcceptedOrder> orders) => orders.Select(Load).ToList();

    public static IReadOnlyList<StoredFeedEntry> Store(IReadOnlyList<FeedEntry> entries) => entries.Select(Store).ToList();

    public static IReadOnlyList<FeedEntry> Load(IReadOnlyList<StoredFeedEntry> entries) => entries.Select(Load).ToList();

    private static StoredOrder Store(Order o) => new(o.OrderId, o.BusinessCode, o.CustomerId, o.PlacedAt, o.Lines.Select(l => new StoredLine(
        l.Sku, l.Quantity, l.UnitPrice,
        l.Product is { } p ? new StoredProductInfo(p.Name) : null,
        l.Manufacturer is { } m ? new StoredManufacturerInfo(m.Id, m.Name) : null)).ToList());

    private static Order Load(StoredOrder o) => new(o.OrderId, o.BusinessCode, o.CustomerId, o.PlacedAt, o.Lines.Select(l => new OrderLine(
        l.Sku, l.Quantity, l.UnitPrice,
        l.Product is { } p ? new ProductInfo(p.Name) : null,
        l.Manufacturer is { } m ? new ManufacturerInfo(m.Id, m.Name) : null)).ToList());
}
