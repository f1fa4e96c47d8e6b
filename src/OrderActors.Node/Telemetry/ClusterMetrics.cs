using System.Diagnostics.Metrics;
using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Sharding;

namespace OrderActors.Node.Telemetry;

/// <summary>
/// What the cluster looks like from this node (meter <c>OrderActors.Cluster</c>): its members by status and the
/// unreachable ones, and the shards and entities each of this node's shard regions hosts. The regions are asked every
/// <see cref="TelemetryOptions.ClusterPollInterval"/> (an ask is not for an exporter's callback); the members are read
/// at each collection from the cluster's own state.
/// </summary>
public sealed class ClusterMetrics : BackgroundService
{
    public const string MeterName = "OrderActors.Cluster";

    private readonly IServiceProvider _services;
    private readonly TelemetryOptions _options;
    private readonly ILogger<ClusterMetrics> _log;
    private ActorSystem? _system;
    private volatile IReadOnlyList<(string Region, int Shards, int Entities)> _regions = [];

    public ClusterMetrics(IMeterFactory meters, IServiceProvider services, TelemetryOptions options, ILogger<ClusterMetrics> log)
    {
        (_services, _options, _log) = (services, options, log);
        var meter = meters.Create(MeterName);
        meter.CreateObservableGauge("orderactors.cluster.members", Members, "{member}", "The cluster's members as this node sees them, by status (Up, Joining, Leaving, ...)");
        meter.CreateObservableGauge("orderactors.cluster.unreachable", Unreachable, "{member}", "Members this node's failure detector finds unreachable");
        meter.CreateObservableGauge("orderactors.sharding.shards", () => _regions.Select(r => new Measurement<int>(r.Shards, Region(r.Region))), "{shard}",
            "Shards this node's region of each entity type hosts");
        meter.CreateObservableGauge("orderactors.sharding.entities", () => _regions.Select(r => new Measurement<int>(r.Entities, Region(r.Region))), "{entity}",
            "Entities running in this node's region of each entity type");
    }

    private static KeyValuePair<string, object?> Region(string name) => new("region", name);

    private IEnumerable<Measurement<int>> Members()
    {
        if (_system is null) return [];
        return Cluster.Get(_system).State.Members.GroupBy(m => m.Status)
            .Select(g => new Measurement<int>(g.Count(), new KeyValuePair<string, object?>("status", g.Key.ToString())));
    }

    private IEnumerable<Measurement<int>> Unreachable() =>
        _system is null ? [] : [new Measurement<int>(Cluster.Get(_system).State.Unreachable.Count)];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // the actor system is the host's once it has started (Akka's hosted service starts after this one)
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (_services.GetRequiredService<IHostApplicationLifetime>().ApplicationStarted.Register(() => started.TrySetResult()))
        using (stoppingToken.Register(() => started.TrySetCanceled()))
        {
            try { await started.Task; }
            catch (TaskCanceledException) { return; }
        }
        _system = _services.GetRequiredService<ActorSystem>();

        using var timer = new PeriodicTimer(_options.ClusterPollInterval);
        try
        {
            do
            {
                try
                {
                    _regions = await PollRegionsAsync(_system, stoppingToken);
                }
                catch (AskTimeoutException e)
                {
                    _log.LogDebug("The shard regions did not answer for the sharding gauges: {Error}", e.Message);
                }
            } while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { }
    }

    private async Task<IReadOnlyList<(string, int, int)>> PollRegionsAsync(ActorSystem system, CancellationToken ct)
    {
        var sharding = ClusterSharding.Get(system);
        var regions = new List<(string, int, int)>();
        foreach (var typeName in sharding.ShardTypeNames.Order(StringComparer.Ordinal))
        {
            var state = await sharding.ShardRegion(typeName).Ask<CurrentShardRegionState>(GetShardRegionState.Instance, _options.ClusterPollInterval, ct);
            regions.Add((typeName, state.Shards.Count, state.Shards.Sum(s => s.EntityIds.Count)));
        }
        return regions;
    }
}
