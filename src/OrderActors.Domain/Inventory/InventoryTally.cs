namespace OrderActors.Domain.Inventory;

/// <summary>
/// One product's live stock. It starts from the catalog's opening figures the first time it is touched. Stock
/// moves come from unit queues as (source queue, seq range) batches; a batch whose range the tally has already
/// applied for that source is ignored, so each order's effect lands exactly once however often it is redelivered.
/// On-hand may go negative (a backorder).
/// </summary>
public sealed class InventoryTally
{
    private readonly Dictionary<string, long> _appliedUpTo = new(StringComparer.Ordinal);

    public bool Initialized { get; private set; }
    public long OnHand { get; private set; }
    public long OnOrder { get; private set; }

    public long AppliedUpTo(string source) => _appliedUpTo.GetValueOrDefault(source);

    /// <summary>Whether a batch ending at <paramref name="upToSeq"/> from <paramref name="source"/> is new.</summary>
    public bool IsNew(string source, long upToSeq) => upToSeq > AppliedUpTo(source);

    public void Initialize(long onHand, long onOrder)
    {
        if (Initialized) return;
        OnHand = onHand;
        OnOrder = onOrder;
        Initialized = true;
    }

    public void ApplyMove(string source, long upToSeq, long delta)
    {
        if (!IsNew(source, upToSeq)) return;
        OnHand += delta;
        _appliedUpTo[source] = upToSeq;
    }

    /// <summary>A receipt of goods: on-hand + q, on-order − min(q, on-order).</summary>
    public void Receive(long quantity)
    {
        OnHand += quantity;
        OnOrder -= Math.Min(quantity, Math.Max(0, OnOrder));
    }

    /// <summary>A stock count sets on-hand.</summary>
    public void Count(long onHand) => OnHand = onHand;
}
