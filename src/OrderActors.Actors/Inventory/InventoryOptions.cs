using Akka.Configuration;
using OrderActors.Actors.Configuration;
using OrderActors.Domain.Inventory;

namespace OrderActors.Actors.Inventory;

/// <summary>The inventory's options, read from <c>orderactors.inventory</c> (defaults in <c>hocon/orderactors.hocon</c>).</summary>
public sealed record InventoryOptions
{
    /// <summary>The tallies live in this many partitions (a product in FNV-1a(sku) mod n); keep it fixed for a data set.</summary>
    public required int Partitions { get; init; }
    /// <summary>The unit whose processing moves stock.</summary>
    public required string StockUnit { get; init; }
    /// <summary>A partition snapshots every this many events.</summary>
    public required int SnapshotEvery { get; init; }
    /// <summary>What processing an order of each code does to stock: each code's <c>stock-effect</c> in the routing table (none when not given).</summary>
    public required StockEffects StockEffects { get; init; }

    public static InventoryOptions From(Config config)
    {
        var inventory = HoconSection.Of(config, "orderactors.inventory");
        return new InventoryOptions
        {
            Partitions = inventory.Int("partitions", 1, 4096),
            StockUnit = inventory.String("stock-unit"),
            SnapshotEvery = inventory.Int("snapshot-every", 1),
            StockEffects = EffectsOf(HoconSection.Of(config, "orderactors.routing").Section("codes")),
        };
    }

    private static StockEffects EffectsOf(HoconSection codes)
    {
        var effects = new Dictionary<string, StockEffect>(StringComparer.Ordinal);
        foreach (var code in codes.Names())
        {
            var entry = codes.Section(code);
            try
            {
                effects[code] = StockEffects.Parse(entry.Has("stock-effect") ? entry.String("stock-effect") : "none");
            }
            catch (ArgumentException e)
            {
                throw entry.Invalid("stock-effect", e.Message);
            }
        }
        return new StockEffects(effects);
    }
}
