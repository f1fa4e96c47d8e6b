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

/// <summary>A delivered mark: every order of the queue up to <paramref name="UpTo"/> was confirmed at <paramref name="At"/>.</summary>
public readonly record struct DeliveredMark(long UpTo, DateTimeOffset At);

/// <summary>
/// How far the downstream system of one unit queue has confirmed its orders, without actors: the committed cursor of
/// a pull consumer (its acks). Monotone: an older ack changes nothing, so a consumer that retries an ack, or two
/// that race, cannot move it back. Each advance is kept as a mark, so the time an order was delivered is known.
/// </summary>
public sealed class DeliveryCursor
{
    private readonly List<DeliveredMark> _marks = new();

    /// <summary>Every order up to this seq is delivered (0: none).</summary>
    public long DeliveredUpTo { get; private set; }

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
        _marks.Add(mark);
    }

    /// <summary>When the order at <paramref name="seq"/> was delivered (null: not yet).</summary>
    public DateTimeOffset? DeliveredAt(long seq)
    {
        if (seq > DeliveredUpTo || seq < 1) return null;
        int lo = 0, hi = _marks.Count - 1;
        while (lo < hi)
        {
            var mid = (lo + hi) / 2;
            if (_marks[mid].UpTo < seq) lo = mid + 1;
            else hi = mid;
        }
        return _marks[lo].At;
    }
}
