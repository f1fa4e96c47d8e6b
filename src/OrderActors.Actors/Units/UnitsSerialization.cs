using System.Text.Json.Serialization;
using OrderActors.Actors.Serialization;
using OrderActors.Domain.Units;
using static OrderActors.Actors.Units.UnitProtocol;

namespace OrderActors.Actors.Units;

/// <summary>The serializer rows of the unit queues' messages, events and snapshots.</summary>
public static class UnitsSerialization
{
    private static readonly UnitsJsonContext Json = UnitsJsonContext.Default;

    public static readonly SerializationRows Rows = SerializationRows.Of(
            new JsonRow(typeof(EnqueueOrders), "ue", Json.EnqueueOrders),
            new JsonRow(typeof(OrdersEnqueued), "uea", Json.OrdersEnqueued),
            new JsonRow(typeof(OrdersHeld), "ueh", Json.OrdersHeld),
            new JsonRow(typeof(GetUnitOrderStatus), "ugo", Json.GetUnitOrderStatus),
            new JsonRow(typeof(UnitOrderStatus), "uos", Json.UnitOrderStatus),
            new JsonRow(typeof(GetFeed), "ugf", Json.GetFeed),
            new JsonRow(typeof(FeedPage), "ufp", Json.FeedPage),
            new JsonRow(typeof(GetUnitStats), "ugs", Json.GetUnitStats),
            new JsonRow(typeof(UnitQueueStats), "ust", Json.UnitQueueStats),
            new JsonRow(typeof(DeliveryProgress), "udp", Json.DeliveryProgress),
            JsonRow.Stored<OrdersQueued, StoredOrdersQueued>("uq", Json.StoredOrdersQueued,
                e => new(StoredOrders.Store(e.Entries)), s => new(StoredOrders.Load(s.Entries))),
            new JsonRow(typeof(OrdersProcessed), "up", Json.OrdersProcessed),
            JsonRow.Stored<OrderRefsQueued, StoredOrderRefsQueued>("uqr", Json.StoredOrderRefsQueued,
                e => new(StoredQueuedRefs.Store(e.Refs)), s => new(s.Refs.Load())),
            JsonRow.Stored<UnitQueueSnapshot, StoredUnitQueueSnapshot>("usn", Json.StoredUnitQueueSnapshot,
                e => new(StoredUnitQueueState.Store(e.State)), s => new(s.State.Load()), large: true))
        .WithBinary(
            new BinaryRow(typeof(OrdersQueued), "uq.b",
                (object m, ref BinaryCodec.Writer w) => w.Entries(((OrdersQueued)m).Entries),
                (ref BinaryCodec.Reader r) => new OrdersQueued(r.Entries())),
            new BinaryRow(typeof(OrderRefsQueued), "uqr.b",
                (object m, ref BinaryCodec.Writer w) => w.Refs(((OrderRefsQueued)m).Refs),
                (ref BinaryCodec.Reader r) => new OrderRefsQueued(r.Refs())),
            new BinaryRow(typeof(UnitQueueSnapshot), "usn.b",
                (object m, ref BinaryCodec.Writer w) => w.UnitState(((UnitQueueSnapshot)m).State),
                (ref BinaryCodec.Reader r) => new UnitQueueSnapshot(r.UnitState())),
            new BinaryRow(typeof(EnqueueOrders), "ue.b", (object m, ref BinaryCodec.Writer w) =>
                {
                    var e = (EnqueueOrders)m;
                    w.String(e.EntityId);
                    w.Count(e.SourceQueue);
                    w.VarLong((ulong)e.DeliveryId);
                    w.Accepted(e.Orders);
                    w.Batches(e.StoredIn);
                    w.RoutingVersion(e.RoutingVersion);
                },
                (ref BinaryCodec.Reader r) => new EnqueueOrders(r.String(), r.Count(), (long)r.VarLong(), r.AcceptedList(), r.Batches(), r.RoutingVersion())));
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, UseStringEnumConverter = true)]
[JsonSerializable(typeof(EnqueueOrders))]
[JsonSerializable(typeof(OrdersEnqueued))]
[JsonSerializable(typeof(OrdersHeld))]
[JsonSerializable(typeof(GetUnitOrderStatus))]
[JsonSerializable(typeof(UnitOrderStatus))]
[JsonSerializable(typeof(GetFeed))]
[JsonSerializable(typeof(FeedPage))]
[JsonSerializable(typeof(GetUnitStats))]
[JsonSerializable(typeof(UnitQueueStats))]
[JsonSerializable(typeof(DeliveryProgress))]
[JsonSerializable(typeof(StoredOrdersQueued))]
[JsonSerializable(typeof(OrdersProcessed))]
[JsonSerializable(typeof(StoredOrderRefsQueued))]
[JsonSerializable(typeof(StoredUnitQueueSnapshot))]
internal sealed partial class UnitsJsonContext : JsonSerializerContext;

