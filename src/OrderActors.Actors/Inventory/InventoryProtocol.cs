using OrderActors.Actors.Sharding;

namespace OrderActors.Actors.Inventory;

/// <summary>Messages of the inventory tallies: one sharded persistent entity per SKU.</summary>
public static class InventoryProtocol
{
    public static string EntityIdFor(string sku) => $"sku-{sku}";

    /// <summary>
    /// The catalog's opening figures, carried by every command so that a tally touched for the first time starts
    /// from them without asking anyone.
    /// </summary>
    public sealed record Opening(long OnHand, long OnOrder);

    /// <summary>
    /// The net on-hand change of one processed batch of unit queue <see cref="Source"/> (seq up to
    /// <see cref="UpToSeq"/>). Applied once: a batch the tally has seen is only confirmed again.
    /// </summary>
    public sealed record ApplyStockMove(string EntityId, string Source, long UpToSeq, long Delta, Opening Opening) : IEntityMessage;

    public sealed record StockMoveApplied(string EntityId, string Source, long UpToSeq) : IOrderActorsMessage;

    public sealed record GetTally(string EntityId, Opening Opening) : IEntityMessage;

    public sealed record RecordReceipt(string EntityId, long Quantity, Opening Opening) : IEntityMessage;

    public sealed record RecordCount(string EntityId, long OnHand, Opening Opening) : IEntityMessage;

    public sealed record TallyState(string EntityId, long OnHand, long OnOrder) : IOrderActorsMessage;

    // --- persisted events -----------------------------------------------------------------------

    public sealed record TallyOpened(long OnHand, long OnOrder) : IOrderActorsMessage;

    public sealed record StockMoved(string Source, long UpToSeq, long Delta) : IOrderActorsMessage;

    public sealed record ReceiptRecorded(long Quantity) : IOrderActorsMessage;

    public sealed record StockCounted(long OnHand) : IOrderActorsMessage;
}
