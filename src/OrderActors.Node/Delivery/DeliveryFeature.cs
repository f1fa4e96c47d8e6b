using System.Diagnostics.Metrics;
using Akka.Configuration;
using Akka.Hosting;
using OrderActors.Actors.Delivery;
using OrderActors.Domain.Health;
using OrderActors.Domain.Routing;
using OrderActors.Node.Hosting;

namespace OrderActors.Node.Delivery;

/// <summary>The last hop: each unit queue's delivery (pull acks or webhook pushes), its settings, parked orders and replay.</summary>
public sealed class DeliveryFeature : NodeFeature
{
    public override void AddServices(IServiceCollection services, NodeOptions node, Config hocon, IConfiguration configuration) =>
        services.AddSingleton(DeliveryOptions.From(hocon)).AddSingleton(sp => new DeliveryMetrics(sp.GetService<IMeterFactory>())).AddDelivery();

    public override void AddActors(AkkaConfigurationBuilder akka, IServiceProvider services) =>
        akka.WithDelivery(services.GetRequiredService<DeliveryOptions>(), services.GetRequiredService<RoutingDirectory>(),
            services.GetRequiredService<JournalHealth>(), services.GetRequiredService<DeliveryMetrics>());

    public override void MapEndpoints(IEndpointRouteBuilder app)
    {
        app.MapDelivery();
        app.MapStuckOrders();
    }
}
