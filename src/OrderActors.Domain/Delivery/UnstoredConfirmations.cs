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
public sealed class UnstoredConfirmations(int storeEvery)
{
    private readonly List<DeliveredMark> _marks = new();
    private long _orders;
    private int _storing;

    public bool Any => _marks.Count > 0;

    /// <summary>Whether enough orders wait to be stored, and no such write is on its way.</summary>
    public bool Due => _storing == 0 && _orders >= storeEvery;

    /// <summary>The receiver confirmed the <paramref name="orders"/> orders up to the mark's seq.</summary>
    public void Add(DeliveredMark mark, int orders)
    {
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
        return marks;
    }

    /// <summary>A write of <see cref="Take"/>'s confirmations is done.</summary>
    public void Stored() => _storing = Math.Max(0, _storing - 1);
}
