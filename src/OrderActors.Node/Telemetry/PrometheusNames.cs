using System.Diagnostics.Metrics;
using OpenTelemetry.Metrics;

namespace OrderActors.Node.Telemetry;

/// <summary>
/// Renames the few platform instruments whose names Prometheus reserves: the runtime's <c>*.count</c> gauges
/// (<c>dotnet.assembly.count</c>, ...) would be exported as <c>*_count</c>, which Prometheus reads as a histogram's or
/// a summary's count (and <c>promtool check metrics</c> refuses). They keep their meaning under a plural name.
/// </summary>
public static class PrometheusNames
{
    private static readonly Dictionary<string, string> Renamed = new(StringComparer.Ordinal)
    {
        ["dotnet.assembly.count"] = "dotnet.assemblies",
        ["dotnet.process.cpu.count"] = "dotnet.process.cpus",
        ["dotnet.thread_pool.thread.count"] = "dotnet.thread_pool.threads",
        ["dotnet.timer.count"] = "dotnet.timers",
    };

    public static MetricStreamConfiguration? View(Instrument instrument) =>
        instrument is not Histogram<double> && instrument.Name.EndsWith(".count", StringComparison.Ordinal)
            ? new MetricStreamConfiguration { Name = Renamed.GetValueOrDefault(instrument.Name, instrument.Name[..^".count".Length] + ".number") }
            : null;
}
