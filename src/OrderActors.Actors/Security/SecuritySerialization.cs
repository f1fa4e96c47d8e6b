using System.Text.Json.Serialization;
using OrderActors.Actors.Serialization;
using static OrderActors.Actors.Security.SecurityProtocol;

namespace OrderActors.Actors.Security;

/// <summary>The serializer rows of the key store's messages, events and snapshot.</summary>
public static class SecuritySerialization
{
    private static readonly SecurityJsonContext Json = SecurityJsonContext.Default;

    public static readonly SerializationRows Rows = SerializationRows.Of(
        new JsonRow(typeof(AddKey), "ska", Json.AddKey),
        new JsonRow(typeof(RevokeKey), "skr", Json.RevokeKey),
        new JsonRow(typeof(KeyRevokeResult), "skrr", Json.KeyRevokeResult),
        new JsonRow(typeof(GetKeys), "skg", Json.GetKeys),
        new JsonRow(typeof(KeysState), "sks", Json.KeysState),
        new JsonRow(typeof(KeysUnchanged), "sku", Json.KeysUnchanged),
        new JsonRow(typeof(KeyAdded), "skae", Json.KeyAdded),
        new JsonRow(typeof(KeyRevoked), "skre", Json.KeyRevoked),
        new JsonRow(typeof(KeysSnapshot), "sksn", Json.KeysSnapshot));
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(AddKey))]
[JsonSerializable(typeof(RevokeKey))]
[JsonSerializable(typeof(KeyRevokeResult))]
[JsonSerializable(typeof(GetKeys))]
[JsonSerializable(typeof(KeysState))]
[JsonSerializable(typeof(KeysUnchanged))]
[JsonSerializable(typeof(KeyAdded))]
[JsonSerializable(typeof(KeyRevoked))]
[JsonSerializable(typeof(KeysSnapshot))]
internal sealed partial class SecurityJsonContext : JsonSerializerContext;
