using System.Text.Json.Serialization;
using OrderActors.Actors.Serialization;
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
            new JsonRow(typeof(OrdersQueued), "uq", Json.OrdersQueued),
            new JsonRow(typeof(OrdersProcessed), "up", Json.OrdersProcessed),
            new JsonRow(typeof(UnitQueueSnapshot), "usn", Json.UnitQueueSnapshot, Large: true))
        .WithBinary(
            new BinaryRow(typeof(OrdersQueued), "uq.b",
                (object m, ref BinaryCodec.Writer w) => w.Entries(((OrdersQueued)m).Entries),
                (ref BinaryCodec.Reader r) => new OrdersQueued(r.Entries())),
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
                },
                (ref BinaryCodec.Reader r) => new EnqueueOrders(r.String(), r.Count(), (long)r.VarLong(), r.AcceptedList())));
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
[JsonSerializable(typeof(OrdersQueued))]
[JsonSerializable(typeof(OrdersProcessed))]
[JsonSerializable(typeof(UnitQueueSnapshot))]
internal sealed partial class UnitsJsonContext : JsonSerializerContext;
