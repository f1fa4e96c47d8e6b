using OrderActors.Domain.Orders;

namespace OrderActors.Domain.Queues;

/// <summary>
/// When a persistent entity snapshots: every <paramref name="every"/> positions (events, or a queue's entries). Entities
/// of one kind fill at about the same pace: were they to snapshot at the same positions, their snapshot writes would
/// coincide and stall the journal they share. So each stretches its interval by its own share, from one to almost two
/// times the base interval, picked by its <paramref name="staggerSlot"/> (0–7; <see cref="For"/> takes it from the
/// entity's persistence id). An entity whose snapshot carries an index of everything it ever held (a first queue) also
/// grows the interval with its size (<paramref name="growWithSize"/>: at least a quarter of what it holds), so that the
/// snapshots' cost per order stays flat while recovery still replays a bounded share of the journal.
/// </summary>
public sealed class SnapshotSchedule(int every, int staggerSlot, bool growWithSize = false)
{
    private long _lastAt;

    /// <summary>
    /// The schedule of the entity <paramref name="persistenceId"/>. <paramref name="stagger"/>: false for an entity
    /// that has no others of its kind filling beside it (the catalog, the key directory) or whose snapshot is small.
    /// </summary>
    public static SnapshotSchedule For(string persistenceId, int every, bool stagger = true, bool growWithSize = false) =>
        new(every, stagger ? (int)(QueueAssignment.Fnv1a(persistenceId) % 8) : 0, growWithSize);

    /// <summary>The position of the latest snapshot (restored from it on recovery).</summary>
    public long LastAt
    {
        get => _lastAt;
        set => _lastAt = value;
    }

    /// <summary>Whether a snapshot is due at <paramref name="position"/>, holding <paramref name="size"/> items; if so it counts as taken.</summary>
    public bool Due(long position, long size = 0)
    {
        if (position - _lastAt < Interval(size)) return false;
        _lastAt = position;
        return true;
    }

    /// <summary>
    /// Recovery ended at <paramref name="position"/>: the schedule goes on from its last due position, so that a snapshot
    /// that failed, or events stored after the latest snapshot, do not bring the next one forward.
    /// </summary>
    public void Recovered(long position, long size = 0) => _lastAt = Math.Max(_lastAt, position - position % Interval(size));

    private long Interval(long size)
    {
        var baseInterval = growWithSize ? Math.Max(every, size / 4) : every;
        return baseInterval * (8 + staggerSlot % 8) / 8;
    }
}
