using Akka.Actor;
using Akka.Hosting;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using OrderActors.Actors.Catalog;
using OrderActors.Actors.Sharding;
using OrderActors.Node.Hosting;
using OrderActors.Domain.Catalog;

using OrderActors.Node.Http;

namespace OrderActors.Node.Catalog;

/// <summary>
/// At start, loads the Northwind sample catalog (samples/northwind/catalog.json next to the binary) into the
/// catalog if it is empty — unless <c>--no-sample-data</c>. The catalog entity takes it only when empty, so
/// several nodes starting together load it once. The node is not ready until this is done.
/// </summary>
public sealed class SampleCatalogLoader(
    NodeOptions options,
    CatalogStore store,
    ActorRegistry registry,
    ApiOptions api,
    ILogger<SampleCatalogLoader> log) : BackgroundService, IHealthCheck
{
    public static string SamplePath => Path.Combine(AppContext.BaseDirectory, "samples", "northwind", "catalog.json");

    private volatile bool _done;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.NoSampleData)
        {
            _done = true;
            return;
        }

        var import = CatalogImport.Parse(await File.ReadAllTextAsync(SamplePath, stoppingToken), isJson: true, CatalogSnapshot.Empty);
        if (!import.IsValid)
            throw new InvalidOperationException($"the sample catalog {SamplePath} is invalid: {import.Errors[0]}");

        IActorRef region;
        try
        {
            region = await registry.WhenRegisteredAsync<CatalogRegion>(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return;
        }
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var reply = await region.Ask<object>(new CatalogProtocol.UpsertCatalog(import.Manufacturers, import.Products, OnlyIfEmpty: true),
                    api.AskTimeout, stoppingToken);
                if (reply is CatalogProtocol.CatalogChanged changed)
                {
                    store.Apply(changed);
                    log.LogInformation("Loaded the Northwind sample catalog: {Manufacturers} manufacturers, {Products} products (--no-sample-data turns this off)",
                        import.Manufacturers.Count, import.Products.Count);
                }
                _done = true;
                return;
            }
            catch (AskTimeoutException)
            {
                log.LogWarning("The catalog did not answer yet; trying again to load the sample catalog");
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return; // the node is stopping
            }
        }
    }

    /// <summary>Whether this node has its catalog: the sample is loaded (or not wanted) and the node's copy is in sync.</summary>
    public bool CatalogReady => _done && store.Synced;

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(CatalogReady
            ? HealthCheckResult.Healthy($"catalog version {store.Current.Version}")
            : HealthCheckResult.Unhealthy("the catalog is not loaded yet"));
}
