using OrderActors.Domain.Routing;

namespace OrderActors.Domain.Delivery;

/// <summary>
/// An order that has waited too long at a unit: where it waits (the unit queue and its seq), since when (its
/// acceptance; for a parked order, its first delivery attempt), and why, in words an operator can act on.
/// </summary>
public sealed record StuckOrder(string OrderId, string Unit, int Queue, long Seq, DateTimeOffset WaitingSince, DateTimeOffset? AcceptedAt,
    DateTimeOffset? ProcessedAt, string Reason, string? LastError = null);

/// <summary>What a unit queue's delivery is doing, as the finder reads it.</summary>
/// <param name="InFlightUpTo">the last seq of the webhook request on its way (null: none)</param>
/// <param name="Paused">why the queue's pushing is paused (null: it is not)</param>
public sealed record QueueDelivery(UnitQueueAddress Queue, DeliveryMode Mode, long DeliveredUpTo, long ProcessedSeq, long? InFlightUpTo,
    string? Paused, string? LastError, DateTimeOffset? LastDeliveredAt, DateTimeOffset? NextAttemptAt);

/// <summary>Finds the orders of a unit queue not delivered after a given age, and says why each waits.</summary>
public static class StuckOrders
{
    /// <param name="undelivered">the queue's processed orders after its cursor, in seq order</param>
    /// <param name="parked">its parked orders (parked or being retried)</param>
    /// <param name="cutoff">orders waiting since before this are stuck</param>
    public static IEnumerable<StuckOrder> Of(QueueDelivery q, IEnumerable<DeliveredOrder> undelivered, IEnumerable<ParkedOrder> parked,
        DateTimeOffset cutoff)
    {
        var (unit, queue) = (q.Queue.Unit, q.Queue.Queue);
        foreach (var p in parked.Where(p => p.State is ParkedState.Parked or ParkedState.Retrying && p.FirstAttemptAt <= cutoff))
            yield return new StuckOrder(p.OrderId, unit, queue, p.Seq, p.FirstAttemptAt, null, null,
                p.State == ParkedState.Retrying
                    ? $"parked, and being sent again: {p.Error}"
                    : $"parked after {p.Attempts} attempt{(p.Attempts == 1 ? "" : "s")}: {p.Error} (retry or archive it: POST /api/admin/parked/retry)",
                p.Error);
        foreach (var order in undelivered)
        {
            if (order.Seq <= q.DeliveredUpTo || order.AcceptedAt > cutoff) continue;
            yield return new StuckOrder(order.OrderId, unit, queue, order.Seq, order.AcceptedAt, order.AcceptedAt, order.ProcessedAt,
                Why(q, order.Seq), q.Mode == DeliveryMode.Webhook ? q.LastError : null);
        }
    }

    /// <summary>Why the order at <paramref name="seq"/> of the queue is not delivered yet.</summary>
    public static string Why(QueueDelivery q, long seq)
    {
        var name = q.Queue.EntityId;
        var ahead = seq - q.DeliveredUpTo - 1;
        if (q.Mode == DeliveryMode.Pull)
            return $"no consumer has acked it: {name}'s consumer acked up to seq {q.DeliveredUpTo}" +
                   (q.LastDeliveredAt is { } at ? $", last at {at:yyyy-MM-ddTHH:mm:ssZ}" : ", never yet") + " (pull: the consumer reads the feed and acks)";
        if (q.Paused is { } paused) return $"{q.Queue.Unit}'s delivery is paused: {paused}";
        if (q.InFlightUpTo is { } upTo && seq <= upTo)
            return q.LastError is { } error
                ? $"retrying: {error}" + (q.NextAttemptAt is { } next ? $", next attempt at {next:yyyy-MM-ddTHH:mm:ssZ}" : "")
                : "on its way to the receiver";
        return q.LastError is { } last
            ? $"behind {ahead} order{(ahead == 1 ? "" : "s")} of {name} its receiver has not taken ({last})"
            : $"behind {ahead} order{(ahead == 1 ? "" : "s")} of {name} still to deliver (a lagging queue)";
    }
}
