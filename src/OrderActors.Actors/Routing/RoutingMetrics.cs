using System.Diagnostics.Metrics;
using OrderActors.Actors.Telemetry;
using OrderActors.Domain.Routing;

namespace OrderActors.Actors.Routing;

/// <summary>
/// What routing measures (meter <c>OrderActors.Routing</c>): the version this node checks new orders against, so that
/// a node that has not heard of a publish shows it beside the others.
/// </summary>
public sealed class RoutingMetrics
{
    public const string MeterName = "OrderActors.Routing";

    public RoutingMetrics(RoutingDirectory directory, IMeterFactory? meters = null)
    {
        var meter = FeatureMeter.Create(meters, MeterName);
        meter.CreateObservableGauge("orderactors.routing.version", () => directory.LiveVersion.Version, "{version}",
            "The routing version this node checks new orders against (its live one)");
    }
}
