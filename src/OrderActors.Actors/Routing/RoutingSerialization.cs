using System.Text.Json.Serialization;
using OrderActors.Actors.Serialization;
using static OrderActors.Actors.Routing.RouterProtocol;

namespace OrderActors.Actors.Routing;

/// <summary>The serializer rows of the router's messages (deliveries cross nodes: a first queue and its router need not share one).</summary>
public static class RoutingSerialization
{
    private static readonly RoutingJsonContext Json = RoutingJsonContext.Default;

    public static readonly SerializationRows Rows = SerializationRows.Of(
            new JsonRow(typeof(RouteOrders), "rr", Json.RouteOrders),
            new JsonRow(typeof(RoutePlan), "rp", Json.RoutePlan))
        .WithBinary(
            new BinaryRow(typeof(RouteOrders), "rr.b", (object m, ref BinaryCodec.Writer w) =>
                {
                    var e = (RouteOrders)m;
                    w.Count(e.FirstQueue);
                    w.VarLong((ulong)e.DeliveryId);
                    w.Accepted(e.Orders);
                    w.Batches(e.StoredIn);
                },
                (ref BinaryCodec.Reader r) => new RouteOrders(r.Count(), (long)r.VarLong(), r.AcceptedList(), r.Batches())));
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, UseStringEnumConverter = true)]
[JsonSerializable(typeof(RouteOrders))]
[JsonSerializable(typeof(RoutePlan))]
internal sealed partial class RoutingJsonContext : JsonSerializerContext;
