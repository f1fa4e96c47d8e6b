namespace OrderActors.Domain.Delivery;

public enum ParkedState
{
    /// <summary>Set aside after the unit's failure policy gave up on it; the queue went on.</summary>
    Parked,
    /// <summary>An operator asked for it to be sent again; the queue's push sends it before the next request.</summary>
    Retrying,
    /// <summary>Sent again and confirmed by the receiver.</summary>
    Delivered,
    /// <summary>An operator set it aside for good: no longer listed as parked, never sent again unless replayed.</summary>
    Archived,
}

/// <summary>
/// One parked order of a unit queue: what the receiver last said (<paramref name="Status"/>, null: no answer), the
/// error shown to operators, how many attempts were made since <paramref name="FirstAttemptAt"/>, and where it stands.
/// </summary>
public sealed record ParkedOrder(long Seq, string OrderId, int? Status, string Error, int Attempts, DateTimeOffset FirstAttemptAt,
    DateTimeOffset ParkedAt, ParkedState State = ParkedState.Parked, DateTimeOffset? SettledAt = null);

/// <summary>Which parked orders an operator lists: by state, by reason (a part of the error or the status), and by the time they were parked.</summary>
public sealed record ParkedFilter(string? Reason = null, DateTimeOffset? Since = null, DateTimeOffset? Until = null, bool Archived = false)
{
    public bool Matches(ParkedOrder p) =>
        (Archived ? p.State == ParkedState.Archived : p.State is ParkedState.Parked or ParkedState.Retrying)
        && (Reason is null || p.Error.Contains(Reason, StringComparison.OrdinalIgnoreCase) || p.Status?.ToString() == Reason)
        && (Since is null || p.ParkedAt >= Since) && (Until is null || p.ParkedAt < Until);
}

/// <summary>
/// The parked orders of one unit queue, by seq, without actors. An entry is never removed: once delivered or archived
/// it stays (a parked order is rare, and the order view tells its story). The push asks for the next retry and
/// reports every delivery here, so both are answered without walking the entries.
/// </summary>
public sealed class ParkedOrders
{
    private readonly SortedDictionary<long, ParkedOrder> _bySeq = new();
    private readonly SortedSet<long> _retrying = new();
    private long _maxSeq;

    public IEnumerable<ParkedOrder> All => _bySeq.Values;

    /// <summary>How many are parked or waiting for a retry.</summary>
    public int Open => _bySeq.Values.Count(IsOpen);

    public ParkedOrder? Find(long seq) => _bySeq.GetValueOrDefault(seq);

    /// <summary>The next order an operator asked to retry (lowest seq first), or null.</summary>
    public ParkedOrder? NextRetry() => _retrying.Count == 0 ? null : _bySeq[_retrying.Min];

    public IEnumerable<ParkedOrder> Matching(ParkedFilter filter) => _bySeq.Values.Where(filter.Matches);

    /// <summary>Parks (or parks again, after a failed retry) an order.</summary>
    public void Park(ParkedOrder order) => Put(order with { State = ParkedState.Parked, SettledAt = null });

    /// <summary>Which of <paramref name="seqs"/> (null: all) can be retried now: parked ones, not archived or delivered.</summary>
    public IReadOnlyList<long> Retriable(IReadOnlyCollection<long>? seqs) => Of(seqs, p => p.State == ParkedState.Parked);

    /// <summary>Which of <paramref name="seqs"/> (null: all) can be archived: parked or waiting for a retry.</summary>
    public IReadOnlyList<long> Archivable(IReadOnlyCollection<long>? seqs) => Of(seqs, IsOpen);

    public void Retry(IEnumerable<long> seqs)
    {
        foreach (var seq in seqs)
            if (_bySeq.TryGetValue(seq, out var p) && p.State == ParkedState.Parked) Put(p with { State = ParkedState.Retrying });
    }

    public void Archive(IEnumerable<long> seqs, DateTimeOffset at)
    {
        foreach (var seq in seqs)
            if (_bySeq.TryGetValue(seq, out var p) && IsOpen(p)) Put(p with { State = ParkedState.Archived, SettledAt = at });
    }

    /// <summary>The order was confirmed by the receiver (a retry, or a replay of the queue over it).</summary>
    public void Delivered(long seq, DateTimeOffset at, int attempts)
    {
        if (_bySeq.TryGetValue(seq, out var p) && p.State != ParkedState.Delivered)
            Put(p with { State = ParkedState.Delivered, SettledAt = at, Attempts = p.Attempts + attempts });
    }

    /// <summary>A replay delivered the queue again up to <paramref name="upTo"/>: every parked order in that stretch is delivered now.</summary>
    public void DeliveredThrough(long after, long upTo, DateTimeOffset at)
    {
        // the queue's own pushes only ever deliver past every parked order: nothing to look at
        if (_maxSeq <= after) return;
        foreach (var p in _bySeq.Values.Where(p => p.Seq > after && p.Seq <= upTo && p.State != ParkedState.Delivered).ToList())
            Put(p with { State = ParkedState.Delivered, SettledAt = at });
    }

    public void Restore(IEnumerable<ParkedOrder> orders)
    {
        _bySeq.Clear();
        _retrying.Clear();
        _maxSeq = 0;
        foreach (var p in orders) Put(p);
    }

    private static bool IsOpen(ParkedOrder p) => p.State is ParkedState.Parked or ParkedState.Retrying;

    private IReadOnlyList<long> Of(IReadOnlyCollection<long>? seqs, Func<ParkedOrder, bool> can) =>
        seqs is null
            ? _bySeq.Values.Where(can).Select(p => p.Seq).ToList()
            : seqs.Distinct().Order().Where(seq => _bySeq.TryGetValue(seq, out var p) && can(p)).ToList();

    private void Put(ParkedOrder order)
    {
        _bySeq[order.Seq] = order;
        _maxSeq = Math.Max(_maxSeq, order.Seq);
        if (order.State == ParkedState.Retrying) _retrying.Add(order.Seq);
        else _retrying.Remove(order.Seq);
    }
}
