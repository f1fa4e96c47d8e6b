using System.Text.Json.Serialization;
using OrderActors.Actors.Serialization;
using OrderActors.Domain.Inventory;
using OrderActors.Domain.Routing;
using static OrderActors.Actors.Routing.RouterProtocol;

namespace OrderActors.Actors.Routing;

/// <summary>The serializer rows of the router's messages (deliveries cross nodes: a first queue and its router need not share one).</summary>
public static class RoutingSerialization
{
    private static readonly RoutingJsonContext Json = RoutingJsonContext.Default;

    public static readonly SerializationRows Rows = SerializationRows.Of(
            new JsonRow(typeof(RouteOrders), "rr", Json.RouteOrders),
            new JsonRow(typeof(RoutePlan), "rp", Json.RoutePlan),
            new JsonRow(typeof(GetRoutingTables), "rtg", Json.GetRoutingTables),
            new JsonRow(typeof(SetRoutingDraft), "rtd", Json.SetRoutingDraft),
            new JsonRow(typeof(RoutingDraftRefused), "rtdr", Json.RoutingDraftRefused),
            new JsonRow(typeof(PublishRouting), "rtp", Json.PublishRouting),
            new JsonRow(typeof(RoutingPublishOutcome), "rtpo", Json.RoutingPublishOutcome),
            new JsonRow(typeof(RoutingTablesState), "rts", Json.RoutingTablesState),
            JsonRow.Stored<RoutingDraftSet, StoredRoutingDraftSet>("rtds", Json.StoredRoutingDraftSet,
                e => new(StoredRoutingDefinition.Store(e.Draft), e.By, e.At), s => new(s.Draft.Load(), s.By, s.At)),
            JsonRow.Stored<RoutingVersionPublished, StoredRoutingVersion>("rtvp", Json.StoredRoutingVersion,
                e => StoredRoutingVersion.Store(e.Version), s => new(s.Load())),
            JsonRow.Stored<RoutingTablesSnapshot, StoredRoutingTablesSnapshot>("rtsn", Json.StoredRoutingTablesSnapshot,
                e => new(e.Draft is { } d ? StoredRoutingDefinition.Store(d) : null, e.Published.Select(StoredRoutingVersion.Store).ToList()),
                s => new(s.Draft?.Load(), s.Published.Select(v => v.Load()).ToList())))
        .WithBinary(
            new BinaryRow(typeof(RouteOrders), "rr.b", (object m, ref BinaryCodec.Writer w) =>
                {
                    var e = (RouteOrders)m;
                    w.Count(e.FirstQueue);
                    w.VarLong((ulong)e.DeliveryId);
                    w.Accepted(e.Orders);
                    w.Batches(e.StoredIn);
                    w.RoutingVersion(e.RoutingVersion);
                },
                (ref BinaryCodec.Reader r) => new RouteOrders(r.Count(), (long)r.VarLong(), r.AcceptedList(), r.Batches(), r.RoutingVersion())));
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, UseStringEnumConverter = true)]
[JsonSerializable(typeof(RouteOrders))]
[JsonSerializable(typeof(RoutePlan))]
[JsonSerializable(typeof(GetRoutingTables))]
[JsonSerializable(typeof(SetRoutingDraft))]
[JsonSerializable(typeof(RoutingDraftRefused))]
[JsonSerializable(typeof(PublishRouting))]
[JsonSerializable(typeof(RoutingPublishOutcome))]
[JsonSerializable(typeof(RoutingTablesState))]
[JsonSerializable(typeof(StoredRoutingDraftSet))]
[JsonSerializable(typeof(StoredRoutingVersion))]
[JsonSerializable(typeof(StoredRoutingTablesSnapshot))]
internal sealed partial class RoutingJsonContext : JsonSerializerContext;

// The stored JSON shape of the routing tables (the admin API's shape of a table): never rename these properties.

public sealed record StoredRoutingUnit(int Queues);

public sealed record StoredRoutingCode(IReadOnlyList<string> Units, string StockEffect, string? Description);

public sealed record StoredRoutingDefinition(IReadOnlyDictionary<string, StoredRoutingUnit> Units, IReadOnlyDictionary<string, StoredRoutingCode> Codes, string UnknownCode)
{
    public static StoredRoutingDefinition Store(RoutingDefinition d) => new(
        d.Units.OrderBy(u => u.Key, StringComparer.Ordinal).ToDictionary(u => u.Key, u => new StoredRoutingUnit(u.Value.Queues)),
        d.Codes.OrderBy(c => c.Key, StringComparer.Ordinal).ToDictionary(c => c.Key,
            c => new StoredRoutingCode(c.Value.Units, StockEffects.Name(c.Value.StockEffect), c.Value.Description)),
        RoutingDefinition.PolicyName(d.UnknownCode));

    public RoutingDefinition Load() => new(
        Units.ToDictionary(u => u.Key, u => new UnitDefinition(u.Value.Queues), StringComparer.Ordinal),
        Codes.ToDictionary(c => c.Key, c => new CodeDefinition(c.Value.Units.ToList(), StockEffects.Parse(c.Value.StockEffect), c.Value.Description), StringComparer.Ordinal),
        Enum.Parse<UnknownCodePolicy>(UnknownCode, ignoreCase: true));
}

public sealed record StoredRoutingDraftSet(StoredRoutingDefinition Draft, string By, DateTimeOffset At);

public sealed record StoredRoutingVersion(int Version, StoredRoutingDefinition Definition, string PublishedBy, DateTimeOffset At, string? Note)
{
    public static StoredRoutingVersion Store(PublishedVersion v) => new(v.Version, StoredRoutingDefinition.Store(v.Definition), v.PublishedBy, v.At, v.Note);

    public PublishedVersion Load() => new(Version, Definition.Load(), PublishedBy, At, Note);
}

public sealed record StoredRoutingTablesSnapshot(StoredRoutingDefinition? Draft, IReadOnlyList<StoredRoutingVersion> Published);
