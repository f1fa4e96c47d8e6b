namespace OrderActors.Domain.Delivery;

/// <summary>A unit's parked orders that share one reason (the receiver's status and error), as an operator acts on them together.</summary>
public sealed record ParkedGroup(string Unit, int? Status, string Error, int Count, DateTimeOffset FirstParkedAt, DateTimeOffset LastParkedAt,
    IReadOnlyList<string> DeliveryIds);

public static class ParkedGroups
{
    /// <summary>
    /// Groups parked orders by unit and reason, the largest group first (then the unit, then the reason); each group's
    /// delivery ids oldest first, so that retrying a group sends its orders in the order they were parked.
    /// </summary>
    public static IReadOnlyList<ParkedGroup> Of(IEnumerable<(string Unit, string DeliveryId, ParkedOrder Order)> parked) =>
        parked.GroupBy(p => (p.Unit, p.Order.Status, p.Order.Error))
            .Select(g =>
            {
                var oldestFirst = g.OrderBy(p => p.Order.ParkedAt).ThenBy(p => p.DeliveryId, StringComparer.Ordinal).ToList();
                return new ParkedGroup(g.Key.Unit, g.Key.Status, g.Key.Error, oldestFirst.Count, oldestFirst[0].Order.ParkedAt,
                    oldestFirst[^1].Order.ParkedAt, oldestFirst.Select(p => p.DeliveryId).ToList());
            })
            .OrderByDescending(g => g.Count).ThenBy(g => g.Unit, StringComparer.Ordinal).ThenBy(g => g.Error, StringComparer.Ordinal)
            .ToList();
}
