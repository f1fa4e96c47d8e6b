using OrderActors.Domain.Units;

namespace OrderActors.Domain.Inventory;

/// <summary>What processing an order of a code does to on-hand stock (configured beside the code in routing.hocon).</summary>
public enum StockEffect
{
    None = 0,
    /// <summary>on-hand − quantity</summary>
    Ship = 1,
    /// <summary>on-hand + quantity</summary>
    Restock = 2,
}

/// <summary>The stock effect of each code, and the net stock moves of a batch of processed orders.</summary>
public sealed class StockEffects(IReadOnlyDictionary<string, StockEffect> byCode)
{
    public IReadOnlyDictionary<string, StockEffect> ByCode { get; } = byCode;

    public StockEffect For(string code) => ByCode.GetValueOrDefault(code, StockEffect.None);

    public static StockEffect Parse(string? text) => text?.Trim().ToLowerInvariant() switch
    {
        null or "" or "none" => StockEffect.None,
        "ship" => StockEffect.Ship,
        "restock" => StockEffect.Restock,
        _ => throw new ArgumentException($"unknown stock effect '{text}' (use ship, restock or none)"),
    };

    /// <summary>The effect as <see cref="Parse"/> reads it: <c>ship</c>, <c>restock</c>, <c>none</c>.</summary>
    public static string Name(StockEffect effect) => effect.ToString().ToLowerInvariant();

    /// <summary>
    /// Net on-hand change per SKU over <paramref name="entries"/>, SKUs with a zero net change left out. In 64 bits:
    /// one order's lines of one SKU alone (1,000 × a 32-bit quantity) pass what an int holds.
    /// </summary>
    public IReadOnlyDictionary<string, long> NetMoves(IEnumerable<FeedEntry> entries) => NetMoves(entries, _ => this);

    /// <summary>Net moves as <see cref="NetMoves(IEnumerable{FeedEntry})"/>, each entry by the effects of the routing version that routed it.</summary>
    public static IReadOnlyDictionary<string, long> NetMoves(IEnumerable<FeedEntry> entries, Func<int, StockEffects> effectsOfVersion)
    {
        var moves = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            var sign = effectsOfVersion(entry.RoutingVersion).For(entry.Order.Order.BusinessCode) switch
            {
                StockEffect.Ship => -1,
                StockEffect.Restock => 1,
                _ => 0,
            };
            if (sign == 0) continue;
            foreach (var line in entry.Order.Order.Lines)
                moves[line.Sku] = StockLimits.Add(moves.GetValueOrDefault(line.Sku), sign * (long)line.Quantity);
        }
        foreach (var sku in moves.Where(kv => kv.Value == 0).Select(kv => kv.Key).ToList()) moves.Remove(sku);
        return moves;
    }
}
