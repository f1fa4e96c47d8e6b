using OrderActors.Actors.Persistence;
using OrderActors.Actors.Serialization;
using OrderActors.Actors.Sharding;
using OrderActors.Domain.Ingest;
using OrderActors.Domain.Orders;
using OrderActors.Domain.Routing;

namespace OrderActors.Actors.Ingest;

/// <summary>
/// Messages of the ingest entities (the patent's first queues): commands, replies and persisted events. Entities are
/// addressed by <see cref="FirstQueueId.EntityId"/>.
/// </summary>
public static class IngestProtocol
{
    // --- commands and replies -------------------------------------------------------------------

    /// <summary>
    /// Submit orders to first queue <see cref="EntityId"/>; answered with <see cref="SubmitResults"/> once durable. The
    /// orders were checked against routing version <see cref="RoutingVersion"/> (or an earlier one): the first queue
    /// routes them by that version or a later one.
    /// </summary>
    public sealed record SubmitOrders(string EntityId, IReadOnlyList<Submission> Orders, int RoutingVersion = 1) : IEntityMessage;

    public sealed record SubmitOutcome(string OrderId, AdmitDecision Decision, int FirstQueue);

    public sealed record SubmitResults(IReadOnlyList<SubmitOutcome> Outcomes) : IOrderActorsMessage
    {
        /// <summary>Every one of <paramref name="orders"/> not stored (the journal failed, or the queue stopped): 503, send again.</summary>
        public static SubmitResults NotStored(IEnumerable<Submission> orders, int queue) =>
            new(orders.Select(o => new SubmitOutcome(o.Order.OrderId, AdmitDecision.Unavailable, queue)).ToList());
    }

    public sealed record GetAcceptedOrder(string EntityId, string OrderId) : IEntityMessage;

    /// <summary>The order (null: this first queue has no such order), and the routing version that routes it.</summary>
    public sealed record AcceptedOrderReply(AcceptedOrder? Order, int RoutingVersion = 1) : IOrderActorsMessage;

    public sealed record GetIngestStats(string EntityId) : IEntityMessage;

    /// <summary>
    /// The first queue's last <see cref="Max"/> stored orders (or those accepted since <see cref="Since"/>, whichever
    /// are fewer), read from its journal; answered with <see cref="RecentOrders"/>.
    /// </summary>
    public sealed record GetRecentOrders(string EntityId, int Max, DateTimeOffset? Since = null) : IEntityMessage;

    /// <summary>The orders, oldest first; <see cref="Complete"/> false when the read ran out of time and these are only the newest.</summary>
    public sealed record RecentOrders(IReadOnlyList<RecentOrder> Orders, bool Complete) : IOrderActorsMessage;

    /// <param name="Cuts">where this first queue switched routing versions (null from an older node)</param>
    public sealed record IngestStats(string EntityId, long LastOffset, long DeliveredUpTo, int Pending, IReadOnlyList<RoutingCut>? Cuts = null) : IOrderActorsMessage;

    // --- persisted events -----------------------------------------------------------------------

    /// <summary>A batch of orders accepted within one batching window (one journal write for the batch).</summary>
    public sealed record OrdersAccepted(IReadOnlyList<AcceptedOrder> Orders) : IOrderActorsMessage, IStoredOrders;

    /// <summary>Every unit the orders up to <see cref="UpToOffset"/> route to has them durably queued.</summary>
    public sealed record DeliveryConfirmed(long UpToOffset) : IOrderActorsMessage;

    /// <summary>From offset <see cref="FromOffset"/> on, this first queue's orders are routed by routing version <see cref="Version"/>.</summary>
    public sealed record RoutingCutRecorded(long FromOffset, int Version) : IOrderActorsMessage;

    /// <summary>
    /// The first queue's whole state: pending and recent orders, the index of every id it accepted, and where it switched
    /// routing versions (null: never, as in a snapshot written before versions were recorded).
    /// </summary>
    public sealed record IngestSnapshot(IngestState State, IReadOnlyList<RoutingCut>? Cuts = null) : IOrderActorsMessage;

    // --- local timers ---------------------------------------------------------------------------

    internal sealed record FlushWindow
    {
        public static readonly FlushWindow Instance = new();
    }

    internal sealed record DeliveryTimeout(long DeliveryId);

    /// <summary>Stores the delivery marker (<see cref="DeliveryConfirmed"/>) a while after delivery caught up.</summary>
    internal sealed record StoreDeliveryMarker
    {
        public static readonly StoreDeliveryMarker Instance = new();
    }
}
