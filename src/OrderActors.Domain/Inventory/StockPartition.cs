namespace OrderActors.Domain.Inventory;

/// <summary>
/// The inventory tallies of the products whose SKU hashes to one partition (FNV-1a of the SKU modulo the number of
/// partitions). Stock moves come from unit queues as (source queue, batch ending at seq) with the net change of
/// each of the partition's products in that batch; a batch whose end the partition has already applied for that
/// source is ignored, so each order's effect lands exactly once however often it is redelivered. Partitioning
/// lets one processed batch touch a handful of partitions (one write each) instead of one tally per product.
/// </summary>
public sealed class StockPartition
{
    private readonly Dictionary<string, InventoryTally> _tallies = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _appliedUpTo = new(StringComparer.Ordinal);

    /// <summary>The opened tallies, by SKU.</summary>
    public IReadOnlyDictionary<string, InventoryTally> Tallies => _tallies;

    /// <summary>The end of the last batch applied from each source queue.</summary>
    public IReadOnlyDictionary<string, long> AppliedUpTo => _appliedUpTo;

    /// <summary>Whether a batch ending at <paramref name="upToSeq"/> from <paramref name="source"/> is new.</summary>
    public bool IsNew(string source, long upToSeq) => upToSeq > _appliedUpTo.GetValueOrDefault(source);

    public bool IsOpen(string sku) => _tallies.ContainsKey(sku);

    public InventoryTally? Find(string sku) => _tallies.GetValueOrDefault(sku);

    /// <summary>Opens a product's tally with its opening figures (the first time only).</summary>
    public void Open(string sku, long onHand, long onOrder)
    {
        if (_tallies.ContainsKey(sku)) return;
        var tally = new InventoryTally();
        tally.Initialize(onHand, onOrder);
        _tallies.Add(sku, tally);
    }

    /// <summary>Applies one batch's net moves of source <paramref name="source"/>, unless that batch was applied before.</summary>
    public void ApplyMoves(string source, long upToSeq, IEnumerable<(string Sku, long Delta)> moves)
    {
        if (!IsNew(source, upToSeq)) return;
        foreach (var (sku, delta) in moves) TallyOf(sku).Move(delta);
        _appliedUpTo[source] = upToSeq;
    }

    public void Receive(string sku, long quantity) => TallyOf(sku).Receive(quantity);

    public void Count(string sku, long onHand) => TallyOf(sku).Count(onHand);

    /// <summary>Restores the applied marks of a snapshot (tallies are restored with <see cref="Open"/> and a count).</summary>
    public void RestoreAppliedUpTo(IEnumerable<KeyValuePair<string, long>> marks)
    {
        foreach (var (source, upTo) in marks) _appliedUpTo[source] = upTo;
    }

    private InventoryTally TallyOf(string sku) =>
        _tallies.GetValueOrDefault(sku) ?? throw new InvalidOperationException($"the tally of SKU '{sku}' is not open");
}
