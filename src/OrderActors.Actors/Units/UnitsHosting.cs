using Akka.Actor;
using Akka.Cluster.Hosting;
using Akka.Configuration;
using Akka.Hosting;
using OrderActors.Domain.Catalog;
using OrderActors.Actors.Inventory;
using OrderActors.Actors.Sharding;
using OrderActors.Domain.Routing;

namespace OrderActors.Actors.Units;

/// <summary>Registry key of the unit queues' shard region.</summary>
public sealed class UnitRegion;

public static class UnitsHosting
{
    public const string TypeName = "unit";

    /// <summary>
    /// The unit queues (sharded unit entities, one per queue of each unit of any routing version, so that a unit a
    /// version adds has its queues without a restart) and the keeper that wakes them after a restart. The stock unit's queues move stock in the inventory partitions
    /// (<see cref="InventoryHosting.WithInventory"/>) with the catalog's opening figures.
    /// </summary>
    public static AkkaConfigurationBuilder WithUnits(this AkkaConfigurationBuilder builder, UnitsOptions options, RoutingDirectory routing,
        InventoryOptions inventory, ICatalogReader catalog, UnitsMetrics? metrics = null, string? role = null)
    {
        if (routing.FindUnit(inventory.StockUnit) is null)
            throw new ConfigurationException($"orderactors.inventory.stock-unit '{inventory.StockUnit}' is not a unit of the routing table");
        return builder
            .WithShardRegion<UnitRegion>(TypeName,
                (_, registry) => entityId =>
                {
                    var address = UnitQueueAddress.Parse(entityId);
                    var stock = address.Unit == inventory.StockUnit
                        ? new StockProcessing(routing.StockEffectsOf, registry.Get<InventoryRegion>, catalog, options.StockMoveTimeout, inventory.Partitions)
                        : null;
                    return UnitQueueActor.PropsFor(address, options, stock, metrics);
                },
                EntityShards.Extractor, EntityShards.Options(role))
            .WithActors((system, registry) => system.ActorOf(
                WakeKeeper.PropsFor(registry.Get<UnitRegion>(), () => routing.AllQueues().Select(q => q.EntityId), options.WakeInterval),
                "unit-wake-keeper"));
    }
}
