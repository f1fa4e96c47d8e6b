namespace OrderActors.Domain.Inventory;

/// <summary>
/// One product's live stock. It starts from the catalog's opening figures the first time it is touched.
/// On-hand may go negative (a backorder).
/// </summary>
public sealed class InventoryTally
{
    public bool Initialized { get; private set; }
    public long OnHand { get; private set; }
    public long OnOrder { get; private set; }

    public void Initialize(long onHand, long onOrder)
    {
        if (Initialized) return;
        OnHand = onHand;
        OnOrder = onOrder;
        Initialized = true;
    }

    /// <summary>A stock move: on-hand + delta (negative when goods ship).</summary>
    public void Move(long delta) => OnHand = StockLimits.Add(OnHand, delta);

    /// <summary>A receipt of goods: on-hand + q, on-order − min(q, on-order).</summary>
    public void Receive(long quantity)
    {
        OnHand = StockLimits.Add(OnHand, quantity);
        OnOrder -= Math.Min(quantity, Math.Max(0, OnOrder));
    }

    /// <summary>A stock count sets on-hand.</summary>
    public void Count(long onHand) => OnHand = onHand;
}
