using OrderActors.Domain.Orders;
using OrderActors.Domain.Queues;

namespace OrderActors.Domain.Ingest;

/// <summary>What a first queue answers for one submitted order.</summary>
public enum AdmitDecision
{
    /// <summary>New: it will be stored (202).</summary>
    Accept,
    /// <summary>The same order (same id, same content) was already accepted (200).</summary>
    Duplicate,
    /// <summary>The same id was accepted with different content (409).</summary>
    Conflict,
    /// <summary>New, but the first queue is full (too many orders not yet handed on): not stored; send it again later (429).</summary>
    Throttled,
    /// <summary>The journal failed to store the batch it was in: not accepted; send it again shortly (503).</summary>
    Unavailable,
    /// <summary>
    /// New, but the routing version its first queue routes it by (published a moment ago, after its node checked the
    /// order against the one before) takes no unit for its code: not stored (422, as intake refuses an unknown code).
    /// </summary>
    UnknownCode,
}

/// <summary>
/// Everything an <see cref="IngestLedger"/> holds, for a snapshot: the orders kept in memory, one row per stored
/// event and the id index in its compact form (<see cref="OrderIdIndex.Write"/>). Snapshots stored before the
/// compact form carry the index as parallel lists instead (id, offset, fingerprint halves); they are still read.
/// </summary>
public sealed record IngestState(
    long LastOffset,
    long DeliveredUpTo,
    long TailStart,
    IReadOnlyList<AcceptedOrder> Tail,
    IReadOnlyList<long> EventFirstOffsets,
    IReadOnlyList<long> EventSequenceNrs,
    byte[]? Index = null,
    IReadOnlyList<string>? OrderIds = null,
    IReadOnlyList<long>? Offsets = null,
    IReadOnlyList<ulong>? FingerprintsHigh = null,
    IReadOnlyList<ulong>? FingerprintsLow = null);

/// <summary>
/// The state of one first queue (an ingest entity), without actors: an index of every order it accepted (id →
/// offset and content fingerprint, for idempotency), the offset of the last one, and how far delivery to the
/// units has been confirmed. Orders past <see cref="DeliveredUpTo"/> are pending: they are (re)delivered, in
/// offset order, until the units confirm them; units dedupe by offset, so redelivery is harmless.
/// Memory stays small: whole orders are kept only while pending plus the latest <c>retainDelivered</c> delivered
/// ones; an older order is read back from the journal event that <see cref="Find"/> names. The index
/// (<see cref="OrderIdIndex"/>) costs about 30 bytes per order.
/// </summary>
public sealed class IngestLedger(int retainDelivered)
{
    private OrderIdIndex _index = new();
    // by offset: pending orders and the latest delivered ones, and the events that stored every order
    private readonly RetainedTail<AcceptedOrder> _tail = new();

    public long LastOffset { get; private set; }
    public long DeliveredUpTo { get; private set; }
    public int PendingCount => (int)(LastOffset - DeliveredUpTo);
    /// <summary>When the oldest order not yet handed on was accepted (null: none is pending); pending orders are always in memory.</summary>
    public DateTimeOffset? OldestPendingAt => PendingCount > 0 ? _tail[DeliveredUpTo + 1].AcceptedAt : null;
    public int OrderCount => _index.Count;

    /// <summary>
    /// The order accepted under <paramref name="orderId"/>: in memory, or the journal sequence number of the event
    /// that holds it, or neither when no such order was accepted here.
    /// </summary>
    public (AcceptedOrder? Order, long? InJournal) Find(string orderId)
    {
        if (!_index.TryGet(orderId, out var offset, out _)) return (null, null);
        if (offset >= _tail.Start) return (_tail[offset], null);
        return (null, _tail.Events[_tail.EventAt(offset)].SequenceNr);
    }

    /// <summary>
    /// Decides one submission. <paramref name="unstored"/> holds the fingerprints of orders already accepted but not
    /// stored yet (their batch is still being written); an accepted order is added to it. A new order is only
    /// accepted while the queue has room (<paramref name="maxPending"/> orders accepted and not yet handed on, stored
    /// or not); otherwise it is throttled. Duplicates and conflicts are answered whatever the room.
    /// </summary>
    public AdmitDecision Decide(string orderId, string fingerprint, IDictionary<string, string> unstored, int maxPending = int.MaxValue)
    {
        if (unstored.TryGetValue(orderId, out var pending))
            return pending == fingerprint ? AdmitDecision.Duplicate : AdmitDecision.Conflict;
        if (_index.TryGet(orderId, out _, out var stored))
            return stored == Compact(fingerprint) ? AdmitDecision.Duplicate : AdmitDecision.Conflict;
        if (PendingCount + unstored.Count >= maxPending)
            return AdmitDecision.Throttled;
        unstored[orderId] = fingerprint;
        return AdmitDecision.Accept;
    }

