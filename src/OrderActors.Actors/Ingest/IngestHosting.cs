using Akka.Actor;
using Akka.Cluster.Hosting;
using Akka.Hosting;
using OrderActors.Actors.Routing;
using OrderActors.Actors.Sharding;
using OrderActors.Domain.Ingest;
using OrderActors.Domain.Routing;

namespace OrderActors.Actors.Ingest;

/// <summary>Registry key of the first queues' shard region.</summary>
public sealed class IngestRegion;

public static class IngestHosting
{
    public const string TypeName = "ingest";

    /// <summary>
    /// The first queues (sharded ingest entities), the keeper that wakes them after a restart, and the answerer of
    /// submissions that reached one as it stopped (<see cref="UndeliveredSubmissions"/>). They hand their
    /// orders to the node's router (<see cref="RoutingHosting.WithRouting"/>).
    /// </summary>
    /// <param name="routing">this node's routing versions: a first queue cuts in a version published since its last cut</param>
    public static AkkaConfigurationBuilder WithIngest(this AkkaConfigurationBuilder builder, IngestOptions options, IngestMetrics? metrics = null,
        RoutingDirectory? routing = null, string? role = null) =>
        builder
            .WithShardRegion<IngestRegion>(TypeName,
                (_, registry) => entityId => IngestActor.PropsFor(FirstQueueId.Parse(entityId), registry.Get<OrderRouter>(), options, metrics, routing),
                EntityShards.Extractor, EntityShards.Options(role))
            .WithActors((system, registry) => system.ActorOf(
                WakeKeeper.PropsFor(registry.Get<IngestRegion>(), FirstQueueId.All(options.Queues).Select(q => q.EntityId), options.WakeInterval),
                "ingest-wake-keeper"))
            .WithActors((system, _) => system.ActorOf(UndeliveredSubmissions.Props(), "ingest-undelivered"));
}
