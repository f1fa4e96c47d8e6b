using System.Text.Json.Serialization;
using OrderActors.Actors.Serialization;
using OrderActors.Domain.Ingest;
using OrderActors.Domain.Routing;
using static OrderActors.Actors.Ingest.IngestProtocol;

namespace OrderActors.Actors.Ingest;

/// <summary>The serializer rows of the first queues' messages, events and snapshots.</summary>
public static class IngestSerialization
{
    private static readonly IngestJsonContext Json = IngestJsonContext.Default;

    public static readonly SerializationRows Rows = SerializationRows.Of(
            new JsonRow(typeof(SubmitOrders), "is", Json.SubmitOrders),
            new JsonRow(typeof(SubmitResults), "isr", Json.SubmitResults),
            new JsonRow(typeof(GetAcceptedOrder), "iga", Json.GetAcceptedOrder),
            new JsonRow(typeof(AcceptedOrderReply), "iar", Json.AcceptedOrderReply),
            new JsonRow(typeof(GetIngestStats), "igs", Json.GetIngestStats),
            new JsonRow(typeof(IngestStats), "ist", Json.IngestStats),
            new JsonRow(typeof(GetRecentOrders), "igr", Json.GetRecentOrders),
            new JsonRow(typeof(RecentOrders), "iro", Json.RecentOrders),
            JsonRow.Stored<OrdersAccepted, StoredOrdersAccepted>("ia", Json.StoredOrdersAccepted,
                e => new(StoredOrders.Store(e.Orders)), s => new(StoredOrders.Load(s.Orders))),
            new JsonRow(typeof(DeliveryConfirmed), "idc", Json.DeliveryConfirmed),
            new JsonRow(typeof(RoutingCutRecorded), "irc", Json.RoutingCutRecorded),
            JsonRow.Stored<IngestSnapshot, StoredIngestSnapshot>("isn", Json.StoredIngestSnapshot,
                e => new(StoredIngestState.Store(e.State), e.Cuts is { Count: > 0 } cuts ? cuts.Select(c => new StoredRoutingCut(c.FromOffset, c.Version)).ToList() : null),
                s => new(s.State.Load(), s.Cuts?.Select(c => new RoutingCut(c.FromOffset, c.Version)).ToList()), large: true))
        .WithBinary(
            new BinaryRow(typeof(OrdersAccepted), "ia.b",
                (object m, ref BinaryCodec.Writer w) => w.Accepted(((OrdersAccepted)m).Orders),
                (ref BinaryCodec.Reader r) => new OrdersAccepted(r.AcceptedList())));
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, UseStringEnumConverter = true)]
[JsonSerializable(typeof(SubmitOrders))]
[JsonSerializable(typeof(SubmitResults))]
[JsonSerializable(typeof(GetAcceptedOrder))]
[JsonSerializable(typeof(AcceptedOrderReply))]
[JsonSerializable(typeof(GetIngestStats))]
[JsonSerializable(typeof(IngestStats))]
[JsonSerializable(typeof(GetRecentOrders))]
[JsonSerializable(typeof(RecentOrders))]
[JsonSerializable(typeof(StoredOrdersAccepted))]
[JsonSerializable(typeof(DeliveryConfirmed))]
[JsonSerializable(typeof(RoutingCutRecorded))]
[JsonSerializable(typeof(StoredIngestSnapshot))]
internal sealed partial class IngestJsonContext : JsonSerializerContext;

// The stored JSON shape of the first queues' orders and snapshots (see StoredOrders): never rename these properties.

public sealed record StoredOrdersAccepted(IReadOnlyList<StoredAcceptedOrder> Orders);

/// <param name="Cuts">where the first queue switched routing versions (left out when it never did)</param>
public sealed record StoredIngestSnapshot(StoredIngestState State, IReadOnlyList<StoredRoutingCut>? Cuts = null);

public sealed record StoredRoutingCut(long FromOffset, int Version);

/// <summary>
/// A first queue's state as stored. Snapshots written before the compact id index carry it as parallel lists
/// (ids, offsets, the two halves of each fingerprint); they are still read.
/// </summary>
public sealed record StoredIngestState(
    long LastOffset,
    long DeliveredUpTo,
    long TailStart,
    IReadOnlyList<StoredAcceptedOrder> Tail,
    IReadOnlyList<long> EventFirstOffsets,
    IReadOnlyList<long> EventSequenceNrs,
    byte[]? Index = null,
    IReadOnlyList<string>? OrderIds = null,
    IReadOnlyList<long>? Offsets = null,
    IReadOnlyList<ulong>? FingerprintsHigh = null,
    IReadOnlyList<ulong>? FingerprintsLow = null)
{
    public static StoredIngestState Store(IngestState s) => new(s.LastOffset, s.DeliveredUpTo, s.TailStart, StoredOrders.Store(s.Tail),
        s.EventFirstOffsets, s.EventSequenceNrs, s.Index, s.OrderIds, s.Offsets, s.FingerprintsHigh, s.FingerprintsLow);

    public IngestState Load() => new(LastOffset, DeliveredUpTo, TailStart, StoredOrders.Load(Tail),
        EventFirstOffsets, EventSequenceNrs, Index, OrderIds, Offsets, FingerprintsHigh, FingerprintsLow);
}
