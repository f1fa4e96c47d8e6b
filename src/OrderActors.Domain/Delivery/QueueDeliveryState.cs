namespace OrderActors.Domain.Delivery;

/// <summary>Where one order of a unit queue stands downstream.</summary>
public sealed record OrderDelivery(DateTimeOffset? DeliveredAt, int Attempts, ParkedOrder? Parked, IReadOnlyList<BusinessStatus> History);

/// <summary>
/// The durable delivery state of one unit queue, without actors: the cursor and its marks, the parked orders, and the
/// business progress reported per order. The entity applies each stored event here, and on recovery the same way.
/// </summary>
public sealed class QueueDeliveryState(int marksKept = int.MaxValue)
{
    private readonly Dictionary<long, List<BusinessStatus>> _history = new();

    public DeliveryCursor Cursor { get; private set; } = new(marksKept);

    public ParkedOrders Parked { get; } = new();

    /// <summary>The latest webhook attempts that did not deliver (as many as marks are kept).</summary>
    public FailedAttempts Failed { get; } = new(marksKept);

    public IEnumerable<KeyValuePair<long, List<BusinessStatus>>> History => _history;

    /// <summary>The receiver (or a pull consumer's ack) confirmed every order up to the mark's seq.</summary>
    public void Delivered(DeliveredMark mark)
    {
        var from = Cursor.DeliveredUpTo;
        Cursor.Apply(mark);
        Parked.DeliveredThrough(from, mark.UpTo, mark.At);
    }

    /// <summary>Orders were parked: the cursor moves past them (the queue goes on), unless they were parked again after a retry.</summary>
    public void ParkedNow(IReadOnlyList<ParkedOrder> orders)
    {
        foreach (var p in orders)
        {
            var before = Parked.Find(p.Seq);
            Parked.Park(before is null ? p : p with { Attempts = before.Attempts + p.Attempts, FirstAttemptAt = before.FirstAttemptAt });
        }
        // the queue's next orders move the cursor; a parked order sent again (behind the cursor, or ahead of it after a
        // replay) never does, or orders not yet sent would be skipped
        if (orders.Count > 0 && orders.Min(p => p.Seq) == Cursor.DeliveredUpTo + 1) Cursor.Skip(orders.Max(p => p.Seq));
    }

    public void Replayed(long from) => Cursor.Replay(from);

    public void Reported(long seq, BusinessStatus status)
    {
        if (!_history.TryGetValue(seq, out var list)) _history[seq] = list = new List<BusinessStatus>();
        list.Add(status);
    }

    /// <param name="stored">whether a confirmation is stored (one applied but not stored yet is not shown: null, all are)</param>
    public OrderDelivery Of(long seq, PushRequest? inFlight, Func<long, bool>? stored = null)
    {
        var history = _history.TryGetValue(seq, out var list) ? list : (IReadOnlyList<BusinessStatus>)Array.Empty<BusinessStatus>();
        var trying = inFlight is { } r && seq >= r.FirstSeq && seq <= r.LastSeq ? r.Attempts : 0;
        if (Parked.Find(seq) is { } parked)
            return parked.State == ParkedState.Delivered
                ? new OrderDelivery(parked.SettledAt, parked.Attempts, null, history)
                : new OrderDelivery(null, parked.Attempts + trying, parked, history);
        if (Cursor.MarkOf(seq) is { } mark)
            return stored?.Invoke(seq) == false
                ? new OrderDelivery(null, mark.Attempts, null, history) // confirmed, shown once stored
                : new OrderDelivery(mark.At, mark.Attempts, null, history);
        return new OrderDelivery(null, trying, null, history);
    }

    /// <summary>Restores the state a snapshot holds.</summary>
    public void Restore(IEnumerable<DeliveredMark> marks, long? cursor, IEnumerable<ParkedOrder> parked, IEnumerable<(long Seq, BusinessStatus Status)> history,
        IEnumerable<FailedAttempt>? failed = null)
    {
        Failed.Restore(failed ?? []);
        Cursor = new DeliveryCursor(marksKept);
        foreach (var mark in marks) Cursor.Apply(mark);
        Cursor.RestoreTo(cursor ?? Cursor.ConfirmedUpTo);
        Parked.Restore(parked);
        _history.Clear();
        foreach (var (seq, status) in history) Reported(seq, status);
    }
}
