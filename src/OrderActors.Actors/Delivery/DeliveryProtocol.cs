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

    public sealed record Delivered(string EntityId, long Seq, DateTimeOffset? At, long DeliveredUpTo) : IOrderActorsMessage;

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
    public sealed record UnitDelivery(string Unit, UnitDeliverySettings Settings, long Version) : IOrderActorsMessage;

    /// <summary>What the delivery of one unit queue is doing, for operators.</summary>
    public sealed record GetDeliveryStatus(string EntityId) : IEntityMessage;

    public sealed record DeliveryStatus(string EntityId, DeliveryMode Mode, long DeliveredUpTo, long? InFlightUpTo, int Attempts,
        string? LastError, DateTimeOffset? LastDeliveredAt, string? Paused) : IOrderActorsMessage;

    // --- persisted events and snapshot ----------------------------------------------------------

    /// <summary>A unit's delivery settings were changed at runtime (the settings entity's event).</summary>
    public sealed record UnitDeliverySet(string Unit, UnitDeliverySettings Settings, long Version) : IOrderActorsMessage;

    /// <summary>Every order of the queue up to <see cref="UpTo"/> was confirmed by the downstream system at <see cref="At"/>.</summary>
    public sealed record OrdersDelivered(long UpTo, DateTimeOffset At) : IOrderActorsMessage;

    /// <summary>The queue's delivery state: every delivered mark.</summary>
    public sealed record DeliverySnapshot(IReadOnlyList<OrdersDelivered> Marks) : IOrderActorsMessage;
}
