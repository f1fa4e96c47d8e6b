using Akka.Configuration;
using OrderActors.Actors.Configuration;

namespace OrderActors.Actors.Inventory;

/// <summary>The inventory's options, read from <c>orderactors.inventory</c> (defaults in <c>hocon/orderactors.hocon</c>).</summary>
public sealed record InventoryOptions
{
    /// <summary>The tallies live in this many partitions (a product in FNV-1a(sku) mod n); keep it fixed for a data set.</summary>
    public required int Partitions { get; init; }
    /// <summary>The unit whose processing moves stock (each order by its code's stock effect in the routing version that routed it).</summary>
    public required string StockUnit { get; init; }
    /// <summary>A partition snapshots every this many events.</summary>
    public required int SnapshotEvery { get; init; }

    public static InventoryOptions From(Config config)
    {
        var inventory = HoconSection.Of(config, "orderactors.inventory");
        return new InventoryOptions
        {
            Partitions = inventory.Int("partitions", 1, 4096),
            StockUnit = inventory.String("stock-unit"),
            SnapshotEvery = inventory.Int("snapshot-every", 1),
        };
    }
}
