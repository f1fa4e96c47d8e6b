namespace OrderActors.Node.Ingest;

/// <summary>One order this node refused: when, its id (when it could be read), the status and why.</summary>
public sealed record Rejection(DateTimeOffset At, string? OrderId, int Status, string Reason, string Detail);

/// <summary>
/// The last orders this node's intake refused, newest first, for the operator page: a bounded ring
/// (<c>orderactors.ingest.recent-rejections</c>), written by every request thread, read by the page.
/// </summary>
public sealed class RecentRejections(int capacity)
{
    private readonly Rejection?[] _ring = new Rejection?[Math.Max(1, capacity)];
    private long _next;

    public void Add(Rejection rejection)
    {
        var slot = Interlocked.Increment(ref _next) - 1;
        Volatile.Write(ref _ring[slot % _ring.Length], rejection);
    }

    /// <summary>Up to <paramref name="count"/> of the latest, newest first.</summary>
    public IReadOnlyList<Rejection> Latest(int count)
    {
        var last = Volatile.Read(ref _next);
        var taken = new List<Rejection>(Math.Min(count, _ring.Length));
        for (var i = last - 1; i >= 0 && i >= last - _ring.Length && taken.Count < count; i--)
            if (Volatile.Read(ref _ring[i % _ring.Length]) is { } r) taken.Add(r);
        return taken;
    }
}
