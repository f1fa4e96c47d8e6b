using OrderActors.Domain.Orders;

namespace OrderActors.Domain.Ingest;

/// <summary>What to do when a delivery's confirmation timer fires.</summary>
public enum DeliveryTimeoutVerdict
{
    /// <summary>The timer is for a delivery that is already complete: nothing to do.</summary>
    Stale,
    /// <summary>Every unit queue still waited for holds it (its backlog is at its bound): back-pressure, not a fault; send it again quietly.</summary>
    Held,
    /// <summary>The router or a unit queue did not answer: send it again, and say so.</summary>
    Unconfirmed,
}

/// <summary>
/// The one delivery a first queue has in flight to its unit queues, as a state machine without actors. Deliveries
/// go one at a time so that each unit queue gets the first queue's orders in sequence. A delivery is complete
/// once the router has said which unit queues it went to (the plan) and every one of them confirmed it; a unit
/// queue at its backlog bound answers "held" instead, and the delivery is sent again until it is confirmed.
/// </summary>
public sealed class DeliveryTracker
{
    private Delivery? _current;

    /// <summary>The delivery in flight, if any.</summary>
    public Delivery? Current => _current;

    /// <summary>Starts a delivery of <paramref name="orders"/> (offset order); its id is the offset of the last one.</summary>
    public Delivery Start(IReadOnlyList<AcceptedOrder> orders)
    {
        if (_current is not null) throw new InvalidOperationException($"delivery {_current.Id} is still in flight");
        _current = new Delivery(orders[^1].Offset, orders);
        return _current;
    }

    /// <summary>Marks a (re)send of the current delivery: its plan and holds are asked for again.</summary>
    public Delivery Resend()
    {
        var delivery = _current ?? throw new InvalidOperationException("no delivery in flight");
        delivery.Plan = null;
        delivery.Held.Clear();
        delivery.Attempts++;
        return delivery;
    }

    /// <summary>The router's plan arrived; true when that completes the delivery.</summary>
    public bool Planned(long deliveryId, IReadOnlyList<string> targets)
    {
        if (!IsCurrent(deliveryId)) return false;
        _current!.Plan = targets;
        return IsComplete;
    }

    /// <summary>A unit queue confirmed; true when that completes the delivery.</summary>
    public bool Confirmed(long deliveryId, string unitQueue)
    {
        if (!IsCurrent(deliveryId)) return false;
        _current!.Confirmed.Add(unitQueue);
        return IsComplete;
    }

    /// <summary>A unit queue holds the delivery until its backlog drains.</summary>
    public void Held(long deliveryId, string unitQueue)
    {
        if (IsCurrent(deliveryId)) _current!.Held.Add(unitQueue);
    }

    /// <summary>The confirmation timer of <paramref name="deliveryId"/> fired: what it means, and whom it still waits for (null: the router).</summary>
    public (DeliveryTimeoutVerdict Verdict, IReadOnlyList<string>? WaitingFor) TimedOut(long deliveryId)
    {
        if (!IsCurrent(deliveryId)) return (DeliveryTimeoutVerdict.Stale, null);
        var delivery = _current!;
        var waitingFor = delivery.Plan?.Where(t => !delivery.Confirmed.Contains(t)).ToList();
        return waitingFor is not null && waitingFor.All(delivery.Held.Contains)
            ? (DeliveryTimeoutVerdict.Held, waitingFor)
            : (DeliveryTimeoutVerdict.Unconfirmed, waitingFor);
    }

    /// <summary>Ends the complete delivery and returns its id: the orders up to that offset are delivered.</summary>
    public long Complete()
    {
        if (!IsComplete) throw new InvalidOperationException("the delivery in flight is not complete");
        var id = _current!.Id;
        _current = null;
        return id;
    }

    private bool IsCurrent(long deliveryId) => _current is not null && _current.Id == deliveryId;

    private bool IsComplete => _current is { Plan: { } plan } delivery && plan.All(delivery.Confirmed.Contains);

    public sealed class Delivery(long id, IReadOnlyList<AcceptedOrder> orders)
    {
        /// <summary>The offset of the last order in the delivery: its id.</summary>
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
/// When a first queue stores its delivery marker (the offset up to which its units confirmed delivery). The marker
/// only shortens redelivery after a restart (units dedupe what they already have), so it is stored once per
/// <paramref name="every"/> confirmed orders, and a while after delivery catches up, not at every confirmation:
/// under light load every delivery catches up, and a marker for each would double the first queue's writes.
/// </summary>
public sealed class DeliveryMarkerPolicy(int every)
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
