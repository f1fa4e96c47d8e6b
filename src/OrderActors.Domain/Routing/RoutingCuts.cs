namespace OrderActors.Domain.Routing;

/// <summary>From offset <paramref name="FromOffset"/> on, a first queue's orders are routed with version <paramref name="Version"/>.</summary>
public readonly record struct RoutingCut(long FromOffset, int Version);

/// <summary>
/// Where a first queue switched routing versions: an order is routed by the version of the last cut at or before its
/// offset (version 1, the configured table, before any cut). A hand-off never crosses a cut, so no delivery is routed
/// by a mixture. Cuts only move forward: each at a later version, and at a later offset than the one before, or at the
/// same offset when no order came between them (the later cut replaces the one that covered no order).
/// </summary>
public sealed class RoutingCuts
{
    private readonly List<RoutingCut> _cuts = new();

    public IReadOnlyList<RoutingCut> All => _cuts;

    /// <summary>The version the latest cut switched to (1: none yet).</summary>
    public int Latest => _cuts.Count > 0 ? _cuts[^1].Version : 1;

    public void Add(RoutingCut cut)
    {
        if (_cuts.Count > 0 && (cut.FromOffset < _cuts[^1].FromOffset || cut.Version <= _cuts[^1].Version))
            throw new InvalidOperationException($"cut {cut} does not follow {_cuts[^1]}");
        if (_cuts.Count > 0 && cut.FromOffset == _cuts[^1].FromOffset) _cuts[^1] = cut;
        else _cuts.Add(cut);
    }

    /// <summary>The version that routes the order at <paramref name="offset"/>.</summary>
    public int VersionAt(long offset) => VersionAt(_cuts, offset);

    /// <summary>The version that routes the order at <paramref name="offset"/> by <paramref name="cuts"/> (a copy, e.g. read elsewhere).</summary>
    public static int VersionAt(IReadOnlyList<RoutingCut> cuts, long offset)
    {
        for (var i = cuts.Count - 1; i >= 0; i--)
            if (cuts[i].FromOffset <= offset) return cuts[i].Version;
        return 1;
    }

    /// <summary>How many orders from <paramref name="from"/> on, at most <paramref name="count"/>, share its version (a hand-off stops at the next cut).</summary>
    public int SameVersionRun(long from, int count)
    {
        foreach (var cut in _cuts)
            if (cut.FromOffset > from && cut.FromOffset < from + count) return (int)(cut.FromOffset - from);
        return count;
    }
}
