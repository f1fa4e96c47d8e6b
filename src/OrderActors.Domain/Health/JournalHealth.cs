namespace OrderActors.Domain.Health;

/// <summary>
/// Whether this node can write its journal, as the last probes found: one failed probe makes it unwritable (a 202
/// must mean durable, so intake stops at the first sign), one that succeeds makes it writable again. Each change
/// is reported once, with the reason and since when.
/// </summary>
public sealed class JournalHealth
{
    private readonly object _gate = new();

    public bool Writable { get; private set; } = true;
    public string? Reason { get; private set; }
    public DateTimeOffset Since { get; private set; } = DateTimeOffset.UtcNow;

    /// <summary>Records a probe's outcome (<paramref name="failure"/> null: it wrote); true when the state changed.</summary>
    public bool Record(string? failure, DateTimeOffset at)
    {
        lock (_gate)
        {
            var writable = failure is null;
            if (writable == Writable && (writable || failure == Reason)) return false;
            var changed = writable != Writable;
            (Writable, Reason) = (writable, failure);
            if (changed) Since = at;
            return changed;
        }
    }

    /// <summary>Seconds a client should wait before trying again: the probe's interval, at least 1.</summary>
    public static int RetryAfterSeconds(TimeSpan probeInterval) => Math.Max(1, (int)Math.Ceiling(probeInterval.TotalSeconds));
}
