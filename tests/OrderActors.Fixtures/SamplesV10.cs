using OrderActors.Actors.Routing;
using OrderActors.Domain.Inventory;
using OrderActors.Domain.Routing;

namespace OrderActors.Fixtures;

/// <summary>
/// The values of the v10 golden fixtures (<c>tests/fixtures/messages/v10</c>): the routing tables entity's draft, its
/// published versions (the configured table frozen as version 1 by the first publish, then a version that adds a CRM
/// unit and moves a code) and its snapshot. Written by the build of 2026-12-07 that added them. Frozen, as v1–v9 are.
/// </summary>
public static class SamplesV10
{
    public const string Version = "v10";

    private static readonly DateTimeOffset At = new(2026, 12, 7, 22, 30, 5, 250, TimeSpan.Zero);

    public static RoutingDefinition Configured { get; } = new(
        new Dictionary<string, UnitDefinition> { ["erp"] = new(4), ["wms"] = new(4) },
        new Dictionary<string, CodeDefinition>
        {
            ["B2C"] = new(["erp", "wms"], StockEffect.Ship, "consumer sale, ships from stock"),
            ["PRESALE"] = new(["erp"], StockEffect.None, "pre-order, nothing ships yet"),
            ["RETURN"] = new(["erp", "wms"], StockEffect.Restock, null),
        });

    public static RoutingDefinition WithCrm { get; } = new(
        new Dictionary<string, UnitDefinition> { ["crm"] = new(2), ["erp"] = new(4), ["wms"] = new(4) },
        new Dictionary<string, CodeDefinition>
        {
            ["B2C"] = new(["erp", "wms", "crm"], StockEffect.Ship, "consumer sale, ships from stock"),
            ["PRESALE"] = new(["crm"], StockEffect.None, "pre-order: the CRM takes it now"),
            ["RETURN"] = new(["erp", "wms"], StockEffect.Restock, null),
            ["WEB-ÜBER"] = new(["erp"], StockEffect.None, "a code with a dash and a non-ASCII letter"),
        },
        UnknownCodePolicy.Quarantine);

    public static PublishedVersion Version1 { get; } = new(1, Configured, RoutingVersions.ConfiguredBy, At, null);

    public static PublishedVersion Version2 { get; } = new(2, WithCrm, "ops-key", At.AddSeconds(1), "connect the CRM");

    public static readonly Type[] PersistedTypes =
        [typeof(RouterProtocol.RoutingDraftSet), typeof(RouterProtocol.RoutingVersionPublished), typeof(RouterProtocol.RoutingTablesSnapshot)];

    public static IReadOnlyList<(string Name, object Message)> All { get; } =
    [
        ("routing-draft-set", new RouterProtocol.RoutingDraftSet(WithCrm, "ops-key", At)),
        ("routing-version-1", new RouterProtocol.RoutingVersionPublished(Version1)),
        ("routing-version-2", new RouterProtocol.RoutingVersionPublished(Version2)),
        ("routing-tables-snapshot", new RouterProtocol.RoutingTablesSnapshot(Configured, [Version1, Version2])),
        ("routing-tables-snapshot-no-draft", new RouterProtocol.RoutingTablesSnapshot(null, [])),
    ];
}
