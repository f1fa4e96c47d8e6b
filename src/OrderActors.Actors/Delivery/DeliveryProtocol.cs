using OrderActors.Actors.Serialization;
using System.Text.Json.Serialization;
using OrderActors.Actors.Sharding;
using OrderActors.Domain.Delivery;

namespace OrderActors.Actors.Delivery;

/// <summary>
/// Messages of the delivery entities: one per unit queue (addressed by <see cref="DeliveryQueueId.EntityId"/>, the
/// unit queue's own id), holding how far its downstream system has confirmed the queue's orders.
/// </summary>
public static class DeliveryProtocol
{
    // --- commands and replies -------------------------------------------------------------------

    /// <summary>A pull consumer confirms every order up to <see cref="UpTo"/>; the unit queue has processed up to <see cref="ProcessedSeq"/>.</summary>
    public sealed record Ack(string EntityId, long UpTo, long ProcessedSeq) : IEntityMessage;

    public sealed record AckResult(string EntityId, AckOutcome Outcome, long DeliveredUpTo) : IOrderActorsMessage;

    /// <summary>When the order at <see cref="Seq"/> was delivered, and the queue's cursor.</summary>
    public sealed record GetDelivered(string EntityId, long Seq) : IEntityMessage;

    /// <summary>The order's delivery: when it was confirmed (null: not yet), its attempts, its parked entry, the business progress reported.</summary>
    /// <param name="Waiting">why an order not delivered yet waits, when its queue's pushing is failing or held (null otherwise)</param>
    /// <param name="Failed">the kept failed webhook attempts of the requests that carried it</param>
    public sealed record Delivered(string EntityId, long Seq, DateTimeOffset? At, long DeliveredUpTo, int Attempts = 0,
        ParkedOrder? Parked = null, IReadOnlyList<BusinessStatus>? History = null, string? Waiting = null,
        IReadOnlyList<FailedAttempt>? Failed = null) : IOrderActorsMessage;

    /// <summary>The parked orders of the queue that match <see cref="Filter"/>.</summary>
    public sealed record ListParked(string EntityId, ParkedFilter Filter) : IEntityMessage;

    public sealed record ParkedList(string EntityId, IReadOnlyList<ParkedOrder> Orders) : IOrderActorsMessage;

    /// <summary>Sends the given parked orders again (null: every parked order of the queue).</summary>
    public sealed record RetryParked(string EntityId, IReadOnlyList<long>? Seqs) : IEntityMessage;

    /// <summary>Sets the given parked orders aside for good (null: every parked order of the queue).</summary>
    public sealed record ArchiveParked(string EntityId, IReadOnlyList<long>? Seqs) : IEntityMessage;

    /// <summary>The parked orders a retry or an archive applied to.</summary>
    public sealed record ParkedChanged(string EntityId, IReadOnlyList<long> Seqs) : IOrderActorsMessage;

    /// <summary>An operator's replay of the queue from <see cref="From"/> (webhook: delivered again; pull: the cursor moves back).</summary>
    public sealed record Replay(string EntityId, long From) : IEntityMessage;

    public sealed record ReplayResult(string EntityId, bool Done, long DeliveredUpTo) : IOrderActorsMessage;

    /// <summary>The downstream system reports business progress on the order at <see cref="Seq"/>.</summary>
    public sealed record ReportStatus(string EntityId, long Seq, BusinessStatus Status) : IEntityMessage;

    /// <summary>The order's business progress, with the report just stored.</summary>
    public sealed record StatusReported(string EntityId, long Seq, IReadOnlyList<BusinessStatus> History) : IOrderActorsMessage;

    /// <summary>The delivery settings of every unit: one entity, <see cref="SettingsEntityId"/>.</summary>
    public const string SettingsEntityId = "delivery-settings";

    /// <summary>Changes to a unit's settings are published on this topic to every node's delivery entities.</summary>
    public const string SettingsTopic = "orderactors-delivery-settings";

    public sealed record GetUnitDelivery(string Unit) : IEntityMessage
    {
        string IEntityMessage.EntityId => SettingsEntityId;
    }

    public sealed record SetUnitDelivery(string Unit, UnitDeliverySettings Settings) : IEntityMessage
    {
        string IEntityMessage.EntityId => SettingsEntityId;
    }

    /// <summary>A unit's delivery settings (from HOCON until changed at runtime), at <see cref="Version"/> (0: never changed).</summary>
    public sealed record UnitDelivery(string Unit, UnitDeliverySettings Settings, long Version, UnitPause? Paused = null) : IOrderActorsMessage;

