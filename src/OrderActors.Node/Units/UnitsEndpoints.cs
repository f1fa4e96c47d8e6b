using Microsoft.AspNetCore.Http.HttpResults;
using OrderActors.Domain.Routing;
using OrderActors.Node.Http;

namespace OrderActors.Node.Units;

/// <summary><c>/api/units</c> (the business units, their queues and feeds) and <c>/api/routing</c>.</summary>
public static class UnitsEndpoints
{
    public const int DefaultFeedLimit = 100;
    public const int MaxFeedLimit = 1000;

    public static IServiceCollection AddUnits(this IServiceCollection services) => services.AddSingleton<UnitQueries>();

    public static IEndpointRouteBuilder MapUnits(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/routing", (UnitQueries queries) => TypedResults.Ok(new RoutingResponse(
            queries.Routing.Version,
            queries.Routing.Units.ToDictionary(u => u.Name, u => new RoutingUnit(u.Codes, u.Queues)))));

        var units = app.MapGroup("/api/units").WithTags("units");
        units.MapGet("/", async (UnitQueries queries, CancellationToken ct) => TypedResults.Ok(await queries.GetUnitsAsync(ct)))
            .UnavailableOnTimeout("The unit queues did not answer in time; try again.");
        units.MapGet("/{unit}/queues/{queue}/orders", Feed)
            .UnavailableOnTimeout("The unit queue did not answer in time; try again.");
        return app;
    }

    private static async Task<Results<Ok<FeedResponse>, JsonHttpResult<ProblemBody>>> Feed(string unit, string queue, long? after, int? limit, UnitQueries queries, CancellationToken ct)
    {
        var businessUnit = queries.Routing.FindUnit(unit);
        if (businessUnit is null)
            return Problems.Field(404, "unit", $"no unit '{unit}'; units: {string.Join(", ", queries.Routing.Units.Select(u => u.Name))}");
        if (!int.TryParse(queue, out var k) || k < 0 || k >= businessUnit.Queues)
            return Problems.Field(404, "queue", $"unit '{unit}' has queues 0–{businessUnit.Queues - 1} (got '{queue}')");
        if (after is < 0)
            return Problems.Field(400, "after", "must be 0 or more");
        if (limit is < 1 or > MaxFeedLimit)
            return Problems.Field(400, "limit", $"must be 1–{MaxFeedLimit}");
        return TypedResults.Ok(await queries.GetFeedAsync(new UnitQueueAddress(unit, k), after ?? 0, limit ?? DefaultFeedLimit, ct));
    }
}
