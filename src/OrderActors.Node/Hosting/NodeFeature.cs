using Akka.Configuration;
using Akka.Hosting;

namespace OrderActors.Node.Hosting;

/// <summary>
/// One feature of the node, as <c>Program.cs</c> composes it: its options (read from HOCON, where their defaults are)
/// and services, its actors (<c>With&lt;Feature&gt;</c>, given what the services hold), the middleware it needs and its
/// routes. The node names each feature once, in the order their actors are added: a feature's actors find those
/// of the features listed before it already registered.
/// </summary>
public abstract class NodeFeature
{
    /// <summary>Reads the feature's options (from HOCON, or for an option of its own from the command line and environment, <paramref name="configuration"/>) and registers them with its services (an invalid option stops the node).</summary>
    public abstract void AddServices(IServiceCollection services, NodeOptions node, Config hocon, IConfiguration configuration);

    public virtual void AddActors(AkkaConfigurationBuilder akka, IServiceProvider services) { }

    public virtual void UseMiddleware(IApplicationBuilder app) { }

    public virtual void MapEndpoints(IEndpointRouteBuilder app) { }
}
