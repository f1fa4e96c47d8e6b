using System.Text.Json.Serialization;
using OrderActors.Actors.Serialization;
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
        new JsonRow(typeof(DeliverySnapshot), "dsn", Json.DeliverySnapshot));
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, UseStringEnumConverter = true)]
[JsonSerializable(typeof(Ack))]
[JsonSerializable(typeof(AckResult))]
[JsonSerializable(typeof(GetDelivered))]
[JsonSerializable(typeof(Delivered))]
[JsonSerializable(typeof(OrdersDelivered))]
[JsonSerializable(typeof(DeliverySnapshot))]
internal sealed partial class DeliveryJsonContext : JsonSerializerContext;
