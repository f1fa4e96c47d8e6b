using Akka.Configuration;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using OrderActors.Domain.Health;
using OrderActors.Domain.Security;
using OrderActors.Node.Hosting;
using OrderActors.Node.Security;

namespace OrderActors.Node.Health;

/// <summary>Liveness and readiness (<c>/healthz</c>), the journal probe, and the gate that refuses writes at once while the journal cannot store them.</summary>
public sealed class HealthFeature : NodeFeature
{
    public override void AddServices(IServiceCollection services, NodeOptions node, Config hocon, IConfiguration configuration) =>
        services.AddHealth(HealthOptions.From(hocon), new JournalHealth()); // delivery holds its pushes while the probe says unwritable

    public override void UseMiddleware(IApplicationBuilder app) => app.UseJournalGate(); // after auth: a caller without a key learns that first

    public override void MapEndpoints(IEndpointRouteBuilder app)
    {
        // load balancers and orchestrators call the probes without a key
        app.MapHealthChecks("/healthz/live", new HealthCheckOptions { Predicate = c => c.Tags.Contains(NodeAkkaSetup.LiveTag) })
            .RequireAccess(Need.Nothing);
        app.MapHealthChecks("/healthz/ready", new HealthCheckOptions
        {
            Predicate = c => c.Tags.Contains(NodeAkkaSetup.ReadyTag), ResponseWriter = HealthHosting.WriteReport,
        })
            .RequireAccess(Need.Nothing);
    }
}
