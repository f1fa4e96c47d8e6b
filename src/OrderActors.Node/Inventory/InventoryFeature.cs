using Akka.Configuration;
using Akka.Hosting;
using OrderActors.Actors.Inventory;
using OrderActors.Node.Hosting;

namespace OrderActors.Node.Inventory;

/// <summary>Live stock: the tallies' partitions, receipts and counts, the replenishment form.</summary>
public sealed class InventoryFeature : NodeFeature
{
    public override void AddServices(IServiceCollection services, NodeOptions node, Config hocon, IConfiguration configuration) =>
        services.AddSingleton(InventoryOptions.From(hocon)).AddInventory();

    public override void AddActors(AkkaConfigurationBuilder akka, IServiceProvider services) =>
        akka.WithInventory(services.GetRequiredService<InventoryOptions>());

    public override void MapEndpoints(IEndpointRouteBuilder app) => app.MapInventory();
}