    /// <summary>
    /// Pauses (reason set) or resumes (null) a unit's webhook delivery; <see cref="ByReceiver"/>: a 410 Gone paused it,
    /// and a change of settings resumes it too.
    /// </summary>
    public sealed record PauseUnitDelivery(string Unit, string? Reason, bool ByReceiver = false) : IEntityMessage
    {
        string IEntityMessage.EntityId => SettingsEntityId;
    }

    /// <summary>Why and since when a unit's delivery is paused.</summary>
    public sealed record UnitPause(string Reason, bool ByReceiver, DateTimeOffset At);

    /// <summary>What the delivery of one unit queue is doing, for operators.</summary>
    public sealed record GetDeliveryStatus(string EntityId) : IEntityMessage;

    public sealed record DeliveryStatus(string EntityId, DeliveryMode Mode, long DeliveredUpTo, long? InFlightUpTo, int Attempts,
        string? LastError, DateTimeOffset? LastDeliveredAt, string? Paused, int Parked = 0, DateTimeOffset? NextAttemptAt = null) : IOrderActorsMessage;

    // --- persisted events and snapshot ----------------------------------------------------------

    /// <summary>An event a delivery entity stores about its queue (applied by <see cref="DeliveryEvents.Apply"/>).</summary>
    public interface IDeliveryEvent : IOrderActorsMessage;

    /// <summary>A unit's delivery settings were changed at runtime (the settings entity's event).</summary>
    public sealed record UnitDeliverySet(string Unit, UnitDeliverySettings Settings, long Version) : IOrderActorsMessage;

    /// <summary>A unit's delivery was paused (reason set) or resumed (the settings entity's event).</summary>
    public sealed record UnitDeliveryPaused(string Unit, string? Reason, bool ByReceiver, long Version, DateTimeOffset At) : IOrderActorsMessage;

    /// <summary>
    /// Every order of the queue up to <see cref="UpTo"/> was confirmed by the downstream system at <see cref="At"/>,
    /// after <see cref="Attempts"/> attempts of the webhook request (0: a pull consumer's ack; written by earlier builds).
    /// </summary>
    public sealed record OrdersDelivered(long UpTo, DateTimeOffset At,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] int Attempts = 0) : IDeliveryEvent
    {
        public static OrdersDelivered Of(DeliveredMark mark) => new(mark.UpTo, mark.At, mark.Attempts);

        public DeliveredMark ToMark() => new(UpTo, At, Attempts);
    }

    /// <summary>
    /// Several confirmations of webhook requests, stored together, in the order they came (each as
    /// <see cref="OrdersDelivered"/> would store it alone).
    /// </summary>
    public sealed record OrdersDeliveredTogether(IReadOnlyList<OrdersDelivered> Marks) : IDeliveryEvent;

    /// <summary>Orders were parked (the queue goes on past them), or parked again after a failed retry.</summary>
    public sealed record OrdersParked(IReadOnlyList<ParkedOrder> Orders) : IDeliveryEvent;

    /// <summary>An operator asked for these parked orders to be sent again.</summary>
    public sealed record ParkedRetried(IReadOnlyList<long> Seqs, DateTimeOffset At) : IDeliveryEvent;

    /// <summary>An operator set these parked orders aside for good.</summary>
    public sealed record ParkedArchived(IReadOnlyList<long> Seqs, DateTimeOffset At) : IDeliveryEvent;

    /// <summary>A parked order sent again was confirmed by the receiver.</summary>
    public sealed record ParkedDelivered(long Seq, DateTimeOffset At, int Attempts) : IDeliveryEvent;

    /// <summary>An operator replayed the queue from <see cref="From"/>: the cursor moved back to <c>From − 1</c>.</summary>
    public sealed record DeliveryReplayed(long From, DateTimeOffset At) : IDeliveryEvent;

    /// <summary>Business progress the downstream system reported on the order at <see cref="Seq"/>.</summary>
    public sealed record OrderStatusReported(long Seq, BusinessStatus Status) : IDeliveryEvent;

    /// <summary>A webhook attempt did not deliver (stored for the orders' traces; only failures are, off the hot path).</summary>
    public sealed record DeliveryAttemptFailed(FailedAttempt Attempt) : IDeliveryEvent;

    /// <summary>
    /// The queue's delivery state: every delivered mark, and (from this build on) the cursor, the parked orders and the
    /// reported progress. A snapshot of an earlier build has only the marks: its cursor is the last mark.
    /// </summary>
    public sealed record DeliverySnapshot(IReadOnlyList<OrdersDelivered> Marks,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? Cursor = null,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<ParkedOrder>? Parked = null,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<OrderStatusReported>? History = null,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<FailedAttempt>? Failed = null) : IOrderActorsMessage;
}
