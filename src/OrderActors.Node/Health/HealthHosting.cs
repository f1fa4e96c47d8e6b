using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using OrderActors.Domain.Health;
using OrderActors.Node.Hosting;
using OrderActors.Node.Http;

namespace OrderActors.Node.Health;

/// <summary>The health feature: the journal probe, readiness that says why, and the gate that refuses writes at once.</summary>
public static class HealthHosting
{
    public static IServiceCollection AddHealth(this IServiceCollection services, HealthOptions options, JournalHealth journal)
    {
        services.AddSingleton(options).AddSingleton(journal).AddSingleton<JournalProbe>().AddHostedService(sp => sp.GetRequiredService<JournalProbe>());
        services.AddHealthChecks().AddCheck<JournalProbe>("journal-writable", tags: [NodeAkkaSetup.ReadyTag])
            .AddCheck<LeavingCheck>("leaving", tags: [NodeAkkaSetup.ReadyTag]);
        return services;
    }

    /// <summary>
    /// While the journal cannot be written, every call that would write (any method but GET and HEAD under /api,
    /// except cluster operations, which do not need it) answers 503 with Retry-After at once.
    /// </summary>
    public static IApplicationBuilder UseJournalGate(this IApplicationBuilder app)
    {
        var probe = app.ApplicationServices.GetRequiredService<JournalProbe>();
        var retryAfter = JournalHealth.RetryAfterSeconds(probe.Options.ProbeInterval);
        return app.Use(async (context, next) =>
        {
            var request = context.Request;
            if (!probe.State.Writable && !HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method)
                && request.Path.StartsWithSegments("/api") && !request.Path.StartsWithSegments("/api/admin/cluster"))
            {
                await Problems.Unavailable(context, $"This node cannot write its journal ({probe.State.Reason}); nothing was stored. " +
                                                    "Send it again in a moment, or to another node.", retryAfter).ExecuteAsync(context);
                return;
            }
            await next(context);
        });
    }

    private static readonly JsonSerializerOptions Json = ApiJson.Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    /// <summary>Readiness as JSON: the status and each check's name, status and reason, so an operator sees why.</summary>
    public static Task WriteReport(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(JsonSerializer.Serialize(new
        {
            status = report.Status.ToString(),
            checks = report.Entries.Select(e => new { name = e.Key, status = e.Value.Status.ToString(), description = e.Value.Description ?? e.Value.Exception?.Message }),
        }, Json));
    }
}

/// <summary>Not ready from SIGTERM on: the node is handing its shards off and sends callers elsewhere.</summary>
public sealed class LeavingCheck(IHostApplicationLifetime lifetime) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(lifetime.ApplicationStopping.IsCancellationRequested
            ? HealthCheckResult.Unhealthy("the node is leaving the cluster (handing its shards off)")
            : HealthCheckResult.Healthy("not leaving"));
}
