using OrderActors.Domain.Catalog;

namespace OrderActors.Domain.Inventory;

public sealed record ReplenishmentLine(string Sku, string Name, long OnHand, long OnOrder, int ReorderLevel, int TargetLevel,
    long Quantity, decimal UnitPrice, decimal Value);

public sealed record ReplenishmentGroup(string Id, string Name, IReadOnlyList<ReplenishmentLine> Lines, long TotalQuantity, decimal TotalValue);

public sealed record ReplenishmentForm(DateTimeOffset GeneratedAt, IReadOnlyList<ReplenishmentGroup> Manufacturers, long TotalQuantity, decimal TotalValue);

/// <summary>
/// The replenishment math of API.md (patent claim 6): position = onHand + onOrder; targetLevel defaults to
/// 2 × reorderLevel; a product is on the form when it is not discontinued, position ≤ reorderLevel and
/// targetLevel − position &gt; 0; its quantity is targetLevel − position, its value quantity × unitPrice.
/// </summary>
public static class Replenishment
{
    public static long Position(long onHand, long onOrder) => StockLimits.Add(onHand, onOrder);

    /// <summary>The quantity to order, or 0 when the product is not to be replenished.</summary>
    public static long Quantity(Product product, long onHand, long onOrder)
    {
        if (product.Discontinued) return 0;
        var position = Position(onHand, onOrder);
        if (position > product.ReorderLevel) return 0;
        var quantity = product.EffectiveTargetLevel - position;
        return quantity > 0 ? quantity : 0;
    }

    /// <summary>The form: manufacturers by name (then id), lines by SKU, with totals.</summary>
    /// <param name="stock">live (onHand, onOrder) per SKU; a SKU missing here counts with its catalog opening figures</param>
    public static ReplenishmentForm Form(CatalogSnapshot catalog, IReadOnlyDictionary<string, (long OnHand, long OnOrder)> stock,
        DateTimeOffset generatedAt)
    {
        var groups = new List<ReplenishmentGroup>();
        foreach (var byManufacturer in catalog.Products.Values.GroupBy(p => p.ManufacturerId))
        {
            var lines = new List<ReplenishmentLine>();
            foreach (var product in byManufacturer.OrderBy(p => p.Sku, StringComparer.Ordinal))
            {
                var (onHand, onOrder) = stock.TryGetValue(product.Sku, out var s) ? s : (product.StockOnHand, product.OnOrder);
                var quantity = Quantity(product, onHand, onOrder);
                if (quantity == 0) continue;
                lines.Add(new ReplenishmentLine(product.Sku, product.Name, onHand, onOrder, product.ReorderLevel,
                    product.EffectiveTargetLevel, quantity, product.UnitPrice, quantity * product.UnitPrice));
            }
            if (lines.Count == 0) continue;
            var manufacturer = catalog.Manufacturers.GetValueOrDefault(byManufacturer.Key);
            groups.Add(new ReplenishmentGroup(byManufacturer.Key, manufacturer?.Name ?? byManufacturer.Key, lines,
                lines.Sum(l => l.Quantity), lines.Sum(l => l.Value)));
        }

        var ordered = groups
            .OrderBy(g => g.Name, StringComparer.Ordinal)
            .ThenBy(g => g.Id, StringComparer.Ordinal)
            .ToList();
        return new ReplenishmentForm(generatedAt, ordered, ordered.Sum(g => g.TotalQuantity), ordered.Sum(g => g.TotalValue));
    }
}
