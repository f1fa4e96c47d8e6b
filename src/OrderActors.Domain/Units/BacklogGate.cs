namespace OrderActors.Domain.Units;

/// <summary>
/// The bound on a unit queue's backlog (orders recorded and not processed yet), as a state machine without
/// actors. At the bound, a delivery with new orders is held, not recorded: the gate keeps the latest copy from
/// each first queue (one delivery is in flight per first queue, and it is sent again until confirmed), and lets
/// them go one at a time once the backlog is below the bound. Its first queues, whose deliveries are not
/// confirmed meanwhile, fill up and intake answers 429: an overload stops at the door instead of in memory.
/// </summary>
public sealed class BacklogGate<TDelivery>(int maxBacklog)
{
    private readonly Dictionary<int, TDelivery> _held = new();

    public int MaxBacklog => maxBacklog;

    /// <summary>Set when holding starts; cleared once nothing is held and the backlog is down to half the bound.</summary>
    public bool Overloaded { get; private set; }

    public int HeldCount => _held.Count;

    /// <summary>Whether a delivery with new orders must be held at backlog <paramref name="depth"/>.</summary>
    public bool MustHold(long depth) => depth >= maxBacklog;

    /// <summary>Holds the latest copy from first queue <paramref name="source"/>; true when this starts an overload.</summary>
    public bool Hold(int source, TDelivery delivery)
    {
        _held[source] = delivery;
        if (Overloaded) return false;
        Overloaded = true;
        return true;
    }

    /// <summary>A delivery from <paramref name="source"/> is being recorded: an older copy held from it is answered by that write.</summary>
    public void Forget(int source) => _held.Remove(source);

    /// <summary>After the backlog changed to <paramref name="depth"/>: whether the overload just ended, and whether a held delivery may go now.</summary>
    public (bool Recovered, bool Release) Changed(long depth)
    {
        var recovered = false;
        if (Overloaded && _held.Count == 0 && depth < maxBacklog / 2)
        {
            Overloaded = false;
            recovered = true;
        }
        return (recovered, _held.Count > 0 && depth < maxBacklog);
    }

    /// <summary>Takes the next held delivery to record, if there is room at backlog <paramref name="depth"/>; it is no longer held.</summary>
    public bool TryTakeNext(long depth, out TDelivery delivery)
    {
        delivery = default!;
        if (_held.Count == 0 || depth >= maxBacklog) return false;
        (var source, delivery) = _held.First();
        _held.Remove(source);
        return true;
    }
}
