using Akka.Configuration;
using OrderActors.Node.Hosting;

namespace OrderActors.Node.Admin;

/// <summary>Cluster operations: members, leave and down, where the shards and the queues live.</summary>
public sealed class AdminFeature : NodeFeature
{
    public override void AddServices(IServiceCollection services, NodeOptions node, Config hocon, IConfiguration configuration) => services.AddAdmin(hocon);

    public override void MapEndpoints(IEndpointRouteBuilder app) => app.MapAdmin();
}
