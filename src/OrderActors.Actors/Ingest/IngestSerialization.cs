using System.Text.Json.Serialization;
using OrderActors.Actors.Serialization;
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
            new JsonRow(typeof(OrdersAccepted), "ia", Json.OrdersAccepted),
            new JsonRow(typeof(DeliveryConfirmed), "idc", Json.DeliveryConfirmed),
            new JsonRow(typeof(IngestSnapshot), "isn", Json.IngestSnapshot, Large: true))
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
[JsonSerializable(typeof(OrdersAccepted))]
[JsonSerializable(typeof(DeliveryConfirmed))]
[JsonSerializable(typeof(IngestSnapshot))]
internal sealed partial class IngestJsonContext : JsonSerializerContext;
