using OrderActors.Domain.Inventory;
using OrderActors.Domain.Routing;

namespace OrderActors.Node.Routing;

// The shapes of docs/API.md for the routing table and its versions.

/// <summary><c>GET /api/routing</c>: the live table, as the matcher sees it (each unit with its codes).</summary>
public sealed record RoutingResponse(int Version, IReadOnlyDictionary<string, RoutingUnit> Units);

public sealed record RoutingUnit(IReadOnlyList<string> Codes, int Queues);

public sealed record RoutingTableUnit(int Queues);

public sealed record RoutingTableCode(IReadOnlyList<string> Units, string StockEffect, string? Description);

/// <summary>A routing table as people edit it: the draft's shape (PUT and GET), and each version's table.</summary>
public sealed record RoutingTableBody(IReadOnlyDictionary<string, RoutingTableUnit> Units, IReadOnlyDictionary<string, RoutingTableCode> Codes, string UnknownCode)
{
    public static RoutingTableBody From(RoutingDefinition d) => new(
        d.Units.OrderBy(u => u.Key, StringComparer.Ordinal).ToDictionary(u => u.Key, u => new RoutingTableUnit(u.Value.Queues)),
        d.Codes.OrderBy(c => c.Key, StringComparer.Ordinal).ToDictionary(c => c.Key,
            c => new RoutingTableCode(c.Value.Units, StockEffects.Name(c.Value.StockEffect), c.Value.Description)),
        RoutingDefinition.PolicyName(d.UnknownCode));
}

/// <summary>One version in the list: who published it, when, why, and whether it is the live one.</summary>
public sealed record RoutingVersionSummary(int Version, string PublishedBy, DateTimeOffset? At, string? Note, bool Live, int Units, int Codes)
{
    public static RoutingVersionSummary From(PublishedVersion v, int live) =>
        new(v.Version, v.PublishedBy, AtOf(v), v.Note, v.Version == live, v.Definition.Units.Count, v.Definition.Codes.Count);

    /// <summary>Version 1 as configured has no time (it was never published): null.</summary>
    public static DateTimeOffset? AtOf(PublishedVersion v) => v.At == DateTimeOffset.MinValue ? null : v.At;
}

/// <summary>One version with its table.</summary>
public sealed record RoutingVersionView(int Version, string PublishedBy, DateTimeOffset? At, string? Note, bool Live, RoutingTableBody Table)
{
    public static RoutingVersionView From(PublishedVersion v, int live) =>
        new(v.Version, v.PublishedBy, RoutingVersionSummary.AtOf(v), v.Note, v.Version == live, RoutingTableBody.From(v.Definition));
}

/// <summary>
/// <c>POST /api/admin/routing/preview</c>: the table to try (a <see cref="Version"/>, the <see cref="Draft"/>, or a
/// <see cref="Table"/> given whole; the draft when none is named) on the last <see cref="Last"/> accepted orders, or
/// those accepted since <see cref="Since"/>.
/// </summary>
public sealed record PreviewBody(int? Version, bool? Draft, System.Text.Json.JsonElement? Table, int? Last, DateTimeOffset? Since);

/// <summary>A preview's answer: what was tried against which live version, on how many orders, and what it would do.</summary>
public sealed record RoutingPreviewView(string Table, int LiveVersion, bool Complete, long TookMs, RoutingPreview Preview);

/// <summary><c>POST /api/admin/routing/test</c>'s answer: where one order would go, under which version (or the draft).</summary>
public sealed record RoutingTestView(string OrderId, string BusinessCode, int FirstQueue, string Table, bool Routed, IReadOnlyList<UnitQueueAddressView> Units, string? Detail);

public sealed record UnitQueueAddressView(string Unit, int Queue);

/// <summary>One first queue's switches of routing version: from each cut's offset on, its orders go by that version.</summary>
public sealed record FirstQueueCuts(int Queue, long LastOffset, int Version, IReadOnlyList<RoutingCutView> Cuts);

public sealed record RoutingCutView(long FromOffset, int Version);

/// <summary><c>POST /api/admin/routing/publish</c>: the version the caller saw live, and why it publishes.</summary>
public sealed record PublishBody(int? ExpectedVersion, string? Note);

public sealed record MovedCodeView(string Code, IReadOnlyList<string> From, IReadOnlyList<string> To);

public sealed record ChangedStockEffectView(string Code, string From, string To);

public sealed record UnknownCodeChangeView(string From, string To);

/// <summary>What changes from one table to another (<c>from</c>/<c>to</c>: a version number, or <c>draft</c>).</summary>
public sealed record RoutingDiffView(string From, string To, IReadOnlyList<string> UnitsAdded, IReadOnlyList<string> UnitsRemoved,
    IReadOnlyList<string> CodesAdded, IReadOnlyList<string> CodesRemoved, IReadOnlyList<MovedCodeView> CodesMoved,
    IReadOnlyList<ChangedStockEffectView> StockEffectsChanged, UnknownCodeChangeView? UnknownCodeChanged, bool Empty)
{
    public static RoutingDiffView Of(string from, string to, RoutingDiff d) => new(from, to, d.UnitsAdded, d.UnitsRemoved, d.CodesAdded, d.CodesRemoved,
        d.CodesMoved.Select(m => new MovedCodeView(m.Code, m.From, m.To)).ToList(),
        d.StockEffectsChanged.Select(c => new ChangedStockEffectView(c.Code, StockEffects.Name(c.From), StockEffects.Name(c.To))).ToList(),
        d.UnknownCodeChanged is { } change ? new UnknownCodeChangeView(RoutingDefinition.PolicyName(change.From), RoutingDefinition.PolicyName(change.To)) : null,
        d.IsEmpty);
}
