using Akka.Configuration;
using Akka.Hosting;
using OrderActors.Actors.Configuration;
using OrderActors.Actors.Ingest;
using OrderActors.Domain.Routing;
using OrderActors.Node.Hosting;

namespace OrderActors.Node.Ingest;

/// <summary>Intake: the first queues, the node's intake batcher, <c>/api/orders</c>, the order view and the status reports on an order.</summary>
public sealed class IngestFeature : NodeFeature
{
    public override void AddServices(IServiceCollection services, NodeOptions node, Config hocon, IConfiguration configuration) =>
        services.AddSingleton(IngestOptions.From(hocon)).AddOrders()
            .AddSingleton(new RecentRejections(HoconSection.Of(hocon, "orderactors.ingest").Int("recent-rejections", 1, 10_000)));

    public override void AddActors(AkkaConfigurationBuilder akka, IServiceProvider services) =>
        akka.WithIngest(services.GetRequiredService<IngestOptions>(), services.GetRequiredService<IngestMetrics>(), services.GetRequiredService<RoutingDirectory>());

    public override void MapEndpoints(IEndpointRouteBuilder app)
    {
        app.MapOrders();
        app.MapOrderStatus();
    }
}
