using Akka.Actor;
using Akka.Cluster.Hosting;
using Akka.Cluster.Sharding;
using Akka.Hosting;
using OrderActors.Actors.Ingest;
using OrderActors.Actors.Routing;
using OrderActors.Actors.Serialization;
using OrderActors.Actors.Sharding;
using OrderActors.Actors.Units;

namespace OrderActors.Actors.Hosting;

/// <summary>Registry keys of the pipeline's actors.</summary>
public sealed class IngestRegion;
public sealed class UnitRegion;
public sealed class OrderRouter;

/// <summary>Akka.Hosting wiring of the order pipeline: one call per feature, composed by the node.</summary>
public static class OrderActorsHosting
{
    public const string IngestTypeName = "ingest";
    public const string UnitTypeName = "unit";

    /// <summary>Binds every persisted or remote message to <see cref="OrderActorsSerializer"/>.</summary>
    public static AkkaConfigurationBuilder WithOrderActorsSerialization(this AkkaConfigurationBuilder builder) =>
        builder.WithCustomSerializer(OrderActorsSerializer.Name, [typeof(IOrderActorsMessage)],
            system => new OrderActorsSerializer(system));

    /// <summary>
    /// The pipeline: first queues (sharded ingest entities), the router (one per node), unit queues (sharded unit
    /// entities) and the keeper that wakes them after a restart.
    /// </summary>
    public static AkkaConfigurationBuilder WithOrderPipeline(this AkkaConfigurationBuilder builder,
        OrderActorsSettings settings, string? role = null)
    {
        var extractor = new EntityIdExtractor();
        ShardOptions Options() => new()
        {
            StateStoreMode = StateStoreMode.DData,
            RememberEntities = false,
            HandOffStopMessage = StopEntity.Instance,
            Role = role,
        };

        return builder
            .WithShardRegion<UnitRegion>(UnitTypeName, UnitQueueActor.PropsFor, extractor, Options())
            .WithShardRegion<IngestRegion>(IngestTypeName,
                (_, registry) => entityId => IngestActor.PropsFor(entityId, registry.Get<OrderRouter>(), settings),
                extractor, Options())
            .WithActors((system, registry) =>
            {
                var unitRegion = registry.Get<UnitRegion>();
                var ingestRegion = registry.Get<IngestRegion>();
                registry.Register<OrderRouter>(system.ActorOf(RouterActor.PropsFor(settings.Routing, unitRegion), "router"));

                var targets = Enumerable.Range(0, settings.IngestQueues)
                    .Select(q => (ingestRegion, IngestProtocol.EntityIdFor(q)))
                    .Concat(settings.Routing.AllQueues().Select(a => (unitRegion, a.EntityId)))
                    .ToList();
                system.ActorOf(WakeKeeper.PropsFor(targets, settings.WakeInterval), "wake-keeper");
            });
    }
}
