using System.Text.Json.Serialization;
using OrderActors.Domain.Orders;
using OrderActors.Domain.Queues;

namespace OrderActors.Domain.Units;

/// <summary>
/// One order in a second queue: its gapless position <paramref name="Seq"/>, when it was queued, when processed, and the
/// routing version that sent it here (1 for an order queued before versions were recorded).
/// </summary>
public sealed record FeedEntry(long Seq, AcceptedOrder Order, DateTimeOffset QueuedAt, DateTimeOffset? ProcessedAt, int RoutingVersion = 1)
{
    [JsonIgnore] public string OrderId => Order.OrderId;
}

/// <summary>A processed mark: every entry up to <paramref name="UpTo"/> was processed at <paramref name="At"/>.</summary>
public readonly record struct ProcessedMark(long UpTo, DateTimeOffset At);

/// <summary>Journal events (by sequence number) that hold entries no longer kept in memory, and how to date them.</summary>
public sealed record JournalSpan(long FromSequenceNr, long ToSequenceNr, IReadOnlyList<ProcessedMark> Marks)
{
    /// <summary>When an entry read back from the journal was processed (null: not yet).</summary>
    public DateTimeOffset? ProcessedAt(FeedEntry entry)
    {
        if (entry.ProcessedAt is not null) return entry.ProcessedAt;
        foreach (var mark in Marks)
            if (mark.UpTo >= entry.Seq) return mark.At;
        return null;
    }
}

/// <summary>Everything a <see cref="UnitQueueLedger"/> holds, for a snapshot: bounded by its retained entries plus one index row per stored event.</summary>
public sealed record UnitQueueState(
    long LastSeq,
    long ProcessedSeq,
    long? InProgressFrom,
    long? InProgressTo,
    long TailStart,
    IReadOnlyList<FeedEntry> Tail,
    IReadOnlyDictionary<int, long> RecordedUpTo,
    IReadOnlyList<long> EventFirstSeqs,
    IReadOnlyList<long> EventSequenceNrs,
    IReadOnlyList<SourceEvents> BySource,
    IReadOnlyList<ProcessedMark> Marks);

/// <summary>The stored events that recorded orders of one first queue: per event, the first and last offset and its sequence number.</summary>
public sealed record SourceEvents(int FirstQueue, IReadOnlyList<long> FirstOffsets, IReadOnlyList<long> LastOffsets, IReadOnlyList<long> SequenceNrs);

/// <summary>
/// The state of one second queue (a business-unit entity), without actors. Delivery into it is at-least-once and
/// each first queue delivers its orders in offset order, so it dedupes by the highest offset recorded from each
/// first queue: an order is recorded once and keeps its first <see cref="FeedEntry.Seq"/>. Orders are processed in
/// seq order; the feed lists processed orders only.
/// Memory stays bounded: it keeps every unprocessed entry plus the latest <c>retainProcessed</c> processed ones;
/// older entries are read back from the journal, through a small index (one row per stored event). Entries stored as
/// references (<see cref="QueuedRefs"/>) come back from recovery without their bodies, until <see cref="Resolve"/>.
/// </summary>
public sealed class UnitQueueLedger(int retainProcessed)
{
    // by seq: unprocessed entries and the latest processed ones, and the events that stored every entry
    private readonly RetainedTail<FeedEntry> _tail = new();
    private readonly Dictionary<int, long> _recordedUpTo = new();
    // per first queue, one row per stored event: the offsets it recorded from that queue
    private readonly Dictionary<int, List<(long FirstOffset, long LastOffset, long SequenceNr)>> _bySource = new();
    private readonly List<ProcessedMark> _marks = new();
    // entries recovered from events that stored references, whose bodies are not read yet (by seq)
    private readonly Dictionary<long, ReferencedEntry> _unresolved = new();

    public long LastSeq { get; private set; }
    public long ProcessedSeq { get; private set; }
    public long Depth => LastSeq - ProcessedSeq;
    /// <summary>When the oldest order not processed yet was queued (null: none waits); unprocessed entries are always in memory.</summary>
    public DateTimeOffset? OldestUnprocessedAt => Depth > 0 ? _tail[ProcessedSeq + 1].QueuedAt : null;

    /// <summary>The lowest seq still held in memory.</summary>
    public long TailStart => _tail.Start;

    /// <summary>
    /// The batch being processed: null exactly when every recorded order is processed. Its boundaries are always
    /// stored: a batch recorded while the queue was idle is the entries of that one event, and each
    /// processed mark (<see cref="MarkProcessed"/>) names the batch that follows it. So after a restart the same batch has the
    /// same boundaries, and the receivers of its side effects (stock moves) recognise it.
    /// </summary>
    public (long From, long To)? InProgress { get; private set; }

