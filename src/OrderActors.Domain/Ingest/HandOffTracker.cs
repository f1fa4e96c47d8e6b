using OrderActors.Domain.Orders;

namespace OrderActors.Domain.Ingest;

/// <summary>What to do when a hand-off's confirmation timer fires.</summary>
public enum HandOffTimeoutVerdict
{
    /// <summary>The timer is for a hand-off that is already complete: nothing to do.</summary>
    Stale,
    /// <summary>Every unit queue still waited for holds it (its backlog is at its bound): back-pressure, not a fault; send it again quietly.</summary>
    Held,
    /// <summary>The router or a unit queue did not answer: send it again, and say so.</summary>
    Unconfirmed,
}

/// <summary>
/// The one hand-off a first queue has in flight to its unit queues, as a state machine without actors. Hand-offs
/// go one at a time so that each unit queue gets the first queue's orders in sequence. A hand-off is complete
/// once the router has said which unit queues it went to (the plan) and every one of them confirmed it; a unit
/// queue at its backlog bound answers "held" instead, and the hand-off is sent again until it is confirmed.
/// </summary>
public sealed class HandOffTracker
{
    private HandOff? _current;

    /// <summary>The hand-off in flight, if any.</summary>
    public HandOff? Current => _current;

    /// <summary>Starts a hand-off of <paramref name="orders"/> (offset order); its id is the offset of the last one.</summary>
    public HandOff Start(IReadOnlyList<AcceptedOrder> orders)
    {
        if (_current is not null) throw new InvalidOperationException($"hand-off {_current.Id} is still in flight");
        _current = new HandOff(orders[^1].Offset, orders);
        return _current;
    }

    /// <summary>Marks a (re)send of the current hand-off: its plan and holds are asked for again.</summary>
    public HandOff Resend()
    {
        var handOff = _current ?? throw new InvalidOperationException("no hand-off in flight");
        handOff.Plan = null;
        handOff.Held.Clear();
        handOff.Attempts++;
        return handOff;
    }

    /// <summary>The router's plan arrived; true when that completes the hand-off.</summary>
    public bool Planned(long handOffId, IReadOnlyList<string> targets)
    {
        if (!IsCurrent(handOffId)) return false;
        _current!.Plan = targets;
        return IsComplete;
    }

    /// <summary>A unit queue confirmed; true when that completes the hand-off.</summary>
    public bool Confirmed(long handOffId, string unitQueue)
    {
        if (!IsCurrent(handOffId)) return false;
        _current!.Confirmed.Add(unitQueue);
        return IsComplete;
    }

    /// <summary>A unit queue holds the hand-off until its backlog drains.</summary>
    public void Held(long handOffId, string unitQueue)
    {
        if (IsCurrent(handOffId)) _current!.Held.Add(unitQueue);
    }

    /// <summary>The confirmation timer of <paramref name="handOffId"/> fired: what it means, and whom it still waits for (null: the router).</summary>
    public (HandOffTimeoutVerdict Verdict, IReadOnlyList<string>? WaitingFor) TimedOut(long handOffId)
    {
        if (!IsCurrent(handOffId)) return (HandOffTimeoutVerdict.Stale, null);
        var handOff = _current!;
        var waitingFor = handOff.Plan?.Where(t => !handOff.Confirmed.Contains(t)).ToList();
        return waitingFor is not null && waitingFor.All(handOff.Held.Contains)
            ? (HandOffTimeoutVerdict.Held, waitingFor)
            : (HandOffTimeoutVerdict.Unconfirmed, waitingFor);
    }

    /// <summary>Ends the complete hand-off and returns its id: the orders up to that offset are handed on.</summary>
    public long Complete()
    {
        if (!IsComplete) throw new InvalidOperationException("the hand-off in flight is not complete");
        var id = _current!.Id;
        _current = null;
        return id;
    }

    private bool IsCurrent(long handOffId) => _current is not null && _current.Id == handOffId;

    private bool IsComplete => _current is { Plan: { } plan } handOff && plan.All(handOff.Confirmed.Contains);

    public sealed class HandOff(long id, IReadOnlyList<AcceptedOrder> orders)
    {
        /// <summary>The offset of the last order in the hand-off: its id.</summary>
        public long Id { get; } = id;
        public IReadOnlyList<AcceptedOrder> Orders { get; } = orders;
        /// <summary>The unit queues the router sent it to (null: not known yet).</summary>
        public IReadOnlyList<string>? Plan { get; internal set; }
        public HashSet<string> Confirmed { get; } = new(StringComparer.Ordinal);
        /// <summary>Unit queues that hold it until their backlog drains.</summary>
        public HashSet<string> Held { get; } = new(StringComparer.Ordinal);
        /// <summary>How many times it was sent (0 before the first send).</summary>
        public int Attempts { get; internal set; }
    }
}

/// <summary>
/// When a first queue stores its hand-off marker (the offset up to which its units confirmed the hand-off). The marker
/// only shortens the orders handed on again after a restart (units dedupe what they already have), so it is stored once per
/// <paramref name="every"/> confirmed orders, and a while after hand-off catches up, not at every confirmation:
/// under light load every hand-off catches up, and a marker for each would double the first queue's writes.
/// </summary>
public sealed class HandOffMarkerPolicy(int every)
{
    /// <summary>The offset of the latest marker stored (or recovered).</summary>
    public long Stored { get; set; }

    /// <summary>After a confirmation up to <paramref name="deliveredUpTo"/>: store the marker now?</summary>
    public bool StoreNow(long deliveredUpTo) => deliveredUpTo - Stored >= every;

    /// <summary>Takes a marker at <paramref name="deliveredUpTo"/>; false when there is nothing new to store.</summary>
    public bool Take(long deliveredUpTo)
    {
        if (deliveredUpTo <= Stored) return false;
        Stored = deliveredUpTo;
        return true;
    }
}
