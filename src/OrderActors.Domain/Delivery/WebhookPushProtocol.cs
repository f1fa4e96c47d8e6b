using OrderActors.Domain.Routing;
using OrderActors.Domain.Units;

namespace OrderActors.Domain.Delivery;

/// <summary>What a queue's webhook push is told: by its actor, its timers, its feed reads and its attempts.</summary>
public abstract record PushEvent
{
    /// <summary>Look whether there is something to send (a wake, a journal recheck, an operator's change stored).</summary>
    public sealed record Kick : PushEvent;

    /// <summary>The unit's delivery settings at <paramref name="Version"/>; <paramref name="Paused"/>: why it is paused, if it is.</summary>
    public sealed record SettingsChanged(UnitDeliverySettings Settings, string? Paused, long Version) : PushEvent;

    public sealed record PageRead(IReadOnlyList<FeedEntry> Entries) : PushEvent;

    public sealed record FeedTimedOut : PushEvent;

    /// <summary>An attempt of request <paramref name="RequestId"/> got <paramref name="Status"/> (null: no answer).</summary>
    public sealed record AttemptDone(string RequestId, int? Status, TimeSpan? RetryAfter, string? Error) : PushEvent;

    public sealed record RetryDue(string RequestId) : PushEvent;

    /// <summary>An operator's replay is stored: the push starts over from the cursor.</summary>
    public sealed record Replayed : PushEvent;

    /// <summary>The confirmation or the store the push asked for last is applied: on to the next request.</summary>
    public sealed record Applied : PushEvent;
}

/// <summary>What the push asks its actor to do. A <see cref="Confirm"/> or a store is always the last effect of a step.</summary>
public abstract record PushEffect
{
    /// <summary>Read the unit queue's feed after <paramref name="After"/>, waiting up to <paramref name="Wait"/> for orders.</summary>
    public sealed record ReadFeed(long After, int Limit, TimeSpan Wait) : PushEffect;

    /// <summary>Send one attempt of the batch to the receiver, with these settings.</summary>
    public sealed record Send(WebhookBatch Batch, UnitDeliverySettings Settings) : PushEffect;

    public sealed record ScheduleRetry(string RequestId, TimeSpan After) : PushEffect;

    public sealed record CancelRetry : PushEffect;

    /// <summary>Tell the push again after this long (the journal could not be written).</summary>
    public sealed record RecheckJournal(TimeSpan After) : PushEffect;

    /// <summary>The receiver has the orders up to the mark (those of <paramref name="Batch"/>): apply it now, store it with the next confirmations; then <see cref="PushEvent.Applied"/>.</summary>
    public sealed record Confirm(DeliveredMark Mark, WebhookBatch Batch) : PushEffect;

    /// <summary>Store that a parked order sent again was confirmed; then <see cref="PushEvent.Applied"/>.</summary>
    public sealed record StoreParkedDelivered(long Seq, DateTimeOffset At, int Attempts) : PushEffect;

    /// <summary>Store the orders as parked; then <see cref="PushEvent.Applied"/>.</summary>
    public sealed record StorePark(IReadOnlyList<ParkedOrder> Orders) : PushEffect;

    /// <summary>The receiver answered 410 Gone: pause the unit's delivery with this reason.</summary>
    public sealed record PauseUnit(string Reason) : PushEffect;

    public sealed record Log(bool Warning, string Text) : PushEffect;
}

/// <summary>The queue's durable state as the push reads it, and the time of the step.</summary>
/// <param name="JournalProblem">why the journal cannot be written now (null: it can)</param>
public readonly record struct PushView(long Cursor, ParkedOrders Parked, string? JournalProblem, DateTimeOffset Now);

/// <summary>One webhook request's orders and its stable <c>webhook-id</c>; a retry sends the same orders under the same id.</summary>
public sealed record WebhookBatch(string Id, long FirstSeq, long LastSeq, IReadOnlyList<FeedEntry> Entries)
{
    public static WebhookBatch Of(UnitQueueAddress queue, IReadOnlyList<FeedEntry> entries) =>
        new($"{queue.Unit}:{queue.Queue}:{entries[0].Seq}-{entries[^1].Seq}", entries[0].Seq, entries[^1].Seq, entries);
}