    /// <summary>The end of the batch that should follow one ending at <paramref name="upToSeq"/>: all recorded after it, at most <paramref name="max"/>.</summary>
    public long? NextBatchEnd(long upToSeq, int max) => LastSeq > upToSeq ? Math.Min(LastSeq, upToSeq + max) : null;

    /// <summary>The highest offset recorded from first queue <paramref name="firstQueue"/>.</summary>
    public long RecordedUpTo(int firstQueue) => _recordedUpTo.GetValueOrDefault(firstQueue);

    /// <summary>The unprocessed entries with seq in [from, to] (always in memory).</summary>
    public IReadOnlyList<FeedEntry> Range(long from, long to) => _tail.Range(from, (int)(to - from + 1));

    /// <summary>New entries for the orders not recorded yet (in the order given, redeliveries dropped), routed here by <paramref name="routingVersion"/>; does not change state.</summary>
    public IReadOnlyList<FeedEntry> Admit(IReadOnlyList<AcceptedOrder> orders, DateTimeOffset now, int routingVersion = 1)
    {
        List<FeedEntry>? fresh = null;
        Dictionary<int, long>? upTo = null;
        var next = LastSeq + 1;
        foreach (var order in orders)
        {
            var recorded = upTo is not null && upTo.TryGetValue(order.FirstQueue, out var u) ? u : RecordedUpTo(order.FirstQueue);
            if (order.Offset <= recorded) continue;
            (upTo ??= new Dictionary<int, long>())[order.FirstQueue] = order.Offset;
            (fresh ??= new List<FeedEntry>()).Add(new FeedEntry(next++, order, now, null, routingVersion));
        }
        return fresh ?? (IReadOnlyList<FeedEntry>)Array.Empty<FeedEntry>();
    }

    /// <summary>
    /// Records entries made by <see cref="Admit"/>, from the event stored with journal sequence number
    /// <paramref name="sequenceNr"/>. Entries that come already processed (a unit whose processing has no side
    /// effect records and processes in one write) advance the processed mark.
    /// </summary>
    public void Record(IReadOnlyList<FeedEntry> entries, long sequenceNr)
    {
        if (entries.Count == 0) return;
        foreach (var entry in entries)
        {
            if (entry.Seq != LastSeq + 1)
                throw new InvalidOperationException($"seq {entry.Seq} does not follow {LastSeq}");
            var source = entry.Order.FirstQueue;
            if (entry.Order.Offset <= RecordedUpTo(source))
                throw new InvalidOperationException($"offset {entry.Order.Offset} of first queue {source} is already recorded");
            _recordedUpTo[source] = entry.Order.Offset;
            _tail.Add(entry);
            LastSeq = entry.Seq;
            if (entry.ProcessedAt is not null && entry.Seq == ProcessedSeq + 1) ProcessedSeq = entry.Seq;
        }
        _tail.AddEvent(entries[0].Seq, sequenceNr);
        foreach (var group in entries.GroupBy(e => e.Order.FirstQueue))
        {
            if (!_bySource.TryGetValue(group.Key, out var rows)) _bySource[group.Key] = rows = new();
            rows.Add((group.First().Order.Offset, group.Last().Order.Offset, sequenceNr));
        }
        if (InProgress is null && LastSeq > ProcessedSeq) InProgress = (ProcessedSeq + 1, LastSeq);
        Trim();
    }

    /// <summary>
    /// Records entries that an event stored as references (see <see cref="QueuedRefs"/>), while recovering: they hold
    /// no order body until <see cref="Resolve"/> is given the bodies of those still in memory (<see cref="Unresolved"/>).
    /// </summary>
    public void Record(QueuedRefs refs, long sequenceNr)
    {
        var entries = new List<FeedEntry>(refs.Orders.Count);
        foreach (var entry in refs.Entries())
        {
            _unresolved[entry.Seq] = entry;
            entries.Add(new FeedEntry(entry.Seq, BodyNotRead(entry.Ref), entry.QueuedAt, entry.ProcessedAt, entry.RoutingVersion));
        }
        Record(entries, sequenceNr);
    }

    /// <summary>The entries in memory whose bodies are still to be read (recorded by reference during recovery), in seq order.</summary>
    public IReadOnlyList<ReferencedEntry> Unresolved() => _unresolved.Values.OrderBy(e => e.Seq).ToList();

    /// <summary>Gives the entries recorded by reference their bodies (read from their first queues' journals).</summary>
    public void Resolve(IEnumerable<FeedEntry> read)
    {
        foreach (var entry in read)
        {
            if (!_unresolved.Remove(entry.Seq)) continue;
            var held = _tail[entry.Seq];
            if (held.Order.FirstQueue != entry.Order.FirstQueue || held.Order.Offset != entry.Order.Offset)
                throw new InvalidOperationException($"seq {entry.Seq} refers to offset {held.Order.Offset} of first queue {held.Order.FirstQueue}, not {entry.Order.Offset} of {entry.Order.FirstQueue}");
            _tail[entry.Seq] = held with { Order = entry.Order };
        }
    }

