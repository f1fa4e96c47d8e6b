using Akka.Actor;
using Akka.Hosting;
using OrderActors.Actors.Ingest;
using OrderActors.Actors.Routing;
using OrderActors.Actors.Delivery;
using OrderActors.Actors.Units;
using OrderActors.Domain.Delivery;
using OrderActors.Domain.Units;
using OrderActors.Domain.Ingest;
using OrderActors.Domain.Orders;
using OrderActors.Domain.Routing;
using OrderActors.Node.Delivery;
using OrderActors.Node.Http;

namespace OrderActors.Node.Ingest;

/// <summary>
/// The order view: the order from its first queue, with the routing version that routes it (its first queue's cut),
/// and its status from every unit queue that version routes it to.
/// </summary>
public sealed class OrderQueries(IRequiredActor<IngestRegion> ingest, IRequiredActor<UnitRegion> units, IRequiredActor<RoutingTablesRegion> tables,
    DeliveryQueries delivery, RoutingDirectory routing, IngestOptions options, ApiOptions api)
{
    /// <summary>The order view, or null when no first queue has accepted this id.</summary>
    public async Task<OrderView?> GetViewAsync(string orderId, CancellationToken ct) =>
        await GatherAsync(orderId, ct) is { } found ? ViewOf(found.Accepted, found.Table.Version, found.Units) : null;

    /// <summary>The order's trace (docs/API.md): its view's status and the hops derived from what is stored; null when no first queue has accepted this id.</summary>
    public async Task<OrderTraceView?> GetTraceAsync(string orderId, CancellationToken ct)
    {
        if (await GatherAsync(orderId, ct) is not { } found) return null;
        var view = ViewOf(found.Accepted, found.Table.Version, found.Units);
        var modes = new Dictionary<string, DeliveryMode>(StringComparer.Ordinal);
        foreach (var unit in found.Units.Select(u => u.Target.Unit).Distinct())
            modes[unit] = (await delivery.GetSettingsAsync(unit, ct)).Settings.Mode;
        var traces = found.Units.Select(u => new UnitTrace(u.Target, modes[u.Target.Unit], u.Entry?.Seq, u.Entry?.QueuedAt, u.Entry?.ProcessedAt,
            u.Delivered?.At, u.Delivered?.Attempts ?? 0, u.Delivered?.Parked, u.Delivered?.History ?? [], u.Delivered?.Waiting,
            u.Delivered?.Failed)).ToList();
        return new OrderTraceView(view.OrderId, view.BusinessCode, view.Status, view.FirstQueue, found.Accepted.Offset, found.Table.Version,
            OrderTrace.Of(found.Accepted, found.Table.Version, traces), found.Accepted.Origin?.Node, found.Accepted.Origin?.TraceParent);
    }

    private static OrderView ViewOf(AcceptedOrder accepted, int routingVersion, IReadOnlyList<UnitFound> found) => OrderView.From(accepted, routingVersion, found.Select(u => u switch
    {
        { Entry: null } => new UnitStatusView(u.Target.Unit, u.Target.Queue, null, "accepted", null),
        { Entry: { ProcessedAt: { } at } e, Delivered: { } d } => UnitStatusView.Processed(u.Target, e.Seq, at, d),
        { Entry: var e } => new UnitStatusView(u.Target.Unit, u.Target.Queue, e.Seq, "queued", e.QueuedAt),
    }).ToList());

    /// <summary>The order as its first queue holds it, and what each unit queue it routes to and its delivery hold of it.</summary>
    private async Task<(AcceptedOrder Accepted, RoutingTable Table, IReadOnlyList<UnitFound> Units)?> GatherAsync(string orderId, CancellationToken ct)
    {
        if (await AcceptedAsync(orderId, ct) is not var (accepted, version)) return null;
        orderId = accepted.Order.OrderId;

        var unitRegion = await units.GetAsync(ct);
        var table = await TableAsync(version, ct);
        var targets = table.Route(accepted.Order.BusinessCode, accepted.FirstQueue);
        var found = await Task.WhenAll(targets.Select(async target =>
        {
            var status = await unitRegion.Ask<UnitProtocol.UnitOrderStatus>(
                new UnitProtocol.GetUnitOrderStatus(target.EntityId, orderId, accepted.FirstQueue, accepted.Offset), api.AskTimeout, ct);
            var delivered = status.Entry is { ProcessedAt: not null } e ? await delivery.DeliveryOfAsync(target, e.Seq, ct) : null;
            return new UnitFound(target, status.Entry, delivered);
        }));
        return (accepted, table, found);
    }

    /// <summary>The matcher of <paramref name="version"/>: this node's copy, brought up to date when it does not have it yet (published a moment ago).</summary>
    private async Task<RoutingTable> TableAsync(int version, CancellationToken ct)
    {
        if (routing.Table(version) is { } table) return table;
        var state = await (await tables.GetAsync(ct)).Ask<RouterProtocol.RoutingTablesState>(new RouterProtocol.GetRoutingTables(), api.AskTimeout, ct);
        routing.Update(state.Versions);
        return routing.Table(version) ?? throw new InvalidOperationException($"routing version {version} is not among the {state.Versions.Count} the routing tables hold");
    }

    private sealed record UnitFound(UnitQueueAddress Target, FeedEntry? Entry, DeliveryProtocol.Delivered? Delivered);

    /// <summary>Where the order is in one unit: not accepted, not routed there, not in its queue yet, or at this seq of this queue.</summary>
    public async Task<UnitPlace> FindInUnitAsync(string orderId, string unit, CancellationToken ct)
    {
        if (await AcceptedAsync(orderId, ct) is not var (accepted, version)) return new UnitPlace(false, null, null);
        orderId = accepted.Order.OrderId;
        if ((await TableAsync(version, ct)).Route(accepted.Order.BusinessCode, accepted.FirstQueue).FirstOrDefault(t => t.Unit == unit) is not { } target)
            return new UnitPlace(true, null, null);
        var status = await (await units.GetAsync(ct)).Ask<UnitProtocol.UnitOrderStatus>(
            new UnitProtocol.GetUnitOrderStatus(target.EntityId, orderId, accepted.FirstQueue, accepted.Offset), api.AskTimeout, ct);
        return new UnitPlace(true, target, status.Entry?.Seq);
    }

    /// <summary>The order asked for by <paramref name="orderId"/>, under any of its spellings (<see cref="OrderIds.Spellings"/>), or null.</summary>
    private async Task<(AcceptedOrder Order, int RoutingVersion)?> AcceptedAsync(string orderId, CancellationToken ct)
    {
        foreach (var id in OrderIds.Spellings(orderId))
            if (await ReplyAsync(id, ct) is { Order: { } accepted } reply) return (accepted, reply.RoutingVersion);
        return null;
    }

    /// <summary>The order its first queue accepted under exactly this id (null: never accepted).</summary>
    public async Task<AcceptedOrder?> AcceptedExactlyAsync(string orderId, CancellationToken ct) => (await ReplyAsync(orderId, ct)).Order;

    private async Task<IngestProtocol.AcceptedOrderReply> ReplyAsync(string orderId, CancellationToken ct)
    {
        var queue = FirstQueueId.Of(orderId, options.Queues);
        return await (await ingest.GetAsync(ct)).Ask<IngestProtocol.AcceptedOrderReply>(
            new IngestProtocol.GetAcceptedOrder(queue.EntityId, orderId), api.AskTimeout, ct);
    }
}

/// <summary>An order's place in one unit's queue (<see cref="Queue"/> null: not routed there; <see cref="Seq"/> null: not queued yet).</summary>
public sealed record UnitPlace(bool Accepted, UnitQueueAddress? Queue, long? Seq);
