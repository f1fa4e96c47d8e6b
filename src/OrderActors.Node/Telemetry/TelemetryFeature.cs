using System.Diagnostics.Metrics;
using Akka.Configuration;
using Akka.Hosting;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using OrderActors.Actors.Persistence;
using OrderActors.Domain.Security;
using OrderActors.Node.Hosting;
using OrderActors.Node.Security;

namespace OrderActors.Node.Telemetry;

/// <summary>
/// Telemetry: the features' meters (each feature declares its own instruments), the cluster's and the journals', with
/// ASP.NET Core's, the HTTP client's and the runtime's, exported by OpenTelemetry in Prometheus text format at
/// <c>/metrics</c> and over OTLP when <c>--otlp-endpoint</c> is given (docs/watch.md).
/// </summary>
public sealed class TelemetryFeature : NodeFeature
{
    public override void AddServices(IServiceCollection services, NodeOptions node, Config hocon, IConfiguration configuration)
    {
        var options = TelemetryOptions.From(hocon, configuration);
        services.AddSingleton(options).AddSingleton(sp => new JournalMetrics(sp.GetService<IMeterFactory>())).AddSingleton<OverviewQueries>();
        services.AddLogging(logging =>
        {
            if (options.JsonLogs)
                // one object a line, for a log shipper: the message, its named values, the category, and the scopes (a
                // request's TraceId and SpanId, so a line joins its trace)
                logging.AddJsonConsole(json =>
                {
                    json.IncludeScopes = true;
                    json.UseUtcTimestamp = true;
                    json.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
                });
            else
                logging.AddSimpleConsole(console =>
                {
                    console.SingleLine = true;
                    console.TimestampFormat = "HH:mm:ss.fff ";
                });
        });
        if (!options.Metrics && options.OtlpEndpoint is null) return;

        var telemetry = services.AddOpenTelemetry().ConfigureResource(resource => resource
            .AddService("orderactors", serviceInstanceId: $"{node.ClusterHost}:{node.ClusterPort}"));
        if (options.Metrics)
        {
            services.AddSingleton<ClusterMetrics>().AddHostedService(sp => sp.GetRequiredService<ClusterMetrics>())
                .AddSingleton(new RecentLatencies(options.PageLatencyWindow));
            telemetry.WithMetrics(metrics =>
            {
                metrics.AddMeter([.. options.Meters]).AddView(PrometheusNames.View).AddPrometheusExporter();
                if (options.OtlpEndpoint is not null)
                    metrics.AddOtlpExporter((exporter, reader) =>
                    {
                        (exporter.Endpoint, exporter.Protocol) = (options.OtlpSignal("v1/metrics"), Protocol(options));
                        reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = (int)options.OtlpExportInterval.TotalMilliseconds;
                    });
            });
        }
        if (options.OtlpEndpoint is not null)
            telemetry.WithTracing(tracing => tracing.AddSource("OrderActors.*").AddAspNetCoreInstrumentation().AddHttpClientInstrumentation()
                .AddOtlpExporter(exporter => (exporter.Endpoint, exporter.Protocol) = (options.OtlpSignal("v1/traces"), Protocol(options))));
    }

    private static OtlpExportProtocol Protocol(TelemetryOptions options) => options.OtlpHttp ? OtlpExportProtocol.HttpProtobuf : OtlpExportProtocol.Grpc;

    public override void AddActors(AkkaConfigurationBuilder akka, IServiceProvider services)
    {
        if (services.GetRequiredService<TelemetryOptions>().JsonLogs)
            akka.ConfigureLoggers(loggers =>
            {
                loggers.ClearLoggers();
                loggers.AddLogger<StructuredAkkaLogger>();
            });
        services.GetService<RecentLatencies>(); // it listens from now on
        var journal = services.GetRequiredService<JournalMetrics>();
        akka.WithActors((system, _) => system.ActorOf(journal.Listener(), "journal-metrics"));
    }

    public override void MapEndpoints(IEndpointRouteBuilder app)
    {
        if (app.ServiceProvider.GetRequiredService<TelemetryOptions>().Metrics) app.MapPrometheusScrapingEndpoint("/metrics").RequireAccess(Need.Operate);
        app.MapOperatorPage();
    }
}
