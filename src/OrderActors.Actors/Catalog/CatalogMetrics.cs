using System.Diagnostics.Metrics;
using OrderActors.Actors.Telemetry;

namespace OrderActors.Actors.Catalog;

/// <summary>
/// What the catalog measures (meter <c>OrderActors.Catalog</c>): the version of this node's copy and what it holds, so
/// that a node whose copy lags the others' shows it.
/// </summary>
public sealed class CatalogMetrics
{
    public const string MeterName = "OrderActors.Catalog";

    public CatalogMetrics(CatalogStore store, IMeterFactory? meters = null)
    {
        var meter = FeatureMeter.Create(meters, MeterName);
        meter.CreateObservableGauge("orderactors.catalog.version", () => store.Current.Version, "{version}",
            "The version of this node's copy of the catalog (every change stored adds one)");
        meter.CreateObservableGauge("orderactors.catalog.products", () => store.Current.Products.Count, "{product}",
            "Products in this node's copy of the catalog");
    }
}
