using System.Diagnostics.Metrics;
using Akka.Configuration;
using Akka.Hosting;
using OrderActors.Actors.Catalog;
using OrderActors.Node.Hosting;

namespace OrderActors.Node.Catalog;

/// <summary>Manufacturers and products: the catalog of record and every node's copy, the sample loaded at first start, <c>/api/catalog</c>.</summary>
public sealed class CatalogFeature : NodeFeature
{
    public override void AddServices(IServiceCollection services, NodeOptions node, Config hocon, IConfiguration configuration)
    {
        services.AddSingleton(CatalogOptions.From(hocon)).AddSingleton(new CatalogStore()).AddCatalog()
            .AddSingleton(sp => new CatalogMetrics(sp.GetRequiredService<CatalogStore>(), sp.GetService<IMeterFactory>()));
        // the loader waits for the catalog's region to be registered (the actor system starts as a hosted service too)
        services.AddSingleton<SampleCatalogLoader>().AddHostedService(sp => sp.GetRequiredService<SampleCatalogLoader>());
        services.AddHealthChecks().AddCheck<SampleCatalogLoader>("catalog", tags: [NodeAkkaSetup.ReadyTag]);
    }

    public override void AddActors(AkkaConfigurationBuilder akka, IServiceProvider services)
    {
        services.GetRequiredService<CatalogMetrics>(); // its gauges read the store from now on
        akka.WithCatalog(services.GetRequiredService<CatalogOptions>(), services.GetRequiredService<CatalogStore>());
    }

    public override void MapEndpoints(IEndpointRouteBuilder app) => app.MapCatalog();
}
