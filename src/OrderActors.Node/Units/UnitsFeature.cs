using System.Diagnostics.Metrics;
using Akka.Configuration;
using Akka.Hosting;
using OrderActors.Actors.Catalog;
using OrderActors.Actors.Inventory;
using OrderActors.Actors.Routing;
using OrderActors.Actors.Units;
using OrderActors.Node.Hosting;

namespace OrderActors.Node.Units;

/// <summary>The routing table and the business units' queues (the second queues): the router, the unit queues, their feeds, <c>/api/routing</c> and <c>/api/units</c>.</summary>
public sealed class UnitsFeature : NodeFeature
{
    public override void AddServices(IServiceCollection services, NodeOptions node, Config hocon, IConfiguration configuration) =>
        services.AddSingleton(RoutingOptions.From(hocon)).AddSingleton(UnitsOptions.From(hocon))
            .AddSingleton(sp => new UnitsMetrics(sp.GetService<IMeterFactory>())).AddUnits();

    public override void AddActors(AkkaConfigurationBuilder akka, IServiceProvider services)
    {
        var routing = services.GetRequiredService<RoutingOptions>();
        akka.WithUnits(services.GetRequiredService<UnitsOptions>(), routing.Table, services.GetRequiredService<InventoryOptions>(),
                services.GetRequiredService<CatalogStore>(), services.GetRequiredService<UnitsMetrics>())
            .WithRouting(routing); // the router sends to the unit queues
    }

    public override void MapEndpoints(IEndpointRouteBuilder app) => app.MapUnits();
}