    /// <summary>
    /// Applies a batch of accepted orders stored as the event with journal sequence number
    /// <paramref name="sequenceNr"/>. Offsets must continue from <see cref="LastOffset"/>.
    /// </summary>
    public void Accept(IReadOnlyList<AcceptedOrder> orders, long sequenceNr)
    {
        if (orders.Count == 0) return;
        foreach (var order in orders)
        {
            if (order.Offset != LastOffset + 1)
                throw new InvalidOperationException($"offset {order.Offset} does not follow {LastOffset}");
            _index.Add(order.OrderId, Compact(order.Fingerprint));
            _tail.Add(order);
            LastOffset = order.Offset;
        }
        _tail.AddEvent(orders[0].Offset, sequenceNr);
    }

    /// <summary>The units confirmed every order up to <paramref name="upToOffset"/>.</summary>
    public void ConfirmDelivered(long upToOffset)
    {
        if (upToOffset <= DeliveredUpTo) return;
        DeliveredUpTo = Math.Min(upToOffset, LastOffset);
        // the latest delivered orders stay in memory: recent ones are the ones viewed
        _tail.Trim(DeliveredUpTo, retainDelivered);
    }

    /// <summary>
    /// The oldest pending orders in offset order: at most <paramref name="max"/> orders and, past the first order,
    /// at most <paramref name="maxLines"/> lines in all (a delivery may cross the network: its size is bounded).
    /// </summary>
    public IReadOnlyList<AcceptedOrder> NextPending(int max, int maxLines = int.MaxValue)
    {
        var start = (int)(DeliveredUpTo + 1 - _tail.Start);
        var count = LinePage.Count(_tail.Items, start, Math.Min(max, PendingCount), maxLines, static o => o.Order.Lines.Count);
        return _tail.Range(DeliveredUpTo + 1, count);
    }

    /// <summary>The stored batches that hold the orders from offset <paramref name="from"/> to <paramref name="to"/>, in offset order.</summary>
    public IReadOnlyList<StoredBatch> BatchesHolding(long from, long to)
    {
        var events = _tail.Events;
        var first = _tail.EventAt(from);
        if (first < 0 || to < from) return [];
        var batches = new List<StoredBatch>();
        for (var i = first; i < events.Count && events[i].FirstPosition <= to; i++)
            batches.Add(new StoredBatch(events[i].FirstPosition, events[i].SequenceNr));
        return batches;
    }

    /// <summary>The whole state, for a snapshot.</summary>
    public IngestState ToState() => new(LastOffset, DeliveredUpTo, _tail.Start, _tail.Items.ToList(),
        _tail.Events.Select(e => e.FirstPosition).ToList(), _tail.Events.Select(e => e.SequenceNr).ToList(), _index.Write());

    /// <summary>A ledger restored from a snapshot.</summary>
    public static IngestLedger FromState(IngestState state, int retainDelivered)
    {
        var ledger = new IngestLedger(retainDelivered) { LastOffset = state.LastOffset, DeliveredUpTo = state.DeliveredUpTo };
        ledger._tail.Restore(state.TailStart, state.Tail, state.EventFirstOffsets.Zip(state.EventSequenceNrs));
        ledger._index = state.Index is { } index ? OrderIdIndex.Read(index) : IndexFromLists(state);
        if (ledger._index.LastOffset != state.LastOffset)
            throw new InvalidOperationException($"the snapshot's id index ends at offset {ledger._index.LastOffset}, its queue at {state.LastOffset}");
        return ledger;
    }

    /// <summary>The index of a snapshot stored before the compact form: parallel lists, one row per order.</summary>
    private static OrderIdIndex IndexFromLists(IngestState state)
    {
        var (ids, offsets, low) = (state.OrderIds ?? [], state.Offsets ?? [], state.FingerprintsLow ?? []);
        var index = new OrderIdIndex();
        index.Reserve(ids.Count);
        foreach (var row in Enumerable.Range(0, ids.Count).OrderBy(i => offsets[i]))
        {
            if (offsets[row] != index.LastOffset + 1)
                throw new InvalidOperationException($"the snapshot's id index skips from offset {index.LastOffset} to {offsets[row]}");
            index.Add(ids[row], low[row]);
        }
        return index;
    }

    /// <summary>
    /// A fingerprint (32 hex digits, see <see cref="OrderFingerprint"/>) as the 64 bits the index keeps: it only
    /// tells a resend of the same order from different content under the same id, where 64 bits leave a chance of
    /// 2^-64 of taking a conflict for a duplicate.
    /// </summary>
    private static ulong Compact(string fingerprint) =>
        fingerprint.Length == 32 && UInt128.TryParse(fingerprint, System.Globalization.NumberStyles.HexNumber, null, out var value)
            ? (ulong)value
            : throw new ArgumentException($"'{fingerprint}' is not an order fingerprint (32 hex digits)", nameof(fingerprint));
}
