using System.Collections.Immutable;
using System.Text.Json.Serialization;

namespace OrderActors.Domain.Catalog;

/// <summary>A manufacturer (Northwind: a supplier).</summary>
public sealed record Manufacturer(string Id, string Name, string? Country = null, string? Contact = null, string? Phone = null);

/// <summary>
/// A product. <paramref name="StockOnHand"/> and <paramref name="OnOrder"/> are the opening stock: a product's
/// inventory tally starts from them, and from then on the tally is the live figure (see <c>/api/inventory</c>).
/// </summary>
public sealed record Product(
    string Sku,
    string Name,
    string ManufacturerId,
    decimal UnitPrice,
    int StockOnHand,
    int OnOrder,
    int ReorderLevel,
    int? TargetLevel,
    bool Discontinued)
{
    /// <summary>targetLevel defaults to 2 × reorderLevel (API.md).</summary>
    [JsonIgnore] public int EffectiveTargetLevel => TargetLevel ?? 2 * ReorderLevel;
}

/// <summary>
/// An immutable view of the catalog at one version: what every node keeps locally, so that enriching an order
/// needs no network hop. Changes make a new snapshot (structural sharing keeps that cheap).
/// </summary>
public sealed class CatalogSnapshot
{
    public static readonly CatalogSnapshot Empty = new(0,
        ImmutableSortedDictionary.Create<string, Manufacturer>(StringComparer.Ordinal),
        ImmutableSortedDictionary.Create<string, Product>(StringComparer.Ordinal));

    private CatalogSnapshot(long version, ImmutableSortedDictionary<string, Manufacturer> manufacturers,
        ImmutableSortedDictionary<string, Product> products)
    {
        Version = version;
        Manufacturers = manufacturers;
        Products = products;
    }

    public long Version { get; }
    public ImmutableSortedDictionary<string, Manufacturer> Manufacturers { get; }
    public ImmutableSortedDictionary<string, Product> Products { get; }
    public bool IsEmpty => Manufacturers.IsEmpty && Products.IsEmpty;

    public CatalogSnapshot With(long version, IEnumerable<Manufacturer> manufacturers, IEnumerable<Product> products) =>
        new(version,
            Manufacturers.SetItems(manufacturers.Select(m => KeyValuePair.Create(m.Id, m))),
            Products.SetItems(products.Select(p => KeyValuePair.Create(p.Sku, p))));
}
