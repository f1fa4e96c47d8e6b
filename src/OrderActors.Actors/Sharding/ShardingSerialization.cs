using System.Text.Json.Serialization;
using OrderActors.Actors.Serialization;

namespace OrderActors.Actors.Sharding;

/// <summary>The serializer rows of the messages every sharded entity takes.</summary>
public static class ShardingSerialization
{
    private static readonly ShardingJsonContext Json = ShardingJsonContext.Default;

    public static readonly SerializationRows Rows = SerializationRows.Of(
        new JsonRow(typeof(Wake), "w", Json.Wake),
        new JsonRow(typeof(StopEntity), "stop", Json.StopEntity));
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, UseStringEnumConverter = true)]
[JsonSerializable(typeof(Wake))]
[JsonSerializable(typeof(StopEntity))]
internal sealed partial class ShardingJsonContext : JsonSerializerContext;
