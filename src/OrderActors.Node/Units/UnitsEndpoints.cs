using Microsoft.AspNetCore.Http.HttpResults;
using OrderActors.Domain.Delivery;
using OrderActors.Actors.Delivery;
using OrderActors.Domain.Routing;
using OrderActors.Node.Http;
using OrderActors.Domain.Security;
using OrderActors.Node.Security;

namespace OrderActors.Node.Units;

/// <summary><c>/api/units</c>: the business units (of every routing version), their queues and feeds.</summary>
public static class UnitsEndpoints
{
    public const int DefaultFeedLimit = 100;
    public const int MaxFeedLimit = 1000;

    public static IServiceCollection AddUnits(this IServiceCollection services) => services.AddSingleton<UnitQueries>();

    public static IEndpointRouteBuilder MapUnits(this IEndpointRouteBuilder app)
    {
        var units = app.MapGroup("/api/units").WithTags("units");
        units.MapGet("/", async (UnitQueries queries, CancellationToken ct) => TypedResults.Ok(await queries.GetUnitsAsync(ct))).WithSummary("The units: their codes, and each queue's depth and last seq").RequireAccess(Need.AnyKey)
            .UnavailableOnTimeout("The unit queues did not answer in time; try again.");
        units.MapGet("/{unit}/queues/{queue}/orders", Feed).WithSummary("A unit queue's feed of processed orders, by cursor (long-poll with wait)").RequireAccess(Need.Consume).Answers(400, 404)
            .UnavailableOnTimeout("The unit queue did not answer in time; try again.");
        return app;
    }

    private static async Task<Results<JsonHttpResult<FeedResponse>, JsonHttpResult<ProblemBody>>> Feed(string unit, string queue, long? after, int? limit,
        int? wait, UnitQueries queries, DeliveryOptions delivery, CancellationToken ct)
    {
        if (FindQueue(queries.Routing, unit, queue) is not { } address) return NoSuchQueue(queries.Routing, unit, queue);
        if (after is < 0)
            return Problems.Field(400, "after", "must be 0 or more");
        if (limit is < 1 or > MaxFeedLimit)
            return Problems.Field(400, "limit", $"must be 1–{MaxFeedLimit}");
        var maxWait = (int)delivery.MaxFeedWait.TotalSeconds;
        if (wait is < 0 || wait > maxWait)
            return Problems.Field(400, "wait", $"must be 0–{maxWait} seconds (how long to wait for new orders when there are none)");
        var page = await queries.GetFeedAsync(address, after ?? 0, limit ?? DefaultFeedLimit, TimeSpan.FromSeconds(wait ?? 0), ct);
        return TypedResults.Json(page, DeliveryJson.Api.FeedResponse); // the webhook's writer too
    }

    /// <summary>The queue a route names, if a routing version has it.</summary>
    public static UnitQueueAddress? FindQueue(RoutingDirectory routing, string unit, string queue) =>
        routing.FindUnit(unit) is { } u && int.TryParse(queue, out var k) && k >= 0 && k < u.Queues ? new UnitQueueAddress(unit, k) : null;

    /// <summary>404 naming what is wrong: the unit (with the units there are) or the queue (with the queues it has).</summary>
    public static JsonHttpResult<ProblemBody> NoSuchQueue(RoutingDirectory routing, string unit, string queue) =>
        routing.FindUnit(unit) is { } u
            ? Problems.Field(404, "queue", $"unit '{unit}' has queues 0–{u.Queues - 1} (got '{queue}')")
            : NoSuchUnitProblem(routing, unit);

    /// <summary>404 naming the units there are, when no routing version has unit <paramref name="unit"/> (null: it has).</summary>
    public static JsonHttpResult<ProblemBody>? NoSuchUnit(RoutingDirectory routing, string unit) =>
        routing.FindUnit(unit) is null ? NoSuchUnitProblem(routing, unit) : null;

    private static JsonHttpResult<ProblemBody> NoSuchUnitProblem(RoutingDirectory routing, string unit) =>
        Problems.Field(404, "unit", $"no unit '{unit}'; units: {string.Join(", ", routing.Units.Select(x => x.Name))}");
}
