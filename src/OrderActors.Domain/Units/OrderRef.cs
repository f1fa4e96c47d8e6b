using OrderActors.Domain.Ingest;
using OrderActors.Domain.Orders;

namespace OrderActors.Domain.Units;

/// <summary>
/// Where the body of an order a unit queue recorded by reference is stored: the order at <paramref name="Offset"/> of
/// first queue <paramref name="FirstQueue"/>, in that first queue's journal event with sequence number
/// <paramref name="StoredIn"/>. First queues keep their events, so the reference stays good.
/// </summary>
public readonly record struct OrderRef(int FirstQueue, long Offset, long StoredIn);

/// <summary>A unit queue's entry recorded by reference: what <see cref="FeedEntry"/> holds, with the order's body still to be read.</summary>
public readonly record struct ReferencedEntry(long Seq, OrderRef Ref, DateTimeOffset QueuedAt, DateTimeOffset? ProcessedAt, int RoutingVersion = 1)
{
    public FeedEntry With(AcceptedOrder order) =>
        order.FirstQueue == Ref.FirstQueue && order.Offset == Ref.Offset
            ? new FeedEntry(Seq, order, QueuedAt, ProcessedAt, RoutingVersion)
            : throw new InvalidOperationException($"order {order.OrderId} is offset {order.Offset} of first queue {order.FirstQueue}, not the {Ref.Offset} of {Ref.FirstQueue} that seq {Seq} refers to");
}

/// <summary>
/// Entries recorded by one unit queue write, as references: consecutive seqs from <paramref name="FirstSeq"/>, queued
/// at one time and, when the unit's processing has no side effect, processed in the same write; all routed here by
/// one routing version (a hand-off never crosses a first queue's cut).
/// </summary>
public sealed record QueuedRefs(long FirstSeq, DateTimeOffset QueuedAt, DateTimeOffset? ProcessedAt, IReadOnlyList<OrderRef> Orders, int RoutingVersion = 1)
{
    public IEnumerable<ReferencedEntry> Entries() =>
        Orders.Select((order, i) => new ReferencedEntry(FirstSeq + i, order, QueuedAt, ProcessedAt, RoutingVersion));

    /// <summary>
    /// The references of <paramref name="entries"/> (fresh, consecutive, from one write) to the first queue
    /// <paramref name="sourceQueue"/>'s batches <paramref name="storedIn"/>; null when they cannot all be referred to
    /// (an order from another first queue, or a batch not named: a hand-off from an older node), and the bodies are stored instead.
    /// </summary>
    public static QueuedRefs? Of(IReadOnlyList<FeedEntry> entries, int sourceQueue, IReadOnlyList<StoredBatch> storedIn)
    {
        if (entries.Count == 0 || storedIn.Count == 0) return null;
        var (queuedAt, processedAt, version) = (entries[0].QueuedAt, entries[0].ProcessedAt, entries[0].RoutingVersion);
        var refs = new OrderRef[entries.Count];
        for (var i = 0; i < entries.Count; i++)
        {
            var entry = entries[i];
            if (entry.Order.FirstQueue != sourceQueue || entry.Seq != entries[0].Seq + i
                || entry.QueuedAt != queuedAt || entry.ProcessedAt != processedAt || entry.RoutingVersion != version
                || StoredBatch.Holding(storedIn, entry.Order.Offset) is not { } sequenceNr)
                return null;
            refs[i] = new OrderRef(sourceQueue, entry.Order.Offset, sequenceNr);
        }
        return new QueuedRefs(entries[0].Seq, queuedAt, processedAt, refs, version);
    }
}
