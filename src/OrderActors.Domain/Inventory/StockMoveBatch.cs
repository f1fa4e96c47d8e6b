namespace OrderActors.Domain.Inventory;

/// <summary>
/// The stock moves of one processed batch of the stock unit's queue (the batch ending at <see cref="UpTo"/>), out to
/// the inventory partitions they touch, as a state machine without actors: the batch counts as processed once
/// every partition confirmed its part. Parts not confirmed in time are sent again (partitions apply a batch once).
/// </summary>
public sealed class StockMoveBatch<TPart>(long upTo, IReadOnlyDictionary<string, TPart> byPartition)
{
    private readonly Dictionary<string, TPart> _unconfirmed = new(byPartition, StringComparer.Ordinal);

    public long UpTo { get; } = upTo;

    /// <summary>The parts no partition has confirmed yet, by partition entity id.</summary>
    public IReadOnlyDictionary<string, TPart> Unconfirmed => _unconfirmed;

    /// <summary>A partition confirmed its part of the batch ending at <paramref name="upToSeq"/>; true when the whole batch is confirmed.</summary>
    public bool Confirm(string partition, long upToSeq)
    {
        if (upToSeq != UpTo) return false;
        _unconfirmed.Remove(partition);
        return _unconfirmed.Count == 0;
    }
}
