using OrderActors.Domain.Catalog;
using static OrderActors.Actors.Catalog.CatalogProtocol;

namespace OrderActors.Actors.Catalog;

/// <summary>
/// This node's copy of the catalog: an immutable snapshot read without locks or network hops (order enrichment,
/// the replenishment form), replaced as changes arrive. One per node (a DI singleton), fed by its
/// <see cref="CatalogReplica"/> and by the answers to this node's own writes.
/// </summary>
public sealed class CatalogStore : ICatalogReader
{
    private readonly object _gate = new();
    private volatile CatalogSnapshot _current = CatalogSnapshot.Empty;

    public CatalogSnapshot Current => _current;

    /// <summary>True once this node has heard from the catalog entity at least once.</summary>
    public bool Synced { get; private set; }

    public void MarkSynced() => Synced = true;

    /// <summary>Applies a change; false when it does not follow the current version (a full sync is needed).</summary>
    public bool Apply(CatalogChanged change)
    {
        lock (_gate)
        {
            if (change.Version <= _current.Version) return true;
            if (change.Version != _current.Version + 1) return false;
            _current = _current.With(change.Version, change.Manufacturers, change.Products);
            return true;
        }
    }

    public void Replace(CatalogState state)
    {
        lock (_gate)
        {
            if (state.Version <= _current.Version) return;
            _current = CatalogSnapshot.Empty.With(state.Version, state.Manufacturers, state.Products);
        }
    }
}
