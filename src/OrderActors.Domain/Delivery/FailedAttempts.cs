namespace OrderActors.Domain.Delivery;

/// <summary>
/// One webhook attempt that did not deliver, as stored: the request's orders (<paramref name="FromSeq"/> to
/// <paramref name="ToSeq"/>), when it was sent, the receiver's status (null: no answer), what went wrong, and how long
/// the receiver took. A successful attempt needs no record of its own: its confirmation is the delivered mark.
/// </summary>
public sealed record FailedAttempt(long FromSeq, long ToSeq, DateTimeOffset At, int? Status, string Error, int DurationMs);

/// <summary>A queue's latest failed attempts, for the orders' traces: at most <paramref name="kept"/>, the oldest dropped first.</summary>
public sealed class FailedAttempts(int kept)
{
    private readonly Queue<FailedAttempt> _attempts = new();

    public IReadOnlyCollection<FailedAttempt> All => _attempts;

    public void Add(FailedAttempt attempt)
    {
        _attempts.Enqueue(attempt);
        while (_attempts.Count > Math.Max(1, kept)) _attempts.Dequeue();
    }

    public void Restore(IEnumerable<FailedAttempt> attempts)
    {
        _attempts.Clear();
        foreach (var attempt in attempts) Add(attempt);
    }

    /// <summary>The kept failed attempts of the requests that carried the order at <paramref name="seq"/>, oldest first.</summary>
    public IReadOnlyList<FailedAttempt> Of(long seq) => _attempts.Where(a => a.FromSeq <= seq && seq <= a.ToSeq).ToList();
}
