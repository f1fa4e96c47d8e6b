namespace OrderActors.Domain.Routing;

/// <summary>An accepted order as a preview needs it: where it is (first queue, offset), when it came, its code, and the version that routed it.</summary>
public sealed record RecentOrder(string OrderId, string BusinessCode, int FirstQueue, long Offset, DateTimeOffset AcceptedAt, int RoutingVersion);

public sealed record CodePreview(string Code, int Orders, IReadOnlyList<string> LiveUnits, IReadOnlyList<string> PreviewUnits);

/// <summary>One unit's orders under the live table and under the previewed one, and how many it would gain and lose.</summary>
public sealed record UnitPreview(string Unit, int Live, int Preview, int Added, int Removed);

public sealed record UnroutableCode(string Code, int Orders);

/// <summary>
/// What a routing table would have done with real orders, against what the live table does with them: per code and
/// per unit, the codes it would leave unroutable, and a sample of the orders it would send elsewhere. It routes with
/// <see cref="RoutingTable.Route"/>, the router's own matcher, and changes nothing.
/// </summary>
public sealed record RoutingPreview(
    int Orders,
    DateTimeOffset? From,
    DateTimeOffset? To,
    IReadOnlyList<CodePreview> ByCode,
    IReadOnlyList<UnitPreview> ByUnit,
    IReadOnlyList<UnroutableCode> Unroutable,
    int AffectedOrders,
    IReadOnlyList<string> AffectedSample)
{
    public const int SampleSize = 20;

    public static RoutingPreview Of(IReadOnlyList<RecentOrder> orders, RoutingTable live, RoutingTable preview)
    {
        var byCode = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var units = new SortedDictionary<string, int[]>(StringComparer.Ordinal); // live, preview, added, removed
        var affected = 0;
        var sample = new List<string>();
        foreach (var order in orders)
        {
            byCode[order.BusinessCode] = byCode.GetValueOrDefault(order.BusinessCode) + 1;
            var before = live.Route(order.BusinessCode, order.FirstQueue).Select(q => q.Unit).ToHashSet(StringComparer.Ordinal);
            var after = preview.Route(order.BusinessCode, order.FirstQueue).Select(q => q.Unit).ToHashSet(StringComparer.Ordinal);
            foreach (var unit in before) Count(units, unit)[0]++;
            foreach (var unit in after) Count(units, unit)[1]++;
            foreach (var unit in after.Except(before)) Count(units, unit)[2]++;
            foreach (var unit in before.Except(after)) Count(units, unit)[3]++;
            if (before.SetEquals(after)) continue;
            affected++;
            if (sample.Count < SampleSize) sample.Add(order.OrderId);
        }
        return new RoutingPreview(orders.Count,
            orders.Count > 0 ? orders.Min(o => o.AcceptedAt) : null,
            orders.Count > 0 ? orders.Max(o => o.AcceptedAt) : null,
            byCode.Select(c => new CodePreview(c.Key, c.Value, Names(live.Match(c.Key)), Names(preview.Match(c.Key)))).ToList(),
            units.Select(u => new UnitPreview(u.Key, u.Value[0], u.Value[1], u.Value[2], u.Value[3])).ToList(),
            byCode.Where(c => preview.Match(c.Key).Count == 0).Select(c => new UnroutableCode(c.Key, c.Value)).ToList(),
            affected, sample);
    }

    private static int[] Count(SortedDictionary<string, int[]> units, string unit) =>
        units.TryGetValue(unit, out var counts) ? counts : units[unit] = new int[4];

    private static List<string> Names(IReadOnlyList<BusinessUnit> units) => units.Select(u => u.Name).ToList();
}
