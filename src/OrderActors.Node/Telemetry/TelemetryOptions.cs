using Akka.Configuration;
using OrderActors.Actors.Configuration;
using OrderActors.Node.Hosting;

namespace OrderActors.Node.Telemetry;

/// <summary>
/// What the node measures and where it sends it: <c>orderactors.telemetry</c> in HOCON (defaults in
/// <c>hocon/orderactors.hocon</c>), and <c>--otlp-endpoint</c> (or <c>ORDERACTORS_OTLP_ENDPOINT</c>), an OTLP/gRPC
/// or OTLP/HTTP collector's URL (<c>--otlp-protocol</c> says which): none, the default, sends nothing.
/// </summary>
/// <param name="JsonLogs"><c>--log-format json</c>: one JSON object a line (else the readable console lines)</param>
/// <param name="OtlpHttp">OTLP/HTTP with protobuf (else OTLP/gRPC)</param>
public sealed record TelemetryOptions(bool Metrics, IReadOnlyList<string> Meters, TimeSpan ClusterPollInterval, TimeSpan OtlpExportInterval,
    TimeSpan PageLatencyWindow, Uri? OtlpEndpoint, bool JsonLogs = false, bool OtlpHttp = false)
{
    /// <summary>Where a signal's exports go: gRPC takes them all at the endpoint; OTLP/HTTP at the signal's path under it.</summary>
    public Uri OtlpSignal(string path) => OtlpHttp ? new Uri($"{OtlpEndpoint!.AbsoluteUri.TrimEnd('/')}/{path}") : OtlpEndpoint!;

    public static TelemetryOptions From(Config hocon, IConfiguration configuration)
    {
        var section = HoconSection.Of(hocon, "orderactors.telemetry");
        var endpoint = configuration["otlp-endpoint"] ?? configuration["otlp_endpoint"];
        Uri? otlp = null;
        if (endpoint is { Length: > 0 } && (!Uri.TryCreate(endpoint, UriKind.Absolute, out otlp) || otlp.Scheme is not ("http" or "https")))
            throw new OptionsException($"--otlp-endpoint must be an http:// or https:// URL (got '{endpoint}')");
        var protocol = configuration["otlp-protocol"] ?? configuration["otlp_protocol"] ?? section.String("otlp-protocol");
        if (protocol is not ("grpc" or "http/protobuf"))
            throw new OptionsException($"--otlp-protocol must be grpc or http/protobuf (got '{protocol}')");
        var logFormat = (configuration["log-format"] ?? configuration["log_format"] ?? "console").ToLowerInvariant();
        if (logFormat is not ("console" or "json"))
            throw new OptionsException($"--log-format must be console or json (got '{logFormat}')");
        return new TelemetryOptions(section.Bool("metrics"), section.StringList("meters"), section.Duration("cluster-poll-interval", TimeSpan.FromMilliseconds(100)),
            section.Duration("otlp-export-interval", TimeSpan.FromSeconds(1)), section.Duration("page-latency-window", TimeSpan.FromSeconds(1)), otlp,
            logFormat == "json", protocol == "http/protobuf");
    }
}
