using System.Text.Json.Serialization;
using OrderActors.Actors.Serialization;
using OrderActors.Domain.Delivery;
using static OrderActors.Actors.Delivery.DeliveryProtocol;

namespace OrderActors.Actors.Delivery;

/// <summary>The serializer rows of the delivery entities' messages, events and snapshot.</summary>
public static class DeliverySerialization
{
    private static readonly DeliveryJsonContext Json = DeliveryJsonContext.Default;

    public static readonly SerializationRows Rows = SerializationRows.Of(
        new JsonRow(typeof(Ack), "da", Json.Ack),
        new JsonRow(typeof(AckResult), "dar", Json.AckResult),
        new JsonRow(typeof(GetDelivered), "dg", Json.GetDelivered),
        new JsonRow(typeof(Delivered), "dgr", Json.Delivered),
        new JsonRow(typeof(OrdersDelivered), "dd", Json.OrdersDelivered),
        new JsonRow(typeof(OrdersDeliveredTogether), "ddt", Json.OrdersDeliveredTogether),
        new JsonRow(typeof(DeliverySnapshot), "dsn", Json.DeliverySnapshot),
        new JsonRow(typeof(GetUnitDelivery), "dug", Json.GetUnitDelivery),
        new JsonRow(typeof(SetUnitDelivery), "dus", Json.SetUnitDelivery),
        new JsonRow(typeof(UnitDelivery), "du", Json.UnitDelivery),
        new JsonRow(typeof(GetDeliveryStatus), "dqg", Json.GetDeliveryStatus),
        new JsonRow(typeof(DeliveryStatus), "dq", Json.DeliveryStatus),
        new JsonRow(typeof(ListParked), "dpl", Json.ListParked),
        new JsonRow(typeof(ParkedList), "dplr", Json.ParkedList),
        new JsonRow(typeof(RetryParked), "dpr", Json.RetryParked),
        new JsonRow(typeof(ArchiveParked), "dpa", Json.ArchiveParked),
        new JsonRow(typeof(ParkedChanged), "dpc", Json.ParkedChanged),
        new JsonRow(typeof(Replay), "drp", Json.Replay),
        new JsonRow(typeof(ReplayResult), "drpr", Json.ReplayResult),
        new JsonRow(typeof(ReportStatus), "dst", Json.ReportStatus),
        new JsonRow(typeof(StatusReported), "dstr", Json.StatusReported),
        new JsonRow(typeof(PauseUnitDelivery), "dup", Json.PauseUnitDelivery),
        new JsonRow(typeof(UnitDeliveryPaused), "dupe", Json.UnitDeliveryPaused),
        new JsonRow(typeof(OrdersParked), "dpe", Json.OrdersParked),
        new JsonRow(typeof(ParkedRetried), "dpre", Json.ParkedRetried),
        new JsonRow(typeof(ParkedArchived), "dpae", Json.ParkedArchived),
        new JsonRow(typeof(ParkedDelivered), "dpde", Json.ParkedDelivered),
        new JsonRow(typeof(DeliveryReplayed), "drpe", Json.DeliveryReplayed),
        new JsonRow(typeof(OrderStatusReported), "dste", Json.OrderStatusReported),
        new JsonRow(typeof(DeliveryAttemptFailed), "dafe", Json.DeliveryAttemptFailed),
        JsonRow.Stored<UnitDeliverySet, StoredUnitDeliverySet>("duset", Json.StoredUnitDeliverySet,
            e => StoredUnitDeliverySet.Store(e), s => s.Load()));
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, UseStringEnumConverter = true)]
[JsonSerializable(typeof(Ack))]
[JsonSerializable(typeof(AckResult))]
[JsonSerializable(typeof(GetDelivered))]
[JsonSerializable(typeof(Delivered))]
[JsonSerializable(typeof(OrdersDelivered))]
[JsonSerializable(typeof(OrdersDeliveredTogether))]
[JsonSerializable(typeof(DeliverySnapshot))]
[JsonSerializable(typeof(GetUnitDelivery))]
[JsonSerializable(typeof(SetUnitDelivery))]
[JsonSerializable(typeof(UnitDelivery))]
[JsonSerializable(typeof(GetDeliveryStatus))]
[JsonSerializable(typeof(DeliveryStatus))]
[JsonSerializable(typeof(ListParked))]
[JsonSerializable(typeof(ParkedList))]
[JsonSerializable(typeof(RetryParked))]
[JsonSerializable(typeof(ArchiveParked))]
[JsonSerializable(typeof(ParkedChanged))]
[JsonSerializable(typeof(Replay))]
[JsonSerializable(typeof(ReplayResult))]
[JsonSerializable(typeof(ReportStatus))]
[JsonSerializable(typeof(StatusReported))]
[JsonSerializable(typeof(PauseUnitDelivery))]
[JsonSerializable(typeof(UnitDeliveryPaused))]
[JsonSerializable(typeof(OrdersParked))]
[JsonSerializable(typeof(ParkedRetried))]
[JsonSerializable(typeof(ParkedArchived))]
[JsonSerializable(typeof(ParkedDelivered))]
[JsonSerializable(typeof(DeliveryReplayed))]
[JsonSerializable(typeof(OrderStatusReported))]
[JsonSerializable(typeof(DeliveryAttemptFailed))]
[JsonSerializable(typeof(StoredUnitDeliverySet))]
internal sealed partial class DeliveryJsonContext : JsonSerializerContext;

/// <summary>
/// A unit's delivery settings as stored (never rename these properties). The secrets are stored with them: keep the
/// journal's database as private as the secrets themselves.
/// </summary>
public sealed record StoredUnitDeliverySet(string Unit, long Version, string Mode, string? Url, IReadOnlyList<string>? Secrets, int Batch,
    long? TimeoutMs, string OnFailure, int MaxAttempts, long? MaxAgeMs, double RateLimit)
{
    public static StoredUnitDeliverySet Store(UnitDeliverySet e)
    {
        var s = e.Settings;
        return new(e.Unit, e.Version, s.Mode == DeliveryMode.Webhook ? "webhook" : "pull", s.Url, s.Secrets, s.Batch,
            (long?)s.Timeout?.TotalMilliseconds, s.OnFailure == FailurePolicy.Park ? "park" : "block", s.MaxAttempts,
            (long?)s.MaxAge?.TotalMilliseconds, s.RateLimit);
    }

    public UnitDeliverySet Load() => new(Unit, new UnitDeliverySettings(
        Mode == "webhook" ? DeliveryMode.Webhook : DeliveryMode.Pull, Url, Secrets, Batch,
        TimeoutMs is { } t ? TimeSpan.FromMilliseconds(t) : null, OnFailure == "park" ? FailurePolicy.Park : FailurePolicy.Block,
        MaxAttempts, MaxAgeMs is { } a ? TimeSpan.FromMilliseconds(a) : null, RateLimit), Version);
}
