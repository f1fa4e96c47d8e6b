using Akka.Actor;
using Akka.Cluster;
using Akka.Hosting;
using OrderActors.Actors.Delivery;
using OrderActors.Actors.Ingest;
using OrderActors.Actors.Units;
using OrderActors.Domain.Delivery;
using OrderActors.Domain.Ingest;
using OrderActors.Domain.Inventory;
using OrderActors.Node.Admin;
using OrderActors.Node.Delivery;
using OrderActors.Node.Http;
using OrderActors.Node.Ingest;
using OrderActors.Node.Inventory;
using OrderActors.Node.Units;

namespace OrderActors.Node.Telemetry;

/// <summary>What the operator page shows, in one answer (<c>GET /api/admin/overview</c>); the page polls it.</summary>
/// <param name="Totals">cluster-wide counts since the data set began: the page makes rates of them between two answers</param>
/// <param name="Latency">this node's recent latencies (null when metrics are off)</param>
/// <param name="Rejected">the last orders this node refused</param>
public sealed record Overview(DateTimeOffset At, string Node, OverviewTotals Totals, OverviewLatency? Latency, IReadOnlyList<FirstQueueCell> FirstQueues,
    IReadOnlyList<UnitOverview> Units, IReadOnlyList<ParkedGroup> Parked, IReadOnlyList<MemberOverview> Members,
    IReadOnlyList<ReplenishmentTop> Replenishment, IReadOnlyList<Rejection> Rejected);

public sealed record OverviewTotals(long Accepted, long Processed, long Delivered, long Parked);

public sealed record OverviewLatency(double WindowSeconds, LatencyWindow.Quantiles? Accept, LatencyWindow.Quantiles? Processing, LatencyWindow.Quantiles? EndToEnd);

public sealed record FirstQueueCell(int Queue, string Node, long Depth, long Accepted);

/// <param name="Waiting">processed orders not confirmed downstream, over the unit's queues</param>
public sealed record UnitOverview(string Unit, string Mode, string? Paused, string? LastError, long Waiting, long InFlight, IReadOnlyList<UnitQueueCell> Queues);

/// <param name="Lag">processed, not delivered</param>
public sealed record UnitQueueCell(int Queue, string Node, long Depth, long Processed, long Delivered, long Lag, double? LagSeconds, int Parked,
    long InFlight, int Attempts, string? LastError, string? Paused);

/// <param name="Shards">per entity type, the shards this member hosts</param>
public sealed record MemberOverview(string Address, string Status, bool Leader, bool Reachable, IReadOnlyDictionary<string, int> Shards);

public sealed record ReplenishmentTop(string Sku, string Name, string Manufacturer, long Quantity, decimal Value);

