namespace OrderActors.Domain.Delivery;

/// <summary>What an acknowledgement did to a unit queue's cursor.</summary>
public enum AckOutcome
{
    /// <summary>The cursor moved forward to the acknowledged seq.</summary>
    Advanced,
    /// <summary>The cursor was already there or further: an older (or repeated) ack changes nothing.</summary>
    Unchanged,
    /// <summary>The seq is past the last order the queue has processed: refused (409).</summary>
    BeyondEnd,
}

/// <summary>
/// A delivered mark: every order of the queue up to <paramref name="UpTo"/> was confirmed at <paramref name="At"/>,
/// after <paramref name="Attempts"/> attempts of its webhook request (0: a pull consumer's ack, or not recorded).
/// </summary>
public readonly record struct DeliveredMark(long UpTo, DateTimeOffset At, int Attempts = 0);

/// <summary>
/// How far the downstream system of one unit queue has handled its orders, without actors. <see cref="DeliveredUpTo"/>
/// is the cursor: every order up to it is delivered, or parked (<see cref="ParkedOrders"/>); a webhook push sends what
/// follows it, and a pull consumer's acks move it. Monotone for acks and pushes (an older ack changes nothing, so a
/// consumer that retries an ack, or two that race, cannot move it back); only an operator's replay moves it back.
/// Each first confirmation of a seq is kept as a mark, so when an order was delivered stays known across replays.
/// Past <paramref name="marksKept"/> marks, the older half is merged pairwise (a merged mark: its orders were all
/// delivered by the later time, after the most attempts of the two), so a queue that delivers for months holds a
/// bounded number of marks: the recent ones exact, the older ones coarser the older they are.
/// </summary>
public sealed class DeliveryCursor(int marksKept = int.MaxValue)
{
    private List<DeliveredMark> _marks = new();

    /// <summary>The cursor: every order up to this seq is handled (0: none).</summary>
    public long DeliveredUpTo { get; private set; }

    /// <summary>The highest seq ever confirmed (a replay moves the cursor back, never this).</summary>
    public long ConfirmedUpTo => _marks.Count == 0 ? 0 : _marks[^1].UpTo;

    public IReadOnlyList<DeliveredMark> Marks => _marks;

    /// <summary>Decides an ack of every order up to <paramref name="upTo"/>, given that the queue has processed up to <paramref name="processedSeq"/>.</summary>
    public AckOutcome Decide(long upTo, long processedSeq) =>
        upTo > processedSeq ? AckOutcome.BeyondEnd
        : upTo <= DeliveredUpTo ? AckOutcome.Unchanged
        : AckOutcome.Advanced;

    /// <summary>Applies an advance (stored first as an event, then applied, also on recovery).</summary>
    public void Apply(DeliveredMark mark)
    {
        if (mark.UpTo <= DeliveredUpTo) return;
        DeliveredUpTo = mark.UpTo;
        if (mark.UpTo <= ConfirmedUpTo) return;
        _marks.Add(mark);
        if (_marks.Count > marksKept) MergeOlderHalf();
    }

    private void MergeOlderHalf()
    {
        var older = _marks.Count / 2;
        var merged = new List<DeliveredMark>(_marks.Capacity);
        for (var i = 0; i + 1 < older; i += 2)
        {
            var (a, b) = (_marks[i], _marks[i + 1]);
            merged.Add(new DeliveredMark(b.UpTo, a.At > b.At ? a.At : b.At, Math.Max(a.Attempts, b.Attempts)));
        }
        merged.AddRange(_marks.Skip(older - older % 2)); // an odd one out stays as it was
        _marks = merged;
    }

    /// <summary>Moves the cursor past parked orders: handled, though not delivered (their marks are not added).</summary>
    public void Skip(long upTo)
    {
        if (upTo > DeliveredUpTo) DeliveredUpTo = upTo;
    }

    /// <summary>Sets the cursor as a snapshot stored it (marks restored first).</summary>
    public void RestoreTo(long cursor) => DeliveredUpTo = cursor;

    /// <summary>Whether a replay from <paramref name="from"/> may be done: it moves the cursor back (or leaves it), never past an order not yet handled.</summary>
    public bool CanReplayFrom(long from) => from >= 1 && from <= DeliveredUpTo + 1;

    /// <summary>An operator's replay: orders from <paramref name="from"/> on are delivered again (webhook) or read again (pull).</summary>
    public void Replay(long from)
    {
        if (CanReplayFrom(from)) DeliveredUpTo = from - 1;
    }

    /// <summary>The mark under which the order at <paramref name="seq"/> was first confirmed (null: never).</summary>
    public DeliveredMark? MarkOf(long seq)
    {
        if (seq > ConfirmedUpTo || seq < 1) return null;
        int lo = 0, hi = _marks.Count - 1;
        while (lo < hi)
        {
            var mid = (lo + hi) / 2;
            if (_marks[mid].UpTo < seq) lo = mid + 1;
            else hi = mid;
        }
        return _marks[lo];
    }

    /// <summary>When the order at <paramref name="seq"/> was delivered (null: not yet).</summary>
    public DateTimeOffset? DeliveredAt(long seq) => MarkOf(seq)?.At;
}
