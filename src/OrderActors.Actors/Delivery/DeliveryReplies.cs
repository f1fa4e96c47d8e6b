using OrderActors.Domain.Delivery;
using static OrderActors.Actors.Delivery.DeliveryProtocol;

namespace OrderActors.Actors.Delivery;

/// <summary>What a delivery entity answers about its queue, from its durable state and its push.</summary>
public static class DeliveryReplies
{
    /// <param name="journalProblem">why this node's journal cannot be written now (null: it can)</param>
    /// <param name="stored">whether an order's confirmation is stored: an order is shown delivered once it is</param>
    public static Delivered DeliveredOf(this QueueDeliveryState state, string entityId, long seq, WebhookPusher pusher, string? journalProblem,
        Func<long, bool> stored)
    {
        var d = state.Of(seq, pusher.InFlight, stored);
        var waiting = d.DeliveredAt is null && d.Parked is null ? pusher.Waiting(journalProblem) : null;
        return new Delivered(entityId, seq, d.DeliveredAt, state.Cursor.DeliveredUpTo, d.Attempts, d.Parked, d.History, waiting,
            state.Failed.Of(seq) is { Count: > 0 } failed ? failed : null);
    }

    public static DeliveryStatus StatusOf(this QueueDeliveryState state, string entityId, WebhookPusher pusher, string? journalProblem)
    {
        var cursor = state.Cursor;
        return new DeliveryStatus(entityId, pusher.Settings.Mode, cursor.DeliveredUpTo, pusher.InFlight?.LastSeq, pusher.InFlight?.Attempts ?? 0,
            pusher.LastError, cursor.Marks.Count > 0 ? cursor.Marks[^1].At : null, pusher.PauseReason(journalProblem), state.Parked.Open,
            pusher.NextAttemptAt);
    }
}