/// <summary>Gathers the overview from the features' own queries, all at once.</summary>
public sealed class OverviewQueries(UnitQueries units, DeliveryQueries delivery, InventoryQueries inventory, RecentRejections rejections,
    ActorSystem system, ActorRegistry registry, AdminOptions admin, ApiOptions api, TelemetryOptions telemetry, RecentLatencies? recent = null)
{
    private const int TopReplenishment = 10, LatestRejections = 20;

    public async Task<Overview> GetAsync(CancellationToken ct)
    {
        var parkedTask = Task.WhenAll(units.Routing.AllQueues().Select(async q =>
            (await delivery.ParkedAsync(q, new ParkedFilter(), ct)).Where(p => p.State == ParkedState.Parked)
                .Select(p => (q.Unit, DeliveredOrder.DeliveryIdOf(q, p.Seq), p))));
        var placementTask = PlacementAsync(ct);
        var formTask = inventory.ReplenishmentAsync(ct);
        var queues = await units.GetQueuesAsync(ct);
        var deliveryTask = delivery.QueueViewsAsync(units, ct, queues); // on the stats just read, not read again
        await Task.WhenAll(deliveryTask, parkedTask, placementTask, formTask);

        var (placement, shardsByMember) = placementTask.Result;
        var deliveryViews = deliveryTask.Result;
        var stats = queues.ToDictionary(q => q.Name);
        var first = queues.Where(q => q.Name.StartsWith(FirstQueueId.Prefix, StringComparison.Ordinal))
            .Select(q => new FirstQueueCell(FirstQueueId.Parse(q.Name).Queue, placement.GetValueOrDefault(q.Name, ""), q.Depth, q.LastSeq))
            .OrderBy(q => q.Queue).ToList();
        var unitRows = deliveryViews.GroupBy(v => v.Unit).Select(g =>
        {
            var cells = g.OrderBy(v => v.Queue).Select(v =>
            {
                var entity = new Domain.Routing.UnitQueueAddress(v.Unit, v.Queue).EntityId;
                return new UnitQueueCell(v.Queue, placement.GetValueOrDefault(entity, ""), stats.TryGetValue(entity, out var s) ? s.Depth : 0,
                    v.ProcessedSeq, v.DeliveredUpTo, v.Lag, v.LagSeconds, v.Parked, v.InFlightUpTo is { } upTo ? upTo - v.DeliveredUpTo : 0,
                    v.Attempts, v.LastError, v.Paused);
            }).ToList();
            var mode = g.First().Mode;
            return new UnitOverview(g.Key, mode, mode == "webhook" ? g.Select(v => v.Paused).FirstOrDefault(p => p is not null) : null,
                g.Select(v => v.LastError).FirstOrDefault(e => e is not null), cells.Sum(c => c.Lag), cells.Sum(c => c.InFlight), cells);
        }).OrderBy(u => u.Unit, StringComparer.Ordinal).ToList();

        var parked = ParkedGroups.Of(parkedTask.Result.SelectMany(p => p));
        var state = Cluster.Get(system).State;
        var members = state.Members.OrderBy(m => m.Address.ToString(), StringComparer.Ordinal).Select(m => new MemberOverview(m.Address.ToString(),
            m.Status.ToString(), state.Leader == m.Address, !state.Unreachable.Contains(m),
            shardsByMember.GetValueOrDefault(m.Address.ToString()) ?? new Dictionary<string, int>())).ToList();
        var top = formTask.Result.Manufacturers.SelectMany(m => m.Lines.Select(l => new ReplenishmentTop(l.Sku, l.Name, m.Name, l.Quantity, l.Value)))
            .OrderByDescending(l => l.Value).ThenBy(l => l.Sku, StringComparer.Ordinal).Take(TopReplenishment).ToList();
        var latency = recent is not null
            ? new OverviewLatency(telemetry.PageLatencyWindow.TotalSeconds, recent.Of(RecentLatencies.Accept), recent.Of(RecentLatencies.Processing),
                recent.Of(RecentLatencies.EndToEnd))
            : null;
        return new Overview(DateTimeOffset.UtcNow, Cluster.Get(system).SelfAddress.ToString(),
            new OverviewTotals(first.Sum(q => q.Accepted), deliveryViews.Sum(v => v.ProcessedSeq), deliveryViews.Sum(v => v.DeliveredUpTo),
                parked.Sum(g => g.Count)),
            latency, first, unitRows, parked, members, top, rejections.Latest(LatestRejections));
    }

    /// <summary>Which node hosts each first queue and unit queue, and how many shards of each of their regions (and delivery's) each member hosts.</summary>
    private async Task<(Dictionary<string, string> Placement, Dictionary<string, Dictionary<string, int>> ShardsByMember)> PlacementAsync(CancellationToken ct)
    {
        var members = await AdminEndpoints.ShardMembersAsync(registry, admin, api,
            [.. AdminEndpoints.QueueRegions, (DeliveryHosting.TypeName, typeof(DeliveryRegion))], ct);
        var placement = AdminEndpoints.QueueRegions.SelectMany(r => members[r.TypeName]).ToDictionary(StringComparer.Ordinal);
        var byMember = members.SelectMany(region => region.Value.Values.Select(member => (Region: region.Key, Member: member)))
            .GroupBy(p => p.Member, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.GroupBy(p => p.Region).ToDictionary(r => r.Key, r => r.Count(), StringComparer.Ordinal), StringComparer.Ordinal);
        return (placement, byMember);
    }
}