// The stored JSON shape of the unit queues' entries and snapshots (see StoredOrders): never rename these properties.

public sealed record StoredOrdersQueued(IReadOnlyList<StoredFeedEntry> Entries);

public sealed record StoredUnitQueueSnapshot(StoredUnitQueueState State);

public sealed record StoredOrderRefsQueued(StoredQueuedRefs Refs);

/// <param name="RoutingVersion">null: version 1 (left out, as events written before versions were recorded)</param>
public sealed record StoredQueuedRefs(long FirstSeq, DateTimeOffset QueuedAt, DateTimeOffset? ProcessedAt, IReadOnlyList<OrderRef> Orders, int? RoutingVersion = null)
{
    public static StoredQueuedRefs Store(QueuedRefs r) => new(r.FirstSeq, r.QueuedAt, r.ProcessedAt, r.Orders, r.RoutingVersion == 1 ? null : r.RoutingVersion);

    public QueuedRefs Load() => new(FirstSeq, QueuedAt, ProcessedAt, Orders, RoutingVersion ?? 1);
}

public sealed record StoredSourceEvents(int FirstQueue, IReadOnlyList<long> FirstOffsets, IReadOnlyList<long> LastOffsets, IReadOnlyList<long> SequenceNrs);

public sealed record StoredProcessedMark(long UpTo, DateTimeOffset At);

public sealed record StoredUnitQueueState(
    long LastSeq,
    long ProcessedSeq,
    long? InProgressFrom,
    long? InProgressTo,
    long TailStart,
    IReadOnlyList<StoredFeedEntry> Tail,
    IReadOnlyDictionary<int, long> RecordedUpTo,
    IReadOnlyList<long> EventFirstSeqs,
    IReadOnlyList<long> EventSequenceNrs,
    IReadOnlyList<StoredSourceEvents> BySource,
    IReadOnlyList<StoredProcessedMark> Marks)
{
    public static StoredUnitQueueState Store(UnitQueueState s) => new(s.LastSeq, s.ProcessedSeq, s.InProgressFrom, s.InProgressTo, s.TailStart,
        StoredOrders.Store(s.Tail), s.RecordedUpTo, s.EventFirstSeqs, s.EventSequenceNrs,
        s.BySource.Select(b => new StoredSourceEvents(b.FirstQueue, b.FirstOffsets, b.LastOffsets, b.SequenceNrs)).ToList(),
        s.Marks.Select(m => new StoredProcessedMark(m.UpTo, m.At)).ToList());

    public UnitQueueState Load() => new(LastSeq, ProcessedSeq, InProgressFrom, InProgressTo, TailStart,
        StoredOrders.Load(Tail), RecordedUpTo, EventFirstSeqs, EventSequenceNrs,
        BySource.Select(b => new SourceEvents(b.FirstQueue, b.FirstOffsets, b.LastOffsets, b.SequenceNrs)).ToList(),
        Marks.Select(m => new ProcessedMark(m.UpTo, m.At)).ToList());
}
