using OrderActors.Actors.Serialization;
using OrderActors.Actors.Sharding;
using OrderActors.Domain.Inventory;

namespace OrderActors.Actors.Inventory;

/// <summary>
/// Messages of the inventory tallies: sharded persistent entities <c>stock-0</c> … <c>stock-(n-1)</c>, each holding
/// the tallies of the products whose SKU hashes to it, addressed by <see cref="StockPartitionId.EntityId"/>.
/// </summary>
public static class InventoryProtocol
{
    /// <summary>
    /// The catalog's opening figures, carried by every command so that a tally touched for the first time starts
    /// from them without asking anyone.
    /// </summary>
    public sealed record Opening(long OnHand, long OnOrder);

    /// <summary>One product's net on-hand change in a batch.</summary>
    public sealed record SkuMove(string Sku, long Delta, Opening Opening);

    /// <summary>
    /// The net on-hand changes of one processed batch of unit queue <see cref="Source"/> (ending at seq
    /// <see cref="UpToSeq"/>) for this partition's products. Applied once: a batch the partition has seen is only
    /// confirmed again.
    /// </summary>
    public sealed record ApplyStockMoves(string EntityId, string Source, long UpToSeq, IReadOnlyList<SkuMove> Moves) : IEntityMessage;

    public sealed record StockMovesApplied(string EntityId, string Source, long UpToSeq) : IOrderActorsMessage;

    public sealed record GetTally(string EntityId, string Sku, Opening Opening) : IEntityMessage;

    /// <summary>Every opened tally of the partition (products never touched keep the catalog's figures).</summary>
    public sealed record GetTallies(string EntityId) : IEntityMessage;

    public sealed record Tallies(string EntityId, IReadOnlyList<TallyState> States) : IOrderActorsMessage;

    public sealed record RecordReceipt(string EntityId, string Sku, long Quantity, Opening Opening) : IEntityMessage;

    public sealed record RecordCount(string EntityId, string Sku, long OnHand, Opening Opening) : IEntityMessage;

    public sealed record TallyState(string Sku, long OnHand, long OnOrder) : IOrderActorsMessage;

    // --- persisted events and snapshot ----------------------------------------------------------

    /// <summary>A product's tally opened with the catalog's figures (stored with the first event that touches it).</summary>
    public sealed record TallyOpening(string Sku, long OnHand, long OnOrder);

    public sealed record SkuDelta(string Sku, long Delta);

    public sealed record StockMoved(string Source, long UpToSeq, IReadOnlyList<SkuDelta> Deltas, IReadOnlyList<TallyOpening> Opened) : IOrderActorsMessage;

    public sealed record ReceiptRecorded(string Sku, long Quantity, IReadOnlyList<TallyOpening> Opened) : IOrderActorsMessage;

    public sealed record StockCounted(string Sku, long OnHand, IReadOnlyList<TallyOpening> Opened) : IOrderActorsMessage;

    /// <summary>The whole partition: every opened tally and the last batch applied from each source.</summary>
    public sealed record InventorySnapshot(IReadOnlyList<TallyState> Tallies, IReadOnlyDictionary<string, long> AppliedUpTo) : IOrderActorsMessage;
}
