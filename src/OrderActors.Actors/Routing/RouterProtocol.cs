using OrderActors.Actors.Serialization;
using OrderActors.Actors.Sharding;
using OrderActors.Domain.Ingest;
using OrderActors.Domain.Orders;

namespace OrderActors.Actors.Routing;

/// <summary>Messages of the router actor.</summary>
public static class RouterProtocol
{
    /// <summary>
    /// Route a delivery of orders taken, in sequence, from first queue <see cref="FirstQueue"/>. The router answers the
    /// sender with a <see cref="RoutePlan"/> and sends each target unit queue its part, with the sender as reply-to.
    /// <see cref="StoredIn"/> names the first queue's events that hold the orders (null from an older node), so
    /// that the unit queues can record references to them rather than the bodies.
    /// </summary>
    public sealed record RouteOrders(int FirstQueue, long DeliveryId, IReadOnlyList<AcceptedOrder> Orders, IReadOnlyList<StoredBatch>? StoredIn = null) : IOrderActorsMessage;

    /// <summary>The unit queues (entity ids) a delivery went to; each will confirm with <c>OrdersEnqueued</c>.</summary>
    public sealed record RoutePlan(long DeliveryId, IReadOnlyList<string> Targets) : IOrderActorsMessage;
}
