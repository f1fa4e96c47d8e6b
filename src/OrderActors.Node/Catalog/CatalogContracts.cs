using OrderActors.Domain.Catalog;

namespace OrderActors.Node.Catalog;

// The shapes of docs/API.md for the catalog, mapped explicitly from the domain.

public sealed record ProductView(string Sku, string Name, string ManufacturerId, decimal UnitPrice, int StockOnHand, int OnOrder,
    int ReorderLevel, int? TargetLevel, bool Discontinued)
{
    public static ProductView From(Product p) =>
        new(p.Sku, p.Name, p.ManufacturerId, p.UnitPrice, p.StockOnHand, p.OnOrder, p.ReorderLevel, p.TargetLevel, p.Discontinued);
}

public sealed record ManufacturerView(string Id, string Name, string? Country, string? Contact, string? Phone)
{
    public static ManufacturerView From(Manufacturer m) => new(m.Id, m.Name, m.Country, m.Contact, m.Phone);
}

public sealed record ImportResponse(int Products, int Manufacturers, long Version);
