namespace OrderActors.Domain.Queues;

/// <summary>
/// Reads of a queue that wait for new entries (long-polls), each with its own id for its timer, without actors. Bounded:
/// past <paramref name="max"/> a read is not kept waiting but answered at once with what there is.
/// </summary>
public sealed class LongPolls<T>(int max)
{
    private readonly List<(long Id, T Poll)> _waiting = new();
    private long _last;

    public int Count => _waiting.Count;

    /// <summary>Keeps the read waiting; its id, or null when the bound is reached.</summary>
    public long? Add(T poll)
    {
        if (_waiting.Count >= max) return null;
        _waiting.Add((++_last, poll));
        return _last;
    }

    /// <summary>Takes the read with this id (its wait is over), if it still waits.</summary>
    public bool TryTake(long id, out T poll)
    {
        var i = _waiting.FindIndex(w => w.Id == id);
        poll = i < 0 ? default! : _waiting[i].Poll;
        if (i >= 0) _waiting.RemoveAt(i);
        return i >= 0;
    }

    /// <summary>Takes every read for which <paramref name="ready"/> holds, oldest first.</summary>
    public IReadOnlyList<(long Id, T Poll)> TakeWhere(Func<T, bool> ready)
    {
        if (_waiting.Count == 0) return [];
        var taken = new List<(long, T)>();
        _waiting.RemoveAll(w =>
        {
            if (!ready(w.Poll)) return false;
            taken.Add(w);
            return true;
        });
        return taken;
    }
}
