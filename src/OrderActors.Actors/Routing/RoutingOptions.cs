using Akka.Configuration;
using OrderActors.Actors.Configuration;
using OrderActors.Domain.Inventory;
using OrderActors.Domain.Routing;

namespace OrderActors.Actors.Routing;

/// <summary>
/// The configured routing table (patent claim 3), read from <c>orderactors.routing</c> (<c>hocon/routing.hocon</c>):
/// the business units with their queue counts, each code with the units it selects, its stock effect and description,
/// and what an unknown code gets. It is version 1, live until a first version is published
/// (<see cref="RoutingTablesActor"/>; its options are <see cref="RoutingTablesOptions"/>).
/// </summary>
public sealed record RoutingOptions(RoutingDefinition Configured)
{
    /// <summary>The matcher of the configured table (version 1).</summary>
    public RoutingTable Table { get; } = Configured.ToTable(1);

    public static RoutingOptions From(Config config)
    {
        var routing = HoconSection.Of(config, "orderactors.routing");
        var units = routing.Section("units");
        var codes = routing.Section("codes");
        var definition = new RoutingDefinition(
            units.Names().ToDictionary(u => u, u => new UnitDefinition(units.Section(u).Int("queues", 1)), StringComparer.Ordinal),
            codes.Names().ToDictionary(c => c, c =>
            {
                var entry = codes.Section(c);
                return new CodeDefinition(entry.StringList("units"), EffectOf(entry), entry.Has("description") ? entry.String("description") : null);
            }, StringComparer.Ordinal),
            routing.Has("unknown-code") ? PolicyOf(routing) : UnknownCodePolicy.Reject);
        if (definition.UnknownCode == UnknownCodePolicy.Quarantine)
            throw routing.Invalid("unknown-code", RoutingVersions.QuarantineNotOffered.Reason);
        if (definition.Validate() is [var first, ..] errors)
            throw new ConfigurationException($"{routing.Path}.{first.Field} {first.Reason}" + (errors.Count > 1 ? $" (and {errors.Count - 1} more)" : ""));
        return new RoutingOptions(definition);
    }

    private static StockEffect EffectOf(HoconSection code)
    {
        try
        {
            return StockEffects.Parse(code.Has("stock-effect") ? code.String("stock-effect") : "none");
        }
        catch (ArgumentException e)
        {
            throw code.Invalid("stock-effect", e.Message);
        }
    }

    private static UnknownCodePolicy PolicyOf(HoconSection routing) =>
        RoutingDefinition.TryParsePolicy(routing.String("unknown-code"), out var policy)
            ? policy
            : throw routing.Invalid("unknown-code", $"must be reject or quarantine (got '{routing.String("unknown-code")}')");
}

/// <summary>The routing tables' options, read from <c>orderactors.routing-tables</c> (defaults in <c>hocon/orderactors.hocon</c>).</summary>
public sealed record RoutingTablesOptions
{
    /// <summary>Each node asks the routing tables entity this often (a publish is also pushed at once).</summary>
    public required TimeSpan SyncInterval { get; init; }

    /// <summary>The routing tables entity snapshots every this many changes.</summary>
    public required int SnapshotEvery { get; init; }

    public static RoutingTablesOptions From(Config config)
    {
        var tables = HoconSection.Of(config, "orderactors").Section("routing-tables");
        return new RoutingTablesOptions
        {
            SyncInterval = tables.Duration("sync-interval", TimeSpan.FromMilliseconds(10)),
            SnapshotEvery = tables.Int("snapshot-every", 1),
        };
    }
}
