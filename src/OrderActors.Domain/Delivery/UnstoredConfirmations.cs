namespace OrderActors.Domain.Delivery;

/// <summary>
/// The webhook receiver's confirmations of one unit queue that are applied (the cursor moved, the order view shows them
/// delivered) but not stored yet, without actors. Storing each confirmation as it came made the cursor's writes a large
/// share of the journal's under load, one per request of a few orders; they are stored together instead, once
/// <c>storeEvery</c> orders are confirmed (one such write in flight at a time), after at most the store interval, and
/// before any other event of the queue (so that on recovery the events apply in the order they happened). A crash
/// loses only confirmations not stored yet: those orders are sent again, with the same deliveryIds, which receivers
/// dedupe on, as they do a request in flight at a crash.
/// </summary>
/// <remarks>
/// What is shown is what is stored: an order whose confirmation is applied but not stored yet counts as not delivered
/// (<see cref="IsStored"/>), so that a view that showed it delivered never shows it processed again after a crash.
/// </remarks>
public sealed class UnstoredConfirmations(int storeEvery)
{
    private readonly List<DeliveredMark> _marks = new();
    private readonly Queue<long> _writing = new(); // each write's highest seq, oldest first
    private long _orders;
    private int _storing;
    private long? _storedUpTo; // while confirmations wait or are being written: the cursor as stored; null: all are stored

    public bool Any => _marks.Count > 0;

    /// <summary>Whether enough orders wait to be stored, and no such write is on its way.</summary>
    public bool Due => _storing == 0 && _orders >= storeEvery;

    /// <summary>The receiver confirmed the <paramref name="orders"/> orders up to the mark's seq; the cursor was at <paramref name="cursorBefore"/>.</summary>
    public void Add(DeliveredMark mark, int orders, long cursorBefore)
    {
        _storedUpTo ??= cursorBefore;
        _marks.Add(mark);
        _orders += orders;
    }

    /// <summary>Takes every confirmation not stored yet, for one write.</summary>
    public IReadOnlyList<DeliveredMark> Take()
    {
        var marks = _marks.ToList();
        _marks.Clear();
        _orders = 0;
        _storing++;
        if (marks.Count > 0) _writing.Enqueue(marks.Max(m => m.UpTo));
        return marks;
    }

    /// <summary>A write of <see cref="Take"/>'s confirmations is done.</summary>
    public void Stored()
    {
        _storing = Math.Max(0, _storing - 1);
        if (_writing.TryDequeue(out var upTo)) _storedUpTo = _marks.Count == 0 && _writing.Count == 0 ? null : upTo;
    }

    /// <summary>Whether the confirmation of the order at <paramref name="seq"/> is stored (or there is none waiting).</summary>
    public bool IsStored(long seq) => _storedUpTo is not { } upTo || seq <= upTo;
}