    /// <summary>Stands in for an order body not read yet: where it is, and nothing else.</summary>
    private static AcceptedOrder BodyNotRead(OrderRef at) => new(new Order("", "", null, null, []), at.FirstQueue, at.Offset, default, "");

    /// <summary>Marks every entry up to <paramref name="upToSeq"/> processed, and makes [upToSeq + 1, <paramref name="nextBatchEnd"/>] the batch in progress.</summary>
    public void MarkProcessed(long upToSeq, DateTimeOffset at, long? nextBatchEnd = null)
    {
        var upTo = Math.Min(upToSeq, LastSeq);
        if (upTo > ProcessedSeq)
        {
            for (var seq = ProcessedSeq + 1; seq <= upTo; seq++)
                _tail[seq] = _tail[seq] with { ProcessedAt = at };
            ProcessedSeq = upTo;
            _marks.Add(new ProcessedMark(upTo, at));
        }
        InProgress = nextBatchEnd is { } end && end > ProcessedSeq ? (ProcessedSeq + 1, Math.Min(end, LastSeq))
            : LastSeq > ProcessedSeq ? (ProcessedSeq + 1, LastSeq) // events stored before batches were named
            : null;
        Trim();
    }

    /// <summary>Drops the oldest processed entries beyond the retained number (they stay in the journal).</summary>
    private void Trim()
    {
        _tail.Trim(ProcessedSeq, retainProcessed);
        // what left memory is read back from the journal when asked for, bodies included
        if (_unresolved.Count > 0)
            foreach (var seq in _unresolved.Keys.Where(seq => seq < _tail.Start).ToList()) _unresolved.Remove(seq);
    }

    /// <summary>
    /// The queue's entry for the order at <paramref name="offset"/> of first queue <paramref name="firstQueue"/>:
    /// found in memory, or the journal event that holds it, or neither when it is not recorded here.
    /// </summary>
    public (FeedEntry? Entry, JournalSpan? InJournal) Find(int firstQueue, long offset)
    {
        if (offset > RecordedUpTo(firstQueue)) return (null, null);
        foreach (var entry in _tail.Items)
            if (entry.Order.FirstQueue == firstQueue && entry.Order.Offset == offset) return (entry, null);
        if (!_bySource.TryGetValue(firstQueue, out var rows)) return (null, null);
        var i = rows.FindLastIndex(r => r.FirstOffset <= offset);
        if (i < 0 || rows[i].LastOffset < offset) return (null, null);
        var sequenceNr = rows[i].SequenceNr;
        var events = _tail.Events;
        var e = _tail.EventStoredAs(sequenceNr);
        var (fromSeq, toSeq) = (events[e].FirstPosition, e + 1 < events.Count ? events[e + 1].FirstPosition - 1 : LastSeq);
        return (null, new JournalSpan(sequenceNr, sequenceNr, MarksCovering(fromSeq, toSeq)));
    }

    /// <summary>
    /// Processed entries with seq &gt; <paramref name="after"/>: at most <paramref name="limit"/> and, past the first,
    /// at most <paramref name="maxLines"/> order lines in all (a page may cross the network: its size is bounded).
    /// Entries older than <see cref="TailStart"/> are not in memory: then the journal span that holds them is
    /// returned too, with the page's in-memory continuation as the entries, and <see cref="PageFromJournal"/> makes
    /// the page from both.
    /// </summary>
    public (IReadOnlyList<FeedEntry> Entries, JournalSpan? InJournal) Feed(long after, int limit, int maxLines = int.MaxValue)
    {
        var from = Math.Max(0, after) + 1;
        if (from > ProcessedSeq || limit <= 0) return (Array.Empty<FeedEntry>(), null);
        if (from < _tail.Start)
        {
            var events = _tail.Events;
            var to = Math.Min(Math.Min(from + limit - 1, ProcessedSeq), _tail.Start - 1);
            var first = _tail.EventAt(from);
            var last = _tail.EventAt(to);
            var fromNr = events[Math.Max(0, first)].SequenceNr;
            var toNr = last + 1 < events.Count ? events[last + 1].SequenceNr - 1 : long.MaxValue;
            var inMemory = (int)Math.Max(0, Math.Min(from + limit - 1, ProcessedSeq) - _tail.Start + 1);
            return (_tail.Range(_tail.Start, inMemory), new JournalSpan(fromNr, toNr, MarksCovering(from, to)));
        }
        var available = (int)Math.Min(limit, ProcessedSeq - from + 1);
        return (_tail.Range(from, LinePage.Count(_tail.Items, (int)(from - _tail.Start), available, maxLines, LinesOf)), null);
    }

