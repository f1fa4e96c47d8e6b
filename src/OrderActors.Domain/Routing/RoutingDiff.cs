using OrderActors.Domain.Inventory;

namespace OrderActors.Domain.Routing;

/// <summary>A code whose units differ between two definitions: where it went before and where it goes now.</summary>
public sealed record MovedCode(string Code, IReadOnlyList<string> From, IReadOnlyList<string> To);

/// <summary>A code whose stock effect differs between two definitions.</summary>
public sealed record ChangedStockEffect(string Code, StockEffect From, StockEffect To);

/// <summary>
/// What changes from one routing definition to another: units added and removed, codes added (with their units),
/// removed, moved to other units, and stock effects changed; and whether the unknown-code policy changes. Each list
/// is in name order, so two diffs of the same definitions are equal.
/// </summary>
public sealed record RoutingDiff(
    IReadOnlyList<string> UnitsAdded,
    IReadOnlyList<string> UnitsRemoved,
    IReadOnlyList<string> CodesAdded,
    IReadOnlyList<string> CodesRemoved,
    IReadOnlyList<MovedCode> CodesMoved,
    IReadOnlyList<ChangedStockEffect> StockEffectsChanged,
    (UnknownCodePolicy From, UnknownCodePolicy To)? UnknownCodeChanged)
{
    public bool IsEmpty => UnitsAdded.Count == 0 && UnitsRemoved.Count == 0 && CodesAdded.Count == 0 && CodesRemoved.Count == 0
                           && CodesMoved.Count == 0 && StockEffectsChanged.Count == 0 && UnknownCodeChanged is null;

    public static RoutingDiff Between(RoutingDefinition from, RoutingDefinition to)
    {
        static List<string> Except(IEnumerable<string> a, IEnumerable<string> b) => a.Except(b, StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var common = from.Codes.Keys.Intersect(to.Codes.Keys, StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        return new RoutingDiff(
            Except(to.Units.Keys, from.Units.Keys),
            Except(from.Units.Keys, to.Units.Keys),
            Except(to.Codes.Keys, from.Codes.Keys),
            Except(from.Codes.Keys, to.Codes.Keys),
            common.Where(c => !SameUnits(from.Codes[c].Units, to.Codes[c].Units))
                .Select(c => new MovedCode(c, Sorted(from.Codes[c].Units), Sorted(to.Codes[c].Units))).ToList(),
            common.Where(c => from.Codes[c].StockEffect != to.Codes[c].StockEffect)
                .Select(c => new ChangedStockEffect(c, from.Codes[c].StockEffect, to.Codes[c].StockEffect)).ToList(),
            from.UnknownCode == to.UnknownCode ? null : (from.UnknownCode, to.UnknownCode));
    }

    private static bool SameUnits(IReadOnlyList<string> a, IReadOnlyList<string> b) => Sorted(a).SequenceEqual(Sorted(b), StringComparer.Ordinal);

    private static List<string> Sorted(IReadOnlyList<string> units) => units.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
}
