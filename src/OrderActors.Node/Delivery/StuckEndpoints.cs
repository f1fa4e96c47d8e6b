using Microsoft.AspNetCore.Http.HttpResults;
using OrderActors.Domain.Delivery;
using OrderActors.Domain.Routing;
using OrderActors.Domain.Security;
using OrderActors.Node.Http;
using OrderActors.Node.Security;
using OrderActors.Node.Units;

namespace OrderActors.Node.Delivery;

/// <summary>The stuck-order finder: <c>GET /api/orders/stuck?olderThan=5m&amp;unit=&amp;limit=</c>.</summary>
public static class StuckEndpoints
{
    public const int DefaultLimit = 100, MaxLimit = 1000;

    public static IEndpointRouteBuilder MapStuckOrders(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/orders/stuck", Find).WithTags("orders")
            .WithSummary("The orders not delivered after an age, oldest first, with where each waits and why")
            .RequireAccess(Need.Operate).Answers(400, 404)
            .UnavailableOnTimeout("The queues did not answer in time; try again.");
        return app;
    }

    private static async Task<Results<Ok<List<StuckOrder>>, JsonHttpResult<ProblemBody>>> Find(string? olderThan, string? unit, int? limit,
        UnitQueries units, DeliveryQueries delivery, CancellationToken ct)
    {
        var age = TimeSpan.FromMinutes(5);
        if (olderThan is not null && (!Durations.TryParse(olderThan, out age) || age < TimeSpan.Zero))
            return Problems.Field(400, "olderThan", $"must be a duration such as 30s, 5m or 1h (got '{olderThan}')");
        if (limit is < 1 or > MaxLimit) return Problems.Field(400, "limit", $"must be 1–{MaxLimit} (got {limit})");
        if (unit is not null && UnitsEndpoints.NoSuchUnit(units.Routing, unit) is { } noUnit) return noUnit;
        var max = limit ?? DefaultLimit;
        var cutoff = DateTimeOffset.UtcNow - age;

        var queues = units.Routing.AllQueues().Where(q => unit is null || q.Unit == unit).ToList();
        var views = (await delivery.QueueViewsAsync(units, ct)).ToDictionary(v => (v.Unit, v.Queue));
        var found = await Task.WhenAll(queues.Select(async q =>
        {
            var v = views[(q.Unit, q.Queue)];
            var state = new QueueDelivery(q, v.Mode == "webhook" ? DeliveryMode.Webhook : DeliveryMode.Pull, v.DeliveredUpTo, v.ProcessedSeq,
                v.InFlightUpTo, v.Paused, v.LastError, v.LastDeliveredAt, v.NextAttemptAt);
            // the oldest undelivered orders come first in the feed: a queue gives at most `max` of them
            var page = v.Lag > 0 ? (await units.GetFeedAsync(q, v.DeliveredUpTo, max, TimeSpan.Zero, ct)).Orders : [];
            var parked = v.Parked > 0 ? await delivery.ParkedAsync(q, new ParkedFilter(), ct) : [];
            return StuckOrders.Of(state, page, parked, cutoff).ToList();
        }));
        return TypedResults.Ok(found.SelectMany(f => f).OrderBy(o => o.WaitingSince).ThenBy(o => o.Unit, StringComparer.Ordinal)
            .ThenBy(o => o.Queue).ThenBy(o => o.Seq).Take(max).ToList());
    }
}
