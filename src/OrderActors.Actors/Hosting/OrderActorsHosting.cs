using Akka.Actor;
using Akka.Cluster.Hosting;
using Akka.Cluster.Sharding;
using Akka.Hosting;
using OrderActors.Actors.Catalog;
using OrderActors.Actors.Ingest;
using OrderActors.Actors.Inventory;
using OrderActors.Actors.Routing;
using OrderActors.Actors.Serialization;
using OrderActors.Actors.Sharding;
using OrderActors.Actors.Units;
using OrderActors.Domain.Routing;

namespace OrderActors.Actors.Hosting;

/// <summary>Registry keys of the pipeline's actors.</summary>
public sealed class IngestRegion;
public sealed class UnitRegion;
public sealed class OrderRouter;
public sealed class CatalogRegion;
public sealed class InventoryRegion;

/// <summary>Akka.Hosting wiring of the order pipeline: one call per feature, composed by the node.</summary>
public static class OrderActorsHosting
{
    public const string IngestTypeName = "ingest";
    public const string UnitTypeName = "unit";
    public const string CatalogTypeName = "catalog";
    public const string InventoryTypeName = "inventory";

    /// <summary>Binds every persisted or remote message to <see cref="OrderActorsSerializer"/>.</summary>
    public static AkkaConfigurationBuilder WithOrderActorsSerialization(this AkkaConfigurationBuilder builder) =>
        builder.WithCustomSerializer(OrderActorsSerializer.Name, [typeof(IOrderActorsMessage)],
            system => new OrderActorsSerializer(system));

    /// <summary>
    /// The pipeline: first queues (sharded ingest entities), the router (one per node), unit queues (sharded unit
    /// entities) and the keeper that wakes them after a restart.
    /// </summary>
    public static AkkaConfigurationBuilder WithOrderPipeline(this AkkaConfigurationBuilder builder,
        OrderActorsSettings settings, CatalogStore catalog, string? role = null)
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
            .WithShardRegion<CatalogRegion>(CatalogTypeName, _ => CatalogActor.PropsFor(), extractor, Options())
            .WithShardRegion<InventoryRegion>(InventoryTypeName, StockPartitionActor.PropsFor, extractor, Options())
            .WithShardRegion<UnitRegion>(UnitTypeName,
                (_, registry) => entityId =>
                {
                    var isStockUnit = UnitQueueAddressOf(entityId).Unit == settings.StockUnit;
                    return UnitQueueActor.PropsFor(entityId, isStockUnit
                        ? new StockProcessing(settings.StockEffects, registry.Get<InventoryRegion>, catalog, settings.DeliveryTimeout, settings.InventoryPartitions)
                        : null, maxBacklog: settings.UnitMaxBacklog);
                },
                extractor, Options())
            .WithShardRegion<IngestRegion>(IngestTypeName,
                (_, registry) => entityId => IngestActor.PropsFor(entityId, registry.Get<OrderRouter>(), settings),
                extractor, Options())
            .WithActors((system, registry) =>
            {
                var unitRegion = registry.Get<UnitRegion>();
                var ingestRegion = registry.Get<IngestRegion>();
                registry.Register<OrderRouter>(system.ActorOf(RouterActor.PropsFor(settings.Routing, unitRegion), "router"));
                system.ActorOf(CatalogReplica.PropsFor(catalog, registry.Get<CatalogRegion>(), settings.CatalogSyncInterval), "catalog-replica");

                var targets = Enumerable.Range(0, settings.IngestQueues)
                    .Select(q => (ingestRegion, IngestProtocol.EntityIdFor(q)))
                    .Concat(settings.Routing.AllQueues().Select(a => (unitRegion, a.EntityId)))
                    .Append((registry.Get<CatalogRegion>(), CatalogProtocol.EntityId))
                    .ToList();
                system.ActorOf(WakeKeeper.PropsFor(targets, settings.WakeInterval), "wake-keeper");
            });
    }

    private static UnitQueueAddress UnitQueueAddressOf(string entityId) =>
        UnitQueueAddress.TryParse(entityId, out var address) ? address : throw new ArgumentException($"not a unit queue id: {entityId}");
}
