namespace OrderActors.Domain.Queues;

/// <summary>
/// When a queue entity snapshots. Queues of one kind fill at about the same pace: were they to snapshot at the same
/// positions, their snapshot writes would coincide and stall the journal they share. So each stretches its interval
/// by its own share, from one to almost two times the base interval, picked by its <paramref name="staggerSlot"/>
/// (0–7). A queue whose snapshot carries an index of everything it ever held (a first queue) also grows the
/// interval with its size (<paramref name="growWithSize"/>: at least a quarter of what it holds), so that the
/// snapshots' cost per order stays flat while recovery still replays a bounded share of the journal.
/// </summary>
public sealed class SnapshotSchedule(int every, int staggerSlot, bool growWithSize = false)
{
    private long _lastAt;

    /// <summary>The position of the latest snapshot (restored from it on recovery).</summary>
    public long LastAt
    {
        get => _lastAt;
        set => _lastAt = value;
    }

    /// <summary>Whether a snapshot is due at <paramref name="position"/>, holding <paramref name="size"/> items; if so it counts as taken.</summary>
    public bool Due(long position, long size)
    {
        var baseInterval = growWithSize ? Math.Max(every, size / 4) : every;
        var interval = baseInterval * (8 + staggerSlot % 8) / 8;
        if (position - _lastAt < interval) return false;
        _lastAt = position;
        return true;
    }
}
