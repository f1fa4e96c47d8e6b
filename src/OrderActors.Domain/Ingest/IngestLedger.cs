using OrderActors.Domain.Orders;

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
}

/// <summary>
/// Everything an <see cref="IngestLedger"/> holds, for a snapshot: the orders kept in memory, the id index as parallel
/// lists (id, offset, fingerprint) and one row per stored event.
/// </summary>
public sealed record IngestState(
    long LastOffset,
    long DeliveredUpTo,
    long TailStart,
    IReadOnlyList<AcceptedOrder> Tail,
    IReadOnlyList<string> OrderIds,
    IReadOnlyList<long> Offsets,
    IReadOnlyList<ulong> FingerprintsHigh,
    IReadOnlyList<ulong> FingerprintsLow,
    IReadOnlyList<long> EventFirstOffsets,
    IReadOnlyList<long> EventSequenceNrs);

/// <summary>
/// The state of one first queue (an ingest entity), without actors: an index of every order it accepted (id →
/// offset and content fingerprint, for idempotency), the offset of the last one, and how far delivery to the
/// units has been confirmed. Orders past <see cref="DeliveredUpTo"/> are pending: they are (re)delivered, in
/// offset order, until the units confirm them; units dedupe by offset, so redelivery is harmless.
/// Memory stays small: whole orders are kept only while pending plus the latest <c>retainDelivered</c> delivered
/// ones; an older order is read back from the journal event that <see cref="Find"/> names. The index costs about
/// 100 bytes per order.
/// </summary>
public sealed class IngestLedger(int retainDelivered = 2_000)
{
    private readonly Dictionary<string, IndexEntry> _index = new(StringComparer.Ordinal);
    private readonly List<AcceptedOrder> _tail = new();
    private long _tailStart = 1;
    // one row per stored event of orders: its first offset and its journal sequence number, in offset order
    private readonly List<(long FirstOffset, long SequenceNr)> _events = new();

    private readonly record struct IndexEntry(long Offset, UInt128 Fingerprint);

    public long LastOffset { get; private set; }
    public long DeliveredUpTo { get; private set; }
    public int PendingCount => (int)(LastOffset - DeliveredUpTo);
    public int OrderCount => _index.Count;

    /// <summary>
    /// The order accepted under <paramref name="orderId"/>: in memory, or the journal sequence number of the event
    /// that holds it, or neither when no such order was accepted here.
    /// </summary>
    public (AcceptedOrder? Order, long? InJournal) Find(string orderId)
    {
        if (!_index.TryGetValue(orderId, out var entry)) return (null, null);
        if (entry.Offset >= _tailStart) return (_tail[(int)(entry.Offset - _tailStart)], null);
        var i = _events.FindLastIndex(e => e.FirstOffset <= entry.Offset);
        return (null, _events[i].SequenceNr);
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
        if (_index.TryGetValue(orderId, out var stored))
            return stored.Fingerprint == Compact(fingerprint) ? AdmitDecision.Duplicate : AdmitDecision.Conflict;
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
            _index[order.OrderId] = new IndexEntry(order.Offset, Compact(order.Fingerprint));
            _tail.Add(order);
            LastOffset = order.Offset;
        }
        _events.Add((orders[0].Offset, sequenceNr));
    }

    /// <summary>The units confirmed every order up to <paramref name="upToOffset"/>.</summary>
    public void ConfirmDelivered(long upToOffset)
    {
        if (upToOffset <= DeliveredUpTo) return;
        DeliveredUpTo = Math.Min(upToOffset, LastOffset);
        // keep the latest delivered orders in memory (recent views are common); drop older ones in chunks
        var drop = (int)(DeliveredUpTo - _tailStart + 1 - retainDelivered);
        if (drop < Math.Max(64, retainDelivered / 4)) return;
        _tail.RemoveRange(0, drop);
        _tailStart += drop;
    }

    /// <summary>
    /// The oldest pending orders in offset order: at most <paramref name="max"/> orders and, past the first order,
    /// at most <paramref name="maxLines"/> lines in all (a delivery may cross the network: its size is bounded).
    /// </summary>
    public IReadOnlyList<AcceptedOrder> NextPending(int max, int maxLines = int.MaxValue)
    {
        var start = (int)(DeliveredUpTo + 1 - _tailStart);
        var count = 0;
        var lines = 0;
        while (count < Math.Min(max, PendingCount))
        {
            lines += _tail[start + count].Order.Lines.Count;
            if (count > 0 && lines > maxLines) break;
            count++;
        }
        return _tail.GetRange(start, count);
    }

    /// <summary>The whole state, for a snapshot.</summary>
    public IngestState ToState()
    {
        var ids = new List<string>(_index.Count);
        var offsets = new List<long>(_index.Count);
        var high = new List<ulong>(_index.Count);
        var low = new List<ulong>(_index.Count);
        foreach (var (id, entry) in _index)
        {
            ids.Add(id);
            offsets.Add(entry.Offset);
            high.Add((ulong)(entry.Fingerprint >> 64));
            low.Add((ulong)entry.Fingerprint);
        }
        return new IngestState(LastOffset, DeliveredUpTo, _tailStart, _tail.ToList(), ids, offsets, high, low,
            _events.Select(e => e.FirstOffset).ToList(), _events.Select(e => e.SequenceNr).ToList());
    }

    /// <summary>A ledger restored from a snapshot.</summary>
    public static IngestLedger FromState(IngestState state, int retainDelivered = 2_000)
    {
        var ledger = new IngestLedger(retainDelivered) { LastOffset = state.LastOffset, DeliveredUpTo = state.DeliveredUpTo };
        ledger._tailStart = state.TailStart;
        ledger._tail.AddRange(state.Tail);
        ledger._index.EnsureCapacity(state.OrderIds.Count);
        for (var i = 0; i < state.OrderIds.Count; i++)
            ledger._index[state.OrderIds[i]] = new IndexEntry(state.Offsets[i], new UInt128(state.FingerprintsHigh[i], state.FingerprintsLow[i]));
        ledger._events.AddRange(state.EventFirstOffsets.Zip(state.EventSequenceNrs));
        return ledger;
    }

    /// <summary>A fingerprint (32 hex digits, see <see cref="OrderFingerprint"/>) as a 128-bit number: a quarter of the string's memory.</summary>
    private static UInt128 Compact(string fingerprint) =>
        fingerprint.Length == 32 && UInt128.TryParse(fingerprint, System.Globalization.NumberStyles.HexNumber, null, out var value)
            ? value
            : throw new ArgumentException($"'{fingerprint}' is not an order fingerprint (32 hex digits)", nameof(fingerprint));
}
