using System.Diagnostics;
using Akka.Actor;
using OrderActors.Actors.Telemetry;
using Akka.Hosting;
using OrderActors.Domain.Delivery;
using OrderActors.Actors.Ingest;
using OrderActors.Actors.Units;
using OrderActors.Domain.Ingest;
using OrderActors.Domain.Routing;
using OrderActors.Node.Http;

namespace OrderActors.Node.Units;

/// <summary>The units' feeds and the depth of every queue, from the unit queue entities (and the first queues, for depth).</summary>
public sealed class UnitQueries(IRequiredActor<UnitRegion> units, IRequiredActor<IngestRegion> ingest, RoutingDirectory routing,
    IngestOptions ingestOptions, ApiOptions api)
{
    private static readonly ActivitySource Tracing = OrderTracing.Source("Delivery");

    /// <summary>Every routing version this node knows: its units (of any version) and the live table.</summary>
    public RoutingDirectory Routing => routing;

    /// <summary>The processed orders after <paramref name="after"/>; with <paramref name="wait"/>, waits that long for new ones when there are none.</summary>
    public async Task<FeedResponse> GetFeedAsync(UnitQueueAddress address, long after, int limit, TimeSpan wait, CancellationToken ct)
    {
        var started = DateTimeOffset.UtcNow;
        var region = await units.GetAsync(ct);
        var page = await region.Ask<UnitProtocol.FeedPage>(
            new UnitProtocol.GetFeed(address.EntityId, after, limit, (int)wait.TotalMilliseconds), api.AskTimeout + wait, ct);
        // a page that hands orders to the consumer is their "receive" span, linked to the contexts they came with
        if (page.Entries.Count > 0 && Tracing.HasListeners())
            OrderTracing.Start(Tracing, $"receive {address.EntityId}", ActivityKind.Internal, page.Entries.Select(e => e.Order).ToList(), started)
                ?.SetTag("messaging.system", OrderTracing.System)
                .SetTag("messaging.operation.type", "receive")
                .SetTag("messaging.destination.name", address.EntityId)
                .SetTag("messaging.batch.message_count", page.Entries.Count)
                .Dispose();
        var items = page.Entries.Select(e => DeliveredOrder.From(e)).ToList();
        return new FeedResponse(address.Unit, address.Queue, items, items.Count > 0 ? items[^1].Seq : Math.Max(0, after));
    }

    public async Task<IReadOnlyList<UnitInfo>> GetUnitsAsync(CancellationToken ct)
    {
        var region = await units.GetAsync(ct);
        return await Task.WhenAll(routing.Units.Select(async unit =>
        {
            var stats = await StatsAsync(region, unit, ct);
            return new UnitInfo(unit.Name, unit.Codes, unit.Queues, stats.Select(s => s.Depth).ToArray(), stats.Select(s => s.LastSeq).ToArray());
        }));
    }

    /// <summary>Depth and last seq of every first queue (its last offset) and every unit queue.</summary>
    public async Task<IReadOnlyList<QueueView>> GetQueuesAsync(CancellationToken ct)
    {
        var ingestRegion = await ingest.GetAsync(ct);
        var unitRegion = await units.GetAsync(ct);
        var first = await Task.WhenAll(FirstQueueId.All(ingestOptions.Queues).Select(async q =>
        {
            var s = await ingestRegion.Ask<IngestProtocol.IngestStats>(new IngestProtocol.GetIngestStats(q.EntityId), api.AskTimeout, ct);
            return new QueueView(s.EntityId, "", s.Pending, s.LastOffset);
        }));
        var second = await Task.WhenAll(routing.AllQueues().Select(async a =>
        {
            var s = await StatsAsync(unitRegion, a, ct);
            return new QueueView(s.EntityId, "", s.Depth, s.LastSeq);
        }));
        return [.. first, .. second];
    }

    /// <summary>The last seq of each of <paramref name="unit"/>'s queues (how many orders each ever took), by queue.</summary>
    public async Task<IReadOnlyList<long>> LastSeqsAsync(BusinessUnit unit, CancellationToken ct) =>
        (await StatsAsync(await units.GetAsync(ct), unit, ct)).Select(s => s.LastSeq).ToList();

    private Task<UnitProtocol.UnitQueueStats[]> StatsAsync(IActorRef region, BusinessUnit unit, CancellationToken ct) =>
        Task.WhenAll(Enumerable.Range(0, unit.Queues).Select(q => StatsAsync(region, new UnitQueueAddress(unit.Name, q), ct)));

    private Task<UnitProtocol.UnitQueueStats> StatsAsync(IActorRef region, UnitQueueAddress address, CancellationToken ct) =>
        region.Ask<UnitProtocol.UnitQueueStats>(new UnitProtocol.GetUnitStats(address.EntityId), api.AskTimeout, ct);
}
