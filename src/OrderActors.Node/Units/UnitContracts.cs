using OrderActors.Domain.Units;
using OrderActors.Node.Orders;

namespace OrderActors.Node.Units;

// The shapes of docs/API.md for the business units, their queues and feeds.

public sealed record FeedResponse(string Unit, int Queue, IReadOnlyList<FeedItem> Orders, long Next);

public sealed record FeedItem(long Seq, string OrderId, string BusinessCode, int FirstQueue,
    DateTimeOffset AcceptedAt, DateTimeOffset? ProcessedAt, OrderBody Order)
{
    public static FeedItem From(FeedEntry e) =>
        new(e.Seq, e.OrderId, e.Order.Order.BusinessCode, e.Order.FirstQueue, e.Order.AcceptedAt, e.ProcessedAt, OrderBody.From(e.Order.Order));
}

public sealed record UnitInfo(string Unit, IReadOnlyList<string> Codes, int Queues, IReadOnlyList<long> Depth, IReadOnlyList<long> LastSeq);

public sealed record RoutingResponse(int Version, IReadOnlyDictionary<string, RoutingUnit> Units);

public sealed record RoutingUnit(IReadOnlyList<string> Codes, int Queues);

/// <summary>A first queue or a unit queue, for operators: its depth and last seq (offset), and the node that holds it.</summary>
public sealed record QueueView(string Name, string Node, long Depth, long LastSeq);