    /// <summary>When the order at <paramref name="seq"/> was processed (null: not processed yet).</summary>
    public DateTimeOffset? ProcessedAtOf(long seq)
    {
        if (seq < 1 || seq > ProcessedSeq) return null;
        if (seq >= _tail.Start) return _tail[seq].ProcessedAt;
        return MarksCovering(seq, seq) is [var mark, ..] ? mark.At : null;
    }

    /// <summary>The whole state, for a snapshot (every entry in memory with its body).</summary>
    public UnitQueueState ToState() => _unresolved.Count > 0
        ? throw new InvalidOperationException("entries recorded by reference are not read yet")
        : new(
        LastSeq, ProcessedSeq, InProgress?.From, InProgress?.To, _tail.Start,
        _tail.Items.ToList(),
        new Dictionary<int, long>(_recordedUpTo),
        _tail.Events.Select(e => e.FirstPosition).ToList(),
        _tail.Events.Select(e => e.SequenceNr).ToList(),
        _bySource.OrderBy(kv => kv.Key).Select(kv => new SourceEvents(kv.Key,
            kv.Value.Select(r => r.FirstOffset).ToList(), kv.Value.Select(r => r.LastOffset).ToList(), kv.Value.Select(r => r.SequenceNr).ToList())).ToList(),
        _marks.ToList());

    /// <summary>A ledger restored from a snapshot.</summary>
    public static UnitQueueLedger FromState(UnitQueueState state, int retainProcessed)
    {
        var ledger = new UnitQueueLedger(retainProcessed)
        {
            LastSeq = state.LastSeq,
            ProcessedSeq = state.ProcessedSeq,
            InProgress = state.InProgressFrom is { } from && state.InProgressTo is { } to ? (from, to) : null,
        };
        ledger._tail.Restore(state.TailStart, state.Tail, state.EventFirstSeqs.Zip(state.EventSequenceNrs));
        foreach (var (queue, upTo) in state.RecordedUpTo) ledger._recordedUpTo[queue] = upTo;
        foreach (var source in state.BySource)
            ledger._bySource[source.FirstQueue] = source.FirstOffsets
                .Select((first, i) => (first, source.LastOffsets[i], source.SequenceNrs[i])).ToList();
        ledger._marks.AddRange(state.Marks);
        return ledger;
    }

    /// <summary>The entry of the order at <paramref name="offset"/> of first queue <paramref name="firstQueue"/> among entries read back from the journal (see <see cref="Find"/>).</summary>
    public static FeedEntry? EntryFromJournal(IEnumerable<FeedEntry> stored, JournalSpan span, int firstQueue, long offset) =>
        stored.Where(e => e.Order.FirstQueue == firstQueue && e.Order.Offset == offset)
            .Select(e => e with { ProcessedAt = span.ProcessedAt(e) })
            .FirstOrDefault();

    /// <summary>A feed page from entries read back from the journal and the in-memory continuation (see <see cref="Feed"/>).</summary>
    public static IReadOnlyList<FeedEntry> PageFromJournal(IEnumerable<FeedEntry> stored, JournalSpan span, long after, int limit,
        long processedSeq, int maxLines = int.MaxValue, IReadOnlyList<FeedEntry>? inMemory = null)
    {
        var memoryFrom = inMemory is { Count: > 0 } ? inMemory[0].Seq : long.MaxValue;
        var entries = stored
            .Where(e => e.Seq > after && e.Seq <= processedSeq && e.Seq < memoryFrom)
            .OrderBy(e => e.Seq)
            .Select(e => e with { ProcessedAt = span.ProcessedAt(e) })
            .Concat(inMemory ?? [])
            .Take(limit)
            .ToList();
        return entries.GetRange(0, LinePage.Count(entries, 0, entries.Count, maxLines, LinesOf));
    }

    private List<ProcessedMark> MarksCovering(long from, long to)
    {
        // the marks are in UpTo order: find the first that covers `from`, then take them until one covers `to`
        int lo = 0, hi = _marks.Count;
        while (lo < hi)
        {
            var mid = (lo + hi) / 2;
            if (_marks[mid].UpTo < from) lo = mid + 1;
            else hi = mid;
        }
        var result = new List<ProcessedMark>();
        for (var i = lo; i < _marks.Count; i++)
        {
            result.Add(_marks[i]);
            if (_marks[i].UpTo >= to) break;
        }
        return result;
    }

    private static int LinesOf(FeedEntry entry) => entry.Order.Order.Lines.Count;
}
