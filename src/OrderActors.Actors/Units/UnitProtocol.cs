using OrderActors.Actors.Serialization;
using OrderActors.Actors.Sharding;
using OrderActors.Domain.Ingest;
using OrderActors.Domain.Orders;
using OrderActors.Domain.Routing;
using OrderActors.Domain.Units;

namespace OrderActors.Actors.Units;

/// <summary>Messages of the business-unit queue entities (the patent's second queues), addressed by <see cref="UnitQueueAddress.EntityId"/>.</summary>
public static class UnitProtocol
{
    // --- commands and replies -------------------------------------------------------------------

    /// <summary>
    /// Orders for this queue from one delivery of a first queue, in sequence; confirmed with <see cref="OrdersEnqueued"/>.
    /// <see cref="StoredIn"/>: the first queue's events that hold them (null from an older node: the bodies are stored again).
    /// </summary>
    public sealed record EnqueueOrders(string EntityId, int SourceQueue, long DeliveryId, IReadOnlyList<AcceptedOrder> Orders,
        IReadOnlyList<StoredBatch>? StoredIn = null, int RoutingVersion = 1) : IEntityMessage;

    /// <summary>The orders of delivery <see cref="DeliveryId"/> are durably in this queue (new ones recorded, redelivered ones ignored).</summary>
    public sealed record OrdersEnqueued(string EntityId, long DeliveryId) : IOrderActorsMessage;

    /// <summary>
    /// Back-pressure: this queue's backlog of orders not processed yet is at its bound, so it holds delivery
    /// <see cref="DeliveryId"/> (nothing recorded yet) and confirms it with <see cref="OrdersEnqueued"/> once the
    /// backlog drains below the bound. The hold lives in memory only: the first queue still sends the delivery
    /// again after its timeout, and the queue keeps the latest copy.
    /// </summary>
    public sealed record OrdersHeld(string EntityId, long DeliveryId) : IOrderActorsMessage;

    /// <summary>The queue's entry for an order, found by where the order came from (its first queue and offset there).</summary>
    public sealed record GetUnitOrderStatus(string EntityId, string OrderId, int FirstQueue, long Offset) : IEntityMessage;

    public sealed record UnitOrderStatus(string EntityId, FeedEntry? Entry) : IOrderActorsMessage;

    /// <summary>
    /// The processed orders after seq <see cref="After"/>. With <see cref="WaitMs"/>, a request that finds none waits up
    /// to that long for the next ones to be processed (a long-poll: the consumer does not spin).
    /// </summary>
    public sealed record GetFeed(string EntityId, long After, int Limit, int WaitMs = 0) : IEntityMessage;

    public sealed record FeedPage(string EntityId, IReadOnlyList<FeedEntry> Entries, long LastSeq, long ProcessedSeq) : IOrderActorsMessage;

    public sealed record GetUnitStats(string EntityId) : IEntityMessage;

    public sealed record UnitQueueStats(string EntityId, long LastSeq, long ProcessedSeq, long Depth) : IOrderActorsMessage;

    /// <summary>The queue's delivery entity has stored its downstream system's confirmations up to <paramref name="DeliveredUpTo"/> (for the delivery lag gauges).</summary>
    public sealed record DeliveryProgress(string EntityId, long DeliveredUpTo) : IEntityMessage;

    // --- persisted events -----------------------------------------------------------------------

    /// <summary>Orders recorded with their bodies (what every build before format 3 wrote, and still the form for a hand-off that names no stored batches).</summary>
    public sealed record OrdersQueued(IReadOnlyList<FeedEntry> Entries) : IOrderActorsMessage;

    /// <summary>Orders recorded as references to where their first queue stored them: each order's body is stored once.</summary>
    public sealed record OrderRefsQueued(QueuedRefs Refs) : IOrderActorsMessage;

    /// <summary>Orders up to <see cref="UpToSeq"/> are processed; the next batch runs to <see cref="NextBatchEnd"/> (null: none queued).</summary>
    public sealed record OrdersProcessed(long UpToSeq, DateTimeOffset At, long? NextBatchEnd = null) : IOrderActorsMessage;

    /// <summary>The queue's whole state (bounded: recent entries plus an index row per stored event).</summary>
    public sealed record UnitQueueSnapshot(UnitQueueState State) : IOrderActorsMessage;

    // --- local ----------------------------------------------------------------------------------

    internal sealed record ProcessPending
    {
        public static readonly ProcessPending Instance = new();
    }

    internal sealed record StockMovesTimeout(long To);

    internal sealed record FeedWaitOver(long Waiter);

    /// <summary>The bodies of the entries recovered as references, read back from their first queues.</summary>
    internal sealed record BodiesRead(IReadOnlyList<FeedEntry> Entries);

    /// <summary>The backlog dropped below its bound: record the next held delivery.</summary>
    internal sealed record ReleaseHeld
    {
        public static readonly ReleaseHeld Instance = new();
    }
}
