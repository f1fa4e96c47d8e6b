using Akka.Cluster.Hosting;
using Akka.Hosting;
using OrderActors.Actors.Sharding;
using OrderActors.Domain.Inventory;

namespace OrderActors.Actors.Inventory;

/// <summary>Registry key of the inventory partitions' shard region.</summary>
public sealed class InventoryRegion;

public static class InventoryHosting
{
    public const string TypeName = "inventory";

    /// <summary>The inventory tallies: sharded partitions that take the stock unit's moves, receipts and counts.</summary>
    public static AkkaConfigurationBuilder WithInventory(this AkkaConfigurationBuilder builder, InventoryOptions options, string? role = null) =>
        builder.WithShardRegion<InventoryRegion>(TypeName,
            entityId => StockPartitionActor.PropsFor(StockPartitionId.Parse(entityId), options),
            EntityShards.Extractor, EntityShards.Options(role));
}
