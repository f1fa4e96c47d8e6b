using Akka.Configuration;
using OrderActors.Actors.Configuration;

namespace OrderActors.Actors.Catalog;

/// <summary>The catalog's options, read from <c>orderactors.catalog</c> (defaults in <c>hocon/orderactors.hocon</c>).</summary>
public sealed record CatalogOptions
{
    /// <summary>Each node checks its copy of the catalog this often (changes are also pushed at once).</summary>
    public required TimeSpan SyncInterval { get; init; }
    /// <summary>The catalog entity snapshots every this many changes.</summary>
    public required int SnapshotEvery { get; init; }
    public required TimeSpan WakeInterval { get; init; }

    public static CatalogOptions From(Config config)
    {
        var root = HoconSection.Of(config, "orderactors");
        var catalog = root.Section("catalog");
        return new CatalogOptions
        {
            SyncInterval = catalog.Duration("sync-interval", TimeSpan.FromMilliseconds(10)),
            SnapshotEvery = catalog.Int("snapshot-every", 1),
            WakeInterval = root.Duration("wake-interval", TimeSpan.FromMilliseconds(1)),
        };
    }
}
