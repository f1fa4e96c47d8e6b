using System.Diagnostics.Metrics;
using Akka.Configuration;
using Akka.Hosting;
using OrderActors.Actors.Catalog;
using OrderActors.Actors.Inventory;
using OrderActors.Actors.Units;
using OrderActors.Domain.Routing;
using OrderActors.Node.Hosting;

namespace OrderActors.Node.Units;

/// <summary>The business units' queues (the second queues): the unit queues of every unit of any routing version, their feeds, <c>/api/units</c>.</summary>
public sealed class UnitsFeature : NodeFeature
{
    public override void AddServices(IServiceCollection services, NodeOptions node, Config hocon, IConfiguration configuration) =>
        services.AddSingleton(UnitsOptions.From(hocon))
            .AddSingleton(sp => new UnitsMetrics(sp.GetService<IMeterFactory>())).AddUnits();

    public override void AddActors(AkkaConfigurationBuilder akka, IServiceProvider services)
    {
        akka.WithUnits(services.GetRequiredService<UnitsOptions>(), services.GetRequiredService<RoutingDirectory>(), services.GetRequiredService<InventoryOptions>(),
            services.GetRequiredService<CatalogStore>(), services.GetRequiredService<UnitsMetrics>());
    }

    public override void MapEndpoints(IEndpointRouteBuilder app) => app.MapUnits();
}
