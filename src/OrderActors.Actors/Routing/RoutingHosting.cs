using Akka.Hosting;
using OrderActors.Actors.Units;

namespace OrderActors.Actors.Routing;

/// <summary>Registry key of the node's router.</summary>
public sealed class OrderRouter;

public static class RoutingHosting
{
    /// <summary>The router, one per node (it is stateless): it sends each delivery's orders to the unit queues (<see cref="UnitsHosting.WithUnits"/>).</summary>
    public static AkkaConfigurationBuilder WithRouting(this AkkaConfigurationBuilder builder, RoutingOptions options) =>
        builder.WithActors((system, registry) =>
            registry.Register<OrderRouter>(system.ActorOf(RouterActor.PropsFor(options.Table, registry.Get<UnitRegion>()), "router")));
}
