using Akka.Actor;
using OrderActors.Domain.Inventory;
using OrderActors.Domain.Units;
using static OrderActors.Actors.Inventory.InventoryProtocol;

namespace OrderActors.Actors.Units;

/// <summary>
/// The stock step of processing in the unit that keeps inventory: a processed batch's net moves go out to the inventory
/// partitions, and the batch counts as processed once every partition has confirmed its part. One batch at a time; its
/// boundaries are stored, so after a restart the very same batch goes out and the partitions recognise it.
/// </summary>
public sealed class StockMoveProcess(StockProcessing stock)
{
    private StockMoveBatch<ApplyStockMoves>? _batch;

    /// <summary>Whether a batch's moves are out and not all confirmed.</summary>
    public bool Busy => _batch is not null;

    public TimeSpan Timeout => stock.Timeout;

    public IActorRef InventoryRegion => stock.InventoryRegion();

    /// <summary>Starts the batch of <paramref name="entries"/> ending at <paramref name="upTo"/>; false when it moves no stock.</summary>
    public bool Start(string source, long upTo, IReadOnlyList<FeedEntry> entries) => (_batch = stock.Plan(source, upTo, entries)) is not null;

    /// <summary>The parts no partition has confirmed yet, to be sent (again), and the end of their batch.</summary>
    public (IReadOnlyCollection<ApplyStockMoves> Parts, long UpTo) Unconfirmed() => (_batch!.Unconfirmed.Values.ToList(), _batch.UpTo);

    public bool IsWaitingFor(long upTo) => _batch?.UpTo == upTo;

    public string UnconfirmedPartitions => string.Join(",", _batch?.Unconfirmed.Keys ?? []);

    /// <summary>A partition confirmed its part; true when the whole batch is confirmed (the process is free again).</summary>
    public bool Confirmed(StockMovesApplied applied)
    {
        if (_batch is null || !_batch.Confirm(applied.EntityId, applied.UpToSeq)) return false;
        _batch = null;
        return true;
    }
}
