using System.Text.Json;
using Akka.Actor;
using OrderActors.Actors.Ingest;
using OrderActors.Domain.Ingest;
using OrderActors.Domain.Orders;
using OrderActors.Node.Hosting;

namespace OrderActors.Node.Api;

/// <summary><c>/api/orders</c>: intake (single and batch) and the order view.</summary>
public static class OrdersApi
{
    public const int MaxBatchOrders = 1000;

    public static RouteGroupBuilder MapOrdersApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/orders").WithTags("orders");
        group.MapPost("/", SubmitOne);
        group.MapPost("/batch", SubmitBatch);
        group.MapGet("/{orderId}", GetOrder);
        return group;
    }

    private static async Task<IResult> SubmitOne(HttpContext context, OrderGateway gateway, IntakeBatcher intake, SampleCatalogLoader catalog,
        CancellationToken ct)
    {
        if (Refused(context, intake, catalog) is { } refused) return refused;
        var (document, error) = await JsonBody.ReadAsync(context.Request, JsonBody.OrderLimit, ct);
        if (error is not null) return error;
        using var _ = document;

        var item = gateway.Read(document!.RootElement);
        if (item.Problem is not null) return Problems.Result(item.Problem);
        var order = item.Order!;

        IngestProtocol.SubmitOutcome outcome;
        try
        {
            outcome = (await gateway.SubmitAsync([item]))[0];
        }
        catch (AskTimeoutException)
        {
            return Problems.Unavailable(context, "The order could not be stored in time; send it again (the same order is accepted once).");
        }

        return outcome.Decision switch
        {
            AdmitDecision.Accept => TypedResults.Json(new OrderAcceptedResponse(order.OrderId, "accepted", outcome.FirstQueue),
                statusCode: StatusCodes.Status202Accepted),
            AdmitDecision.Duplicate => await ViewOrUnavailable(context, gateway, order.OrderId, ct),
            AdmitDecision.Throttled => Problems.Throttled(context),
            _ => Conflict(order.OrderId),
        };
    }

    private static async Task<IResult> SubmitBatch(HttpContext context, OrderGateway gateway, IntakeBatcher intake, SampleCatalogLoader catalog,
        CancellationToken ct)
    {
        if (Refused(context, intake, catalog) is { } refused) return refused;
        var (document, error) = await JsonBody.ReadAsync(context.Request, JsonBody.BatchLimit, ct);
        if (error is not null) return error;
        using var _ = document;

        var root = document!.RootElement;
        if (root.ValueKind != JsonValueKind.Array)
            return Problems.Field(400, "body", "must be a JSON array of orders");
        var count = root.GetArrayLength();
        if (count > MaxBatchOrders)
            return Problems.Field(413, "body", $"holds {count:N0} orders; a batch holds at most {MaxBatchOrders:N0}");

        var results = new BatchItemResult[count];
        var valid = new List<(int Index, IntakeItem Item)>(count);
        var index = 0;
        foreach (var element in root.EnumerateArray())
        {
            var item = gateway.Read(element);
            if (item.Problem is null) valid.Add((index, item));
            else results[index] = new BatchItemResult(index, item.OrderId, item.Problem.Status, null, item.Problem);
            index++;
        }

        if (valid.Count > 0)
        {
            IngestProtocol.SubmitOutcome[] outcomes;
            try
            {
                outcomes = await gateway.SubmitAsync(valid.Select(v => v.Item).ToList());
            }
            catch (AskTimeoutException)
            {
                return Problems.Unavailable(context, "The batch could not be stored in time; send it again (orders already accepted are answered 200).");
            }
            for (var i = 0; i < valid.Count; i++)
            {
                var (itemIndex, item) = valid[i];
                var order = item.Order!;
                results[itemIndex] = outcomes[i].Decision switch
                {
                    AdmitDecision.Accept => new BatchItemResult(itemIndex, order.OrderId, 202, outcomes[i].FirstQueue, null),
                    AdmitDecision.Duplicate => new BatchItemResult(itemIndex, order.OrderId, 200, outcomes[i].FirstQueue, null),
                    AdmitDecision.Throttled => new BatchItemResult(itemIndex, order.OrderId, 429, null, Problems.ThrottledBody),
                    _ => new BatchItemResult(itemIndex, order.OrderId, 409, null, ConflictBody(order.OrderId)),
                };
            }
        }

        if (results.Any(r => r.Status == 429)) context.Response.Headers.RetryAfter = "1";
        return TypedResults.Ok(new BatchResponse(
            Accepted: results.Count(r => r.Status == 202),
            Duplicates: results.Count(r => r.Status == 200),
            Rejected: results.Count(r => r.Status >= 400),
            Results: results));
    }

    /// <summary>
    /// Why intake refuses a request before reading it, if it does. A node that has not loaded its catalog yet (it is
    /// starting) cannot enrich orders and would refuse every SKU as unknown (422: final, not sent again), so it answers
    /// 503; a saturated node answers 429. Both carry Retry-After: the orders are to be sent again.
    /// </summary>
    private static IResult? Refused(HttpContext context, IntakeBatcher intake, SampleCatalogLoader catalog) =>
        !catalog.CatalogReady
            ? Problems.Unavailable(context, "This node is starting and has not loaded the catalog yet; send the order again shortly (or to another node).")
            : intake.Saturated ? Problems.Throttled(context) : null;

    private static Task<IResult> GetOrder(string orderId, HttpContext context, OrderGateway gateway, CancellationToken ct) =>
        ViewOrUnavailable(context, gateway, orderId, ct);

    private static async Task<IResult> ViewOrUnavailable(HttpContext context, OrderGateway gateway, string orderId, CancellationToken ct)
    {
        try
        {
            var view = await gateway.GetViewAsync(orderId, ct);
            return view is null ? Problems.Result(404, $"No order '{orderId}' has been accepted.") : TypedResults.Ok(view);
        }
        catch (AskTimeoutException)
        {
            return Problems.Unavailable(context, "The order's queues did not answer in time; try again.");
        }
    }

    private static ProblemBody ConflictBody(string orderId) =>
        Problems.Body(409, $"Order '{orderId}' was already accepted with different content; an order id is accepted once.",
            new Dictionary<string, string[]> { ["orderId"] = ["was already accepted with different content"] });

    private static IResult Conflict(string orderId) => Problems.Result(ConflictBody(orderId));
}
