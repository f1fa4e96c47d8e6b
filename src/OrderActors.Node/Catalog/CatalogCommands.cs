using Akka.Actor;
using Akka.Hosting;
using OrderActors.Actors.Catalog;
using OrderActors.Domain.Catalog;
using OrderActors.Node.Http;

namespace OrderActors.Node.Catalog;

/// <summary>
/// Changes to the catalog of record, applied to this node's copy at once (read your writes). The reads go to the copy
/// itself (<see cref="ICatalogReader"/>: what intake enriches from, with no network hop).
/// </summary>
public sealed class CatalogCommands(IRequiredActor<CatalogRegion> region, CatalogStore store, ApiOptions api)
{
    /// <summary>Stores catalog entries and applies the change to this node's copy at once (read your writes); returns the catalog version.</summary>
    public async Task<long> UpsertAsync(IReadOnlyList<Manufacturer> manufacturers, IReadOnlyList<Product> products, CancellationToken ct)
    {
        var catalog = await region.GetAsync(ct);
        var reply = await catalog.Ask<object>(new CatalogProtocol.UpsertCatalog(manufacturers, products), api.AskTimeout, ct);
        switch (reply)
        {
            case CatalogProtocol.CatalogChanged changed:
                store.Apply(changed);
                return changed.Version;
            case CatalogProtocol.CatalogUnchanged unchanged:
                return unchanged.Version;
            default:
                throw new InvalidOperationException($"unexpected catalog answer {reply.GetType().Name}");
        }
    }
}
