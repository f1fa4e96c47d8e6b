using Akka.Actor;
using OrderActors.Domain.Routing;

namespace OrderActors.Node.Api;

/// <summary><c>/api/units</c> (the business units, their queues and feeds) and <c>/api/routing</c>.</summary>
public static class UnitsApi
{
    public const int DefaultFeedLimit = 100;
    public const int MaxFeedLimit = 1000;

    public static IEndpointRouteBuilder MapUnitsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/routing", (OrderGateway gateway) => TypedResults.Ok(new RoutingResponse(
            gateway.Routing.Version,
            gateway.Routing.Units.ToDictionary(u => u.Name, u => new RoutingUnit(u.Codes, u.Queues)))));

        var units = app.MapGroup("/api/units").WithTags("units");
        units.MapGet("/", async (HttpContext context, OrderGateway gateway, CancellationToken ct) =>
        {
            try
            {
                return Results.Ok(await gateway.GetUnitsAsync(ct));
            }
            catch (AskTimeoutException)
            {
                return Problems.Unavailable(context, "The unit queues did not answer in time; try again.");
            }
        });
        units.MapGet("/{unit}/queues/{queue}/orders", Feed);
        return app;
    }

    private static async Task<IResult> Feed(string unit, string queue, long? after, int? limit,
        HttpContext context, OrderGateway gateway, CancellationToken ct)
    {
        var businessUnit = gateway.Routing.FindUnit(unit);
        if (businessUnit is null)
            return Problems.Field(404, "unit", $"no unit '{unit}'; units: {string.Join(", ", gateway.Routing.Units.Select(u => u.Name))}");
        if (!int.TryParse(queue, out var k) || k < 0 || k >= businessUnit.Queues)
            return Problems.Field(404, "queue", $"unit '{unit}' has queues 0–{businessUnit.Queues - 1} (got '{queue}')");
        if (after is < 0)
            return Problems.Field(400, "after", "must be 0 or more");
        if (limit is < 1 or > MaxFeedLimit)
            return Problems.Field(400, "limit", $"must be 1–{MaxFeedLimit}");

        try
        {
            return Results.Ok(await gateway.GetFeedAsync(new UnitQueueAddress(unit, k), after ?? 0, limit ?? DefaultFeedLimit, ct));
        }
        catch (AskTimeoutException)
        {
            return Problems.Unavailable(context, "The unit queue did not answer in time; try again.");
        }
    }
}
