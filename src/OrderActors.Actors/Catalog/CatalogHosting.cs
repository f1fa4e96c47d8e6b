using Akka.Actor;
using Akka.Cluster.Hosting;
using Akka.Hosting;
using OrderActors.Actors.Sharding;

namespace OrderActors.Actors.Catalog;

/// <summary>Registry key of the catalog's shard region.</summary>
public sealed class CatalogRegion;

public static class CatalogHosting
{
    public const string TypeName = "catalog";

    /// <summary>
    /// The catalog of record (one sharded entity), this node's replica of it in <paramref name="store"/> (what intake
    /// enriches orders from, with no network hop), and the keeper that wakes the entity after a restart.
    /// </summary>
    public static AkkaConfigurationBuilder WithCatalog(this AkkaConfigurationBuilder builder, CatalogOptions options, CatalogStore store,
        string? role = null) =>
        builder
            .WithShardRegion<CatalogRegion>(TypeName, _ => CatalogActor.PropsFor(options), EntityShards.Extractor, EntityShards.Options(role))
            .WithActors((system, registry) =>
            {
                var region = registry.Get<CatalogRegion>();
                system.ActorOf(CatalogReplica.PropsFor(store, region, options.SyncInterval), "catalog-replica");
                system.ActorOf(WakeKeeper.PropsFor(region, [CatalogProtocol.EntityId], options.WakeInterval), "catalog-wake-keeper");
            });
}
