using System.Text.Json.Serialization;
using OrderActors.Actors.Serialization;
using OrderActors.Domain.Catalog;
using static OrderActors.Actors.Catalog.CatalogProtocol;

namespace OrderActors.Actors.Catalog;

/// <summary>The serializer rows of the catalog's messages, events and snapshot.</summary>
public static class CatalogSerialization
{
    private static readonly CatalogJsonContext Json = CatalogJsonContext.Default;

    public static readonly SerializationRows Rows = SerializationRows.Of(
        new JsonRow(typeof(UpsertCatalog), "cu", Json.UpsertCatalog),
        new JsonRow(typeof(GetCatalog), "cg", Json.GetCatalog),
        JsonRow.Stored<CatalogChanged, StoredCatalogChange>("cc", Json.StoredCatalogChange,
            e => StoredCatalogChange.Store(e.Version, e.Manufacturers, e.Products), s => new(s.Version, s.LoadManufacturers(), s.LoadProducts())),
        new JsonRow(typeof(CatalogUnchanged), "cn", Json.CatalogUnchanged),
        JsonRow.Stored<CatalogState, StoredCatalogChange>("cs", Json.StoredCatalogChange,
            e => StoredCatalogChange.Store(e.Version, e.Manufacturers, e.Products), s => new(s.Version, s.LoadManufacturers(), s.LoadProducts())));
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, UseStringEnumConverter = true)]
[JsonSerializable(typeof(UpsertCatalog))]
[JsonSerializable(typeof(GetCatalog))]
[JsonSerializable(typeof(StoredCatalogChange))]
[JsonSerializable(typeof(CatalogUnchanged))]
internal sealed partial class CatalogJsonContext : JsonSerializerContext;

// The stored JSON shape of the catalog's events and snapshot: never rename these properties.

public sealed record StoredManufacturer(string Id, string Name, string? Country, string? Contact, string? Phone);

public sealed record StoredProduct(string Sku, string Name, string ManufacturerId, decimal UnitPrice, int StockOnHand, int OnOrder,
    int ReorderLevel, int? TargetLevel, bool Discontinued);

/// <summary>A catalog change (event <c>cc</c>) or the whole catalog (snapshot <c>cs</c>): the same shape.</summary>
public sealed record StoredCatalogChange(long Version, IReadOnlyList<StoredManufacturer> Manufacturers, IReadOnlyList<StoredProduct> Products)
{
    public static StoredCatalogChange Store(long version, IReadOnlyList<Manufacturer> manufacturers, IReadOnlyList<Product> products) =>
        new(version,
            manufacturers.Select(m => new StoredManufacturer(m.Id, m.Name, m.Country, m.Contact, m.Phone)).ToList(),
            products.Select(p => new StoredProduct(p.Sku, p.Name, p.ManufacturerId, p.UnitPrice, p.StockOnHand, p.OnOrder, p.ReorderLevel,
                p.TargetLevel, p.Discontinued)).ToList());

    public IReadOnlyList<Manufacturer> LoadManufacturers() =>
        Manufacturers.Select(m => new Manufacturer(m.Id, m.Name, m.Country, m.Contact, m.Phone)).ToList();

    public IReadOnlyList<Product> LoadProducts() =>
        Products.Select(p => new Product(p.Sku, p.Name, p.ManufacturerId, p.UnitPrice, p.StockOnHand, p.OnOrder, p.ReorderLevel,
            p.TargetLevel, p.Discontinued)).ToList();
}
