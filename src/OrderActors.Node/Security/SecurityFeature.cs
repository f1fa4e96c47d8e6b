using Akka.Configuration;
using Akka.Hosting;
using OrderActors.Actors.Security;
using OrderActors.Node.Hosting;

namespace OrderActors.Node.Security;

/// <summary>API keys and roles: the key directory and its actors, authentication and authorization, per-key rate limits, <c>/api/admin/keys</c>.</summary>
public sealed class SecurityFeature : NodeFeature
{
    public override void AddServices(IServiceCollection services, NodeOptions node, Config hocon, IConfiguration configuration)
    {
        var security = SecurityOptions.From(hocon);
        services.AddSingleton(security).AddSingleton(new KeyDirectoryStore())
            .AddApiAuth(node.AuthRequired, node.AdminToken, security)
            .AddKeyRateLimits(security);
    }

    public override void AddActors(AkkaConfigurationBuilder akka, IServiceProvider services) =>
        akka.WithSecurity(services.GetRequiredService<SecurityOptions>(), services.GetRequiredService<KeyDirectoryStore>());

    public override void UseMiddleware(IApplicationBuilder app)
    {
        app.UseApiAuth();
        app.UseKeyRateLimits(app.ApplicationServices.GetRequiredService<SecurityOptions>()); // after auth: the limit is the key's
    }

    public override void MapEndpoints(IEndpointRouteBuilder app) => app.MapKeys();
}
