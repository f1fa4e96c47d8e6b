using OrderActors.Domain.Orders;

namespace OrderActors.Domain.Catalog;

/// <summary>
/// Attaches product and manufacturer information to every line of an order (patent claim 5), and the catalog's
/// unit price where the order gives none. Every SKU must be in the catalog.
/// </summary>
public static class Enrichment
{
    /// <returns>the enriched order, or null with the SKUs the catalog does not know (each once, in order)</returns>
    public static (Order? Order, IReadOnlyList<string> UnknownSkus) Enrich(Order order, CatalogSnapshot catalog)
    {
        List<string>? unknown = null;
        var lines = new OrderLine[order.Lines.Count];
        for (var i = 0; i < lines.Length; i++)
        {
            var line = order.Lines[i];
            if (!catalog.Products.TryGetValue(line.Sku, out var product))
            {
                unknown ??= new List<string>();
                if (!unknown.Contains(line.Sku)) unknown.Add(line.Sku);
                continue;
            }
            var manufacturer = catalog.Manufacturers.GetValueOrDefault(product.ManufacturerId);
            lines[i] = line with
            {
                UnitPrice = line.UnitPrice ?? product.UnitPrice,
                Product = new ProductInfo(product.Name),
                Manufacturer = new ManufacturerInfo(product.ManufacturerId, manufacturer?.Name ?? product.ManufacturerId),
            };
        }
        return unknown is null ? (order with { Lines = lines }, []) : (null, unknown);
    }
}
