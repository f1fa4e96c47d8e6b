using System.Text.Json.Serialization;
using OrderActors.Actors.Delivery;
using OrderActors.Domain.Delivery;
using OrderActors.Domain.Routing;

namespace OrderActors.Node.Delivery;

public sealed record AckBody(long? UpTo);

public sealed record AckResponse(string Unit, int Queue, long DeliveredUpTo);

/// <summary>A unit's delivery settings as the admin API takes and shows them (secrets masked when shown).</summary>
public sealed record DeliverySettingsBody(string? Mode, string? Url, IReadOnlyList<string>? Secrets, int? Batch, string? Timeout,
    string? OnFailure, int? MaxAttempts, string? MaxAge, double? RateLimit);

public sealed record DeliverySettingsView(string Unit, string Mode, string? Url, IReadOnlyList<string>? Secrets, int Batch, string Timeout,
    string OnFailure, int MaxAttempts, string? MaxAge, double RateLimit, long Version,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] PauseView? Paused = null)
{
    public static DeliverySettingsView From(DeliveryProtocol.UnitDelivery d)
    {
        var s = d.Settings;
        var masked = s.Masked();
        return new(d.Unit, s.Mode == DeliveryMode.Webhook ? "webhook" : "pull", masked.Url, masked.Secrets, s.Batch, Durations.Format(s.RequestTimeout),
            s.OnFailure == FailurePolicy.Park ? "park" : "block", s.MaxAttempts, s.MaxAge is { } age ? Durations.Format(age) : null, s.RateLimit,
            d.Version, d.Paused is { } p ? new PauseView(p.Reason, p.ByReceiver ? "receiver" : "operator", p.At) : null);
    }
}

/// <summary>Why a unit's delivery is paused, by whom (<c>operator</c>, or <c>receiver</c> after a 410 Gone) and since when.</summary>
public sealed record PauseView(string Reason, string By, DateTimeOffset At);

public sealed record PauseBody(string? Reason);

public sealed record ReplayBody(long? From);

public sealed record ReplayResponse(string Unit, int Queue, long DeliveredUpTo);

/// <summary>Parked orders to retry or archive: the given deliveryIds of the unit, or (none given) all of its parked orders.</summary>
public sealed record ParkedActionBody(string? Unit, IReadOnlyList<string>? DeliveryIds);

/// <summary>What a retry or an archive applied to, and which of the ids given it could not (not parked, or not found).</summary>
public sealed record ParkedActionResponse(string Unit, IReadOnlyList<string> Applied, IReadOnlyList<string> Skipped);

/// <summary>A parked order, as operators list it.</summary>
public sealed record ParkedView(string Unit, int Queue, long Seq, string DeliveryId, string OrderId, string State, int? Status, string Error,
    int Attempts, DateTimeOffset FirstAttemptAt, DateTimeOffset ParkedAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DateTimeOffset? SettledAt = null)
{
    public static ParkedView From(UnitQueueAddress queue, ParkedOrder p) => new(queue.Unit, queue.Queue, p.Seq, DeliveredOrder.DeliveryIdOf(queue, p.Seq),
        p.OrderId, p.State.ToString().ToLowerInvariant(), p.Status, p.Error, p.Attempts, p.FirstAttemptAt, p.ParkedAt, p.SettledAt);
}

/// <summary>Business progress on an order, as a downstream system reports it.</summary>
public sealed record StatusBody(string? Status, DateTimeOffset? At, string? Reference, string? Note);

/// <summary>One step of an order's business progress in a unit, as the order view shows it.</summary>
public sealed record StatusView(string Status, DateTimeOffset At, DateTimeOffset ReceivedAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Reference = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Note = null)
{
    public static StatusView From(BusinessStatus s) => new(s.Status, s.At, s.ReceivedAt, s.Reference, s.Note);
}

public sealed record StatusResponse(string Unit, int Queue, long Seq, string OrderId, IReadOnlyList<StatusView> History);

/// <summary>One unit queue's delivery; <see cref="ModeApplied"/> is false while a change of mode is on its way to the queue.</summary>
public sealed record QueueDeliveryView(string Unit, int Queue, string Mode, bool ModeApplied, long DeliveredUpTo, long ProcessedSeq, long Lag,
    long? InFlightUpTo, int Attempts, string? LastError, DateTimeOffset? LastDeliveredAt, string? Paused, double? LagSeconds = null, int Parked = 0,
    DateTimeOffset? NextAttemptAt = null);

