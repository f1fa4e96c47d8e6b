using System.Text.Json.Serialization;
using OrderActors.Actors.Serialization;
using static OrderActors.Actors.Catalog.CatalogProtocol;

namespace OrderActors.Actors.Catalog;

/// <summary>The serializer rows of the catalog's messages, events and snapshot.</summary>
public static class CatalogSerialization
{
    private static readonly CatalogJsonContext Json = CatalogJsonContext.Default;

    public static readonly SerializationRows Rows = SerializationRows.Of(
        new JsonRow(typeof(UpsertCatalog), "cu", Json.UpsertCatalog),
        new JsonRow(typeof(GetCatalog), "cg", Json.GetCatalog),
        new JsonRow(typeof(CatalogChanged), "cc", Json.CatalogChanged),
        new JsonRow(typeof(CatalogUnchanged), "cn", Json.CatalogUnchanged),
        new JsonRow(typeof(CatalogState), "cs", Json.CatalogState));
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, UseStringEnumConverter = true)]
[JsonSerializable(typeof(UpsertCatalog))]
[JsonSerializable(typeof(GetCatalog))]
[JsonSerializable(typeof(CatalogChanged))]
[JsonSerializable(typeof(CatalogUnchanged))]
[JsonSerializable(typeof(CatalogState))]
internal sealed partial class CatalogJsonContext : JsonSerializerContext;
