using System.Diagnostics.Metrics;
using Akka.Configuration;
using Akka.Hosting;
using OrderActors.Actors.Routing;
using OrderActors.Domain.Routing;
using OrderActors.Node.Hosting;

namespace OrderActors.Node.Routing;

/// <summary>
/// The routing table (patent claim 3) and its versions: the configured table, the routing tables entity, this node's
/// copy of every version (<see cref="RoutingDirectory"/>), the router, <c>/api/routing</c> and <c>/api/admin/routing</c>.
/// </summary>
public sealed class OrderRoutingFeature : NodeFeature
{
    public override void AddServices(IServiceCollection services, NodeOptions node, Config hocon, IConfiguration configuration)
    {
        var routing = RoutingOptions.From(hocon);
        services.AddSingleton(routing).AddSingleton(RoutingTablesOptions.From(hocon)).AddSingleton(new RoutingDirectory(routing.Configured))
            .AddSingleton(sp => new RoutingMetrics(sp.GetRequiredService<RoutingDirectory>(), sp.GetService<IMeterFactory>()));
    }

    public override void AddActors(AkkaConfigurationBuilder akka, IServiceProvider services)
    {
        services.GetRequiredService<RoutingMetrics>(); // its gauge reads the directory from now on
        akka.WithRouting(services.GetRequiredService<RoutingOptions>(), services.GetRequiredService<RoutingTablesOptions>(),
            services.GetRequiredService<RoutingDirectory>()); // after the units: the router sends to their queues
    }

    public override void MapEndpoints(IEndpointRouteBuilder app) => app.MapRouting();
}
