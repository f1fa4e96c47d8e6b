using Akka.Actor;
using OrderActors.Domain.Catalog;
using OrderActors.Actors.Inventory;
using OrderActors.Domain.Inventory;
using OrderActors.Domain.Units;

namespace OrderActors.Actors.Units;

/// <summary>
/// What processing does to stock in the unit that keeps inventory (the WMS by default): each processed batch's net
/// moves go to the inventory partitions, with the catalog's opening figures of each product. Each order moves stock
/// by the stock effect its code has in the routing version that routed it (<paramref name="EffectsOf"/>).
/// </summary>
public sealed record StockProcessing(Func<int, StockEffects> EffectsOf, Func<IActorRef> InventoryRegion, ICatalogReader Catalog, TimeSpan Timeout, int Partitions)
{
    /// <summary>The moves of the batch of <paramref name="entries"/> ending at <paramref name="upTo"/>, by partition (null: it moves no stock).</summary>
    public StockMoveBatch<InventoryProtocol.ApplyStockMoves>? Plan(string source, long upTo, IReadOnlyList<FeedEntry> entries)
    {
        var moves = StockEffects.NetMoves(entries, EffectsOf);
        if (moves.Count == 0) return null;
        var catalog = Catalog.Current;
        return new StockMoveBatch<InventoryProtocol.ApplyStockMoves>(upTo, moves
            .Select(m => new InventoryProtocol.SkuMove(m.Key, m.Value, catalog.Products.TryGetValue(m.Key, out var product)
                ? new InventoryProtocol.Opening(product.StockOnHand, product.OnOrder)
                : new InventoryProtocol.Opening(0, 0)))
            .GroupBy(m => StockPartitionId.For(m.Sku, Partitions).EntityId)
            .ToDictionary(g => g.Key, g => new InventoryProtocol.ApplyStockMoves(g.Key, source, upTo, g.ToList()), StringComparer.Ordinal));
    }
}
