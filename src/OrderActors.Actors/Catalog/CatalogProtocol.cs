using OrderActors.Actors.Serialization;
using OrderActors.Actors.Sharding;
using OrderActors.Domain.Catalog;

namespace OrderActors.Actors.Catalog;

/// <summary>Messages of the catalog entity and of the per-node catalog replicas.</summary>
public static class CatalogProtocol
{
    public const string EntityId = "catalog";
    public const string Topic = "orderactors-catalog";

    /// <summary>Adds or replaces manufacturers and products. With <see cref="OnlyIfEmpty"/>, only an empty catalog takes them (sample data).</summary>
    public sealed record UpsertCatalog(IReadOnlyList<Manufacturer> Manufacturers, IReadOnlyList<Product> Products, bool OnlyIfEmpty = false)
        : IEntityMessage
    {
        string IEntityMessage.EntityId => CatalogProtocol.EntityId;
    }

    /// <summary>Asks for the whole catalog unless the asker already has <see cref="KnownVersion"/>.</summary>
    public sealed record GetCatalog(long KnownVersion) : IEntityMessage
    {
        string IEntityMessage.EntityId => CatalogProtocol.EntityId;
    }

    /// <summary>The change that made <see cref="Version"/> (published to every node, and the answer to an upsert).</summary>
    public sealed record CatalogChanged(long Version, IReadOnlyList<Manufacturer> Manufacturers, IReadOnlyList<Product> Products) : IOrderActorsMessage;

    /// <summary>Nothing changed: the catalog is at <see cref="Version"/>.</summary>
    public sealed record CatalogUnchanged(long Version) : IOrderActorsMessage;

    /// <summary>The whole catalog at <see cref="Version"/>; also the entity's snapshot.</summary>
    public sealed record CatalogState(long Version, IReadOnlyList<Manufacturer> Manufacturers, IReadOnlyList<Product> Products) : IOrderActorsMessage;
}
