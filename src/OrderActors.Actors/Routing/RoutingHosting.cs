using Akka.Cluster.Hosting;
using Akka.Hosting;
using OrderActors.Actors.Sharding;
using OrderActors.Actors.Units;
using OrderActors.Domain.Routing;

namespace OrderActors.Actors.Routing;

/// <summary>Registry key of the node's router.</summary>
public sealed class OrderRouter;

/// <summary>Registry key of the routing tables' shard region (one entity).</summary>
public sealed class RoutingTablesRegion;

public static class RoutingHosting
{
    public const string TablesTypeName = "routing";

    /// <summary>
    /// The routing tables (one sharded entity: the draft and every published version), this node's replica of them in
    /// <paramref name="directory"/>, and the router, one per node (it holds no order): it sends each delivery's orders
    /// to the unit queues (<see cref="UnitsHosting.WithUnits"/>) by the version that delivery carries.
    /// </summary>
    public static AkkaConfigurationBuilder WithRouting(this AkkaConfigurationBuilder builder, RoutingOptions options, RoutingTablesOptions tables,
        RoutingDirectory directory, string? role = null) =>
        builder
            .WithShardRegion<RoutingTablesRegion>(TablesTypeName, _ => RoutingTablesActor.PropsFor(options.Configured, tables.SnapshotEvery),
                EntityShards.Extractor, EntityShards.Options(role))
            .WithActors((system, registry) =>
            {
                var region = registry.Get<RoutingTablesRegion>();
                system.ActorOf(RoutingReplica.PropsFor(directory, region, tables.SyncInterval), "routing-replica");
                registry.Register<OrderRouter>(system.ActorOf(RouterActor.PropsFor(directory, region, registry.Get<UnitRegion>()), "router"));
            });
}
