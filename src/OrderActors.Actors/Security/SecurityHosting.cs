using Akka.Cluster.Hosting;
using Akka.Hosting;
using OrderActors.Actors.Sharding;

namespace OrderActors.Actors.Security;

/// <summary>Registry key of the key store's shard region.</summary>
public sealed class SecurityRegion;

public static class SecurityHosting
{
    public const string TypeName = "security";

    /// <summary>The key store (one sharded entity) and this node's replica of it in <paramref name="store"/>, which every request reads.</summary>
    public static AkkaConfigurationBuilder WithSecurity(this AkkaConfigurationBuilder builder, SecurityOptions options, KeyDirectoryStore store,
        string? role = null) =>
        builder
            .WithShardRegion<SecurityRegion>(TypeName, _ => ApiKeysActor.PropsFor(options), EntityShards.Extractor, EntityShards.Options(role))
            .WithActors((system, registry) =>
                system.ActorOf(KeyReplica.PropsFor(store, registry.Get<SecurityRegion>(), options.SyncInterval), "key-replica"));
}
