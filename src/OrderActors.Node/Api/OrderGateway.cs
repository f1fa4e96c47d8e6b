using Akka.Actor;
using Akka.Hosting;
using OrderActors.Actors.Hosting;
using OrderActors.Actors.Ingest;
using OrderActors.Actors.Units;
using OrderActors.Domain.Ingest;
using OrderActors.Domain.Orders;
using OrderActors.Domain.Routing;

namespace OrderActors.Node.Api;

/// <summary>
/// The HTTP layer's one door into the actors: it sends commands to the right entities and assembles the views of
/// API.md from their answers. Endpoints stay free of actor code; actors stay free of HTTP.
/// </summary>
public sealed class OrderGateway(
    IRequiredActor<IngestRegion> ingest,
    IRequiredActor<UnitRegion> units,
    OrderActorsSettings settings)
{
    public RoutingTable Routing => settings.Routing;

    public int FirstQueueOf(string orderId) => QueueAssignment.FirstQueue(orderId, settings.IngestQueues);

    /// <summary>Submits orders (one ask per first queue) and returns their outcomes in the order given.</summary>
    public async Task<IngestProtocol.SubmitOutcome[]> SubmitAsync(IReadOnlyList<Order> orders, CancellationToken ct)
    {
        var region = await ingest.GetAsync(ct);
        var outcomes = new IngestProtocol.SubmitOutcome[orders.Count];
        var byQueue = orders
            .Select((order, index) => (order, index, queue: FirstQueueOf(order.OrderId)))
            .GroupBy(x => x.queue);

        await Task.WhenAll(byQueue.Select(async group =>
        {
            var items = group.ToList();
            var command = new IngestProtocol.SubmitOrders(IngestProtocol.EntityIdFor(group.Key),
                items.Select(x => new IngestProtocol.Submission(x.order, OrderFingerprint.Compute(x.order))).ToList());
            var reply = await region.Ask<IngestProtocol.SubmitResults>(command, settings.AskTimeout, ct);
            for (var i = 0; i < items.Count; i++)
                outcomes[items[i].index] = reply.Outcomes[i];
        }));
        return outcomes;
    }

    /// <summary>The order view, or null when no first queue has accepted this id.</summary>
    public async Task<OrderView?> GetViewAsync(string orderId, CancellationToken ct)
    {
        var queue = FirstQueueOf(orderId);
        var ingestRegion = await ingest.GetAsync(ct);
        var reply = await ingestRegion.Ask<IngestProtocol.AcceptedOrderReply>(
            new IngestProtocol.GetAcceptedOrder(IngestProtocol.EntityIdFor(queue), orderId), settings.AskTimeout, ct);
        if (reply.Order is not { } accepted) return null;

        var unitRegion = await units.GetAsync(ct);
        var targets = settings.Routing.Route(accepted.Order.BusinessCode, accepted.FirstQueue);
        var statuses = await Task.WhenAll(targets.Select(async target =>
        {
            var status = await unitRegion.Ask<UnitProtocol.UnitOrderStatus>(
                new UnitProtocol.GetUnitOrderStatus(target.EntityId, orderId), settings.AskTimeout, ct);
            return status.Entry switch
            {
                null => new UnitStatusView(target.Unit, target.Queue, null, "accepted", null),
                { ProcessedAt: { } at } e => new UnitStatusView(target.Unit, target.Queue, e.Seq, "processed", at),
                var e => new UnitStatusView(target.Unit, target.Queue, e.Seq, "queued", e.QueuedAt),
            };
        }));

        var status = statuses.All(s => s.Status == "processed") ? "processed"
            : statuses.All(s => s.Status != "accepted") ? "queued"
            : "accepted";
        var order = accepted.Order;
        return new OrderView(order.OrderId, order.BusinessCode, order.CustomerId, order.PlacedAt, status,
            accepted.FirstQueue, accepted.AcceptedAt, statuses, order.Lines);
    }

    public async Task<FeedResponse> GetFeedAsync(UnitQueueAddress address, long after, int limit, CancellationToken ct)
    {
        var unitRegion = await units.GetAsync(ct);
        var page = await unitRegion.Ask<UnitProtocol.FeedPage>(
            new UnitProtocol.GetFeed(address.EntityId, after, limit), settings.AskTimeout, ct);
        var items = page.Entries
            .Select(e => new FeedItem(e.Seq, e.OrderId, e.Order.Order.BusinessCode, e.Order.FirstQueue,
                e.Order.AcceptedAt, e.ProcessedAt, e.Order.Order))
            .ToList();
        return new FeedResponse(address.Unit, address.Queue, items, items.Count > 0 ? items[^1].Seq : Math.Max(0, after));
    }

    public async Task<IReadOnlyList<UnitInfo>> GetUnitsAsync(CancellationToken ct)
    {
        var unitRegion = await units.GetAsync(ct);
        return await Task.WhenAll(settings.Routing.Units.Select(async unit =>
        {
            var stats = await Task.WhenAll(Enumerable.Range(0, unit.Queues).Select(q =>
                unitRegion.Ask<UnitProtocol.UnitQueueStats>(
                    new UnitProtocol.GetUnitStats(new UnitQueueAddress(unit.Name, q).EntityId), settings.AskTimeout, ct)));
            return new UnitInfo(unit.Name, unit.Codes, unit.Queues,
                stats.Select(s => s.Depth).ToArray(), stats.Select(s => s.LastSeq).ToArray());
        }));
    }
}
