using System.Text.Json.Serialization;
using OrderActors.Domain.Orders;

namespace OrderActors.Domain.Units;

/// <summary>One order in a second queue: its gapless position <paramref name="Seq"/>, when it was queued, when processed.</summary>
public sealed record FeedEntry(long Seq, AcceptedOrder Order, DateTimeOffset QueuedAt, DateTimeOffset? ProcessedAt)
{
    [JsonIgnore] public string OrderId => Order.OrderId;
}

/// <summary>
/// The state of one second queue (a business-unit entity), without actors. Delivery into it is at-least-once, so
/// it dedupes by order id: an order is recorded once and keeps its first <see cref="FeedEntry.Seq"/>. Orders are
/// processed in seq order; the feed lists processed orders only.
/// </summary>
public sealed class UnitQueueLedger
{
    private readonly Dictionary<string, long> _seqByOrder = new(StringComparer.Ordinal);
    private readonly List<FeedEntry> _entries = new();

    public long LastSeq => _entries.Count;
    public long ProcessedSeq { get; private set; }
    public long Depth => LastSeq - ProcessedSeq;

    /// <summary>
    /// The batch being processed: null exactly when every recorded order is processed. Its boundaries are always
    /// stored: a batch recorded while the queue was idle is the entries of that one event, and each
    /// processed mark (<see cref="MarkProcessed"/>) names the batch that follows it. So after a restart the same batch has the
    /// same boundaries, and the receivers of its side effects (stock moves) recognise it.
    /// </summary>
    public (long From, long To)? InProgress { get; private set; }

    /// <summary>The end of the batch that should follow one ending at <paramref name="upToSeq"/>: all recorded after it, at most <paramref name="max"/>.</summary>
    public long? NextBatchEnd(long upToSeq, int max) => LastSeq > upToSeq ? Math.Min(LastSeq, upToSeq + max) : null;

    /// <summary>The entries with seq in [from, to].</summary>
    public IReadOnlyList<FeedEntry> Range(long from, long to) => _entries.GetRange((int)from - 1, (int)(to - from + 1));

    /// <summary>New entries for the orders not recorded yet (in the order given, duplicates dropped); does not change state.</summary>
    public IReadOnlyList<FeedEntry> Admit(IReadOnlyList<AcceptedOrder> orders, DateTimeOffset now)
    {
        List<FeedEntry>? fresh = null;
        HashSet<string>? inBatch = null;
        var next = LastSeq + 1;
        foreach (var order in orders)
        {
            if (_seqByOrder.ContainsKey(order.OrderId)) continue;
            inBatch ??= new HashSet<string>(StringComparer.Ordinal);
            if (!inBatch.Add(order.OrderId)) continue;
            (fresh ??= new List<FeedEntry>()).Add(new FeedEntry(next++, order, now, null));
        }
        return fresh ?? (IReadOnlyList<FeedEntry>)Array.Empty<FeedEntry>();
    }

    /// <summary>
    /// Records entries made by <see cref="Admit"/> (from the stored event). Entries that come already processed
    /// (a unit whose processing has no side effect records and processes in one write) advance the processed mark.
    /// </summary>
    public void Record(IReadOnlyList<FeedEntry> entries)
    {
        foreach (var entry in entries)
        {
            if (entry.Seq != LastSeq + 1)
                throw new InvalidOperationException($"seq {entry.Seq} does not follow {LastSeq}");
            if (!_seqByOrder.TryAdd(entry.OrderId, entry.Seq))
                throw new InvalidOperationException($"order {entry.OrderId} is already recorded");
            _entries.Add(entry);
            if (entry.ProcessedAt is not null && entry.Seq == ProcessedSeq + 1) ProcessedSeq = entry.Seq;
        }
        if (InProgress is null && LastSeq > ProcessedSeq) InProgress = (ProcessedSeq + 1, LastSeq);
    }

    /// <summary>Marks every entry up to <paramref name="upToSeq"/> processed, and makes [upToSeq + 1, <paramref name="nextBatchEnd"/>] the batch in progress.</summary>
    public void MarkProcessed(long upToSeq, DateTimeOffset at, long? nextBatchEnd = null)
    {
        var upTo = Math.Min(upToSeq, LastSeq);
        for (var seq = ProcessedSeq + 1; seq <= upTo; seq++)
            _entries[(int)seq - 1] = _entries[(int)seq - 1] with { ProcessedAt = at };
        if (upTo > ProcessedSeq) ProcessedSeq = upTo;
        InProgress = nextBatchEnd is { } end && end > ProcessedSeq ? (ProcessedSeq + 1, Math.Min(end, LastSeq))
            : LastSeq > ProcessedSeq ? (ProcessedSeq + 1, LastSeq) // events stored before batches were named
            : null;
    }

    public FeedEntry? Find(string orderId) =>
        _seqByOrder.TryGetValue(orderId, out var seq) ? _entries[(int)seq - 1] : null;

    /// <summary>
    /// Processed entries with seq &gt; <paramref name="after"/>: at most <paramref name="limit"/> and, past the first,
    /// at most <paramref name="maxLines"/> order lines in all (a page may cross the network: its size is bounded).
    /// </summary>
    public IReadOnlyList<FeedEntry> Feed(long after, int limit, int maxLines = int.MaxValue)
    {
        var from = (int)Math.Max(0, after);
        if (from >= ProcessedSeq || limit <= 0) return Array.Empty<FeedEntry>();
        var available = (int)Math.Min(limit, ProcessedSeq - from);
        var count = 0;
        var lines = 0;
        while (count < available)
        {
            lines += _entries[from + count].Order.Order.Lines.Count;
            if (count > 0 && lines > maxLines) break;
            count++;
        }
        return _entries.GetRange(from, count);
    }
}
