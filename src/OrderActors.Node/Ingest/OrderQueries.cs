using Akka.Actor;
using Akka.Hosting;
using OrderActors.Actors.Ingest;
using OrderActors.Actors.Routing;
using OrderActors.Actors.Units;
using OrderActors.Domain.Ingest;
using OrderActors.Domain.Orders;
using OrderActors.Domain.Routing;
using OrderActors.Node.Delivery;
using OrderActors.Node.Http;

namespace OrderActors.Node.Ingest;

/// <summary>The order view: the order from its first queue, and its status from every unit queue it routes to.</summary>
public sealed class OrderQueries(IRequiredActor<IngestRegion> ingest, IRequiredActor<UnitRegion> units, DeliveryQueries delivery,
    RoutingOptions routing, IngestOptions options, ApiOptions api)
{
    /// <summary>The order view, or null when no first queue has accepted this id.</summary>
    public async Task<OrderView?> GetViewAsync(string orderId, CancellationToken ct)
    {
        if (await AcceptedAsync(orderId, ct) is not { } accepted) return null;
        orderId = accepted.Order.OrderId;

        var unitRegion = await units.GetAsync(ct);
        var targets = routing.Table.Route(accepted.Order.BusinessCode, accepted.FirstQueue);
        var statuses = await Task.WhenAll(targets.Select(async target =>
        {
            var status = await unitRegion.Ask<UnitProtocol.UnitOrderStatus>(
                new UnitProtocol.GetUnitOrderStatus(target.EntityId, orderId, accepted.FirstQueue, accepted.Offset), api.AskTimeout, ct);
            return status.Entry switch
            {
                null => new UnitStatusView(target.Unit, target.Queue, null, "accepted", null),
                { ProcessedAt: { } at } e => UnitStatusView.Processed(target, e.Seq, at, await delivery.DeliveryOfAsync(target, e.Seq, ct)),
                var e => new UnitStatusView(target.Unit, target.Queue, e.Seq, "queued", e.QueuedAt),
            };
        }));
        return OrderView.From(accepted, statuses);
    }

    /// <summary>Where the order is in one unit: not accepted, not routed there, not in its queue yet, or at this seq of this queue.</summary>
    public async Task<UnitPlace> FindInUnitAsync(string orderId, string unit, CancellationToken ct)
    {
        if (await AcceptedAsync(orderId, ct) is not { } accepted) return new UnitPlace(false, null, null);
        orderId = accepted.Order.OrderId;
        if (routing.Table.Route(accepted.Order.BusinessCode, accepted.FirstQueue).FirstOrDefault(t => t.Unit == unit) is not { } target)
            return new UnitPlace(true, null, null);
        var status = await (await units.GetAsync(ct)).Ask<UnitProtocol.UnitOrderStatus>(
            new UnitProtocol.GetUnitOrderStatus(target.EntityId, orderId, accepted.FirstQueue, accepted.Offset), api.AskTimeout, ct);
        return new UnitPlace(true, target, status.Entry?.Seq);
    }

    /// <summary>The order asked for by <paramref name="orderId"/>, under any of its spellings (<see cref="OrderIds.Spellings"/>), or null.</summary>
    private async Task<AcceptedOrder?> AcceptedAsync(string orderId, CancellationToken ct)
    {
        foreach (var id in OrderIds.Spellings(orderId))
            if (await AcceptedExactlyAsync(id, ct) is { } accepted) return accepted;
        return null;
    }

    /// <summary>The order its first queue accepted under exactly this id (null: never accepted).</summary>
    public async Task<AcceptedOrder?> AcceptedExactlyAsync(string orderId, CancellationToken ct)
    {
        var queue = FirstQueueId.Of(orderId, options.Queues);
        var reply = await (await ingest.GetAsync(ct)).Ask<IngestProtocol.AcceptedOrderReply>(
            new IngestProtocol.GetAcceptedOrder(queue.EntityId, orderId), api.AskTimeout, ct);
        return reply.Order;
    }
}

/// <summary>An order's place in one unit's queue (<see cref="Queue"/> null: not routed there; <see cref="Seq"/> null: not queued yet).</summary>
public sealed record UnitPlace(bool Accepted, UnitQueueAddress? Queue, long? Seq);
