using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using OrderActors.Actors.Ingest;
using OrderActors.Domain.Ingest;
using OrderActors.Domain.Orders;
using OrderActors.Node.Catalog;
using OrderActors.Node.Http;
using OrderActors.Domain.Security;
using OrderActors.Node.Security;

namespace OrderActors.Node.Ingest;

/// <summary><c>/api/orders</c>: intake (single and batch) and the order view.</summary>
public static class OrdersEndpoints
{
    public const int MaxBatchOrders = 1000;

    private const string TraceContext = "W3C Trace Context of the OMS's request: stored with each order it brings and passed on with its " +
                                        "feed entry and webhook delivery (docs/API.md, \"Trace context\"); an invalid one is ignored";

    /// <summary>The slice's services: the node's intake batcher, the intake command and the order view query.</summary>
    public static IServiceCollection AddOrders(this IServiceCollection services) =>
        services.AddSingleton<IngestMetrics>(sp => new IngestMetrics(sp.GetService<System.Diagnostics.Metrics.IMeterFactory>())).AddSingleton<IntakeBatcher>().AddSingleton<OrderIntake>().AddSingleton<OrderQueries>();

    public static RouteGroupBuilder MapOrders(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/orders").WithTags("orders");
        group.MapPost("/", SubmitOne).WithSummary("Submit one order (202 once it is durable)").RequireAccess(Need.Produce).Takes<OrderBody>().ReadsHeader("traceparent", TraceContext).Produces<OrderAcceptedResponse>(202).Answers(409, 422, 429, 503)
            .UnavailableOnTimeout("The order could not be stored in time; send it again (the same order is accepted once).");
        group.MapPost("/batch", SubmitBatch).WithSummary("Submit up to 1,000 orders, each judged alone").RequireAccess(Need.Produce).Takes<OrderBody[]>().ReadsHeader("traceparent", TraceContext).Answers(503)
            .UnavailableOnTimeout("The batch could not be stored in time; send it again (orders already accepted are answered 200).");
        group.MapGet("/{orderId}/trace", GetTrace).WithSummary("An order's trace: accepted, routed, queued, processed, attempts, parked, delivered, reported")
            .RequireAccess(Need.ReadOrder).Answers(404)
            .UnavailableOnTimeout("The order's queues did not answer in time; try again.");
        group.MapGet("/{orderId}", GetOrder).WithSummary("An order's view: its status in every unit it routes to, enriched lines").RequireAccess(Need.ReadOrder).Answers(404)
            .UnavailableOnTimeout("The order's queues did not answer in time; try again.");
        return group;
    }

    private static async Task<Results<JsonHttpResult<OrderAcceptedResponse>, Ok<OrderView>, JsonHttpResult<ProblemBody>>> SubmitOne(HttpContext context, OrderIntake intake, OrderQueries queries, SampleCatalogLoader catalog,
        IngestMetrics metrics, RecentRejections rejections, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        using var span = IntakeTracing.Start(context, batch: false);
        var answer = await AnswerOne(context, intake, queries, catalog, ct);
        IntakeCounting.One(metrics, rejections, context, answer.Result, started);
        IntakeTracing.Answered(span, context, answer.Result);
        return answer;
    }

    private static async Task<Results<JsonHttpResult<OrderAcceptedResponse>, Ok<OrderView>, JsonHttpResult<ProblemBody>>> AnswerOne(HttpContext context, OrderIntake intake, OrderQueries queries, SampleCatalogLoader catalog,
        CancellationToken ct)
    {
        if (Refused(context, intake, catalog) is { } refused) return refused;
        var (document, error) = await JsonBody.ReadAsync(context.Request, JsonBody.OrderLimit, ct);
        if (error is not null) return error;
        using var _ = document;

        var item = intake.Read(document!.RootElement, intake.OriginOf(context.Request));
        context.Items[IntakeCounting.OrderIdKey] = item.OrderId;
        if (item.Problem is not null) return Problems.Result(item.Problem);
        var (submitted, outcome) = (await intake.SubmitAsync([item], ct))[0];
        var orderId = submitted.Order.OrderId;
        return outcome.Decision switch
        {
            AdmitDecision.Accept => TypedResults.Json(new OrderAcceptedResponse(orderId, "accepted", outcome.FirstQueue),
                statusCode: StatusCodes.Status202Accepted),
            AdmitDecision.Duplicate => await queries.GetViewAsync(orderId, ct) is { } view ? TypedResults.Ok(view) : NotAccepted(orderId),
            AdmitDecision.Throttled => Problems.Throttled(context),
            AdmitDecision.Unavailable => Problems.Unavailable(context, Problems.NotStoredDetail),
            AdmitDecision.UnknownCode => Problems.Result(UnknownCodeBody(submitted.Order.BusinessCode)),
            _ => Problems.Result(ConflictBody(orderId)),
        };
    }

    private static async Task<Results<Ok<BatchResponse>, JsonHttpResult<ProblemBody>>> SubmitBatch(HttpContext context, OrderIntake intake, SampleCatalogLoader catalog,
        IngestMetrics metrics, RecentRejections rejections, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        using var span = IntakeTracing.Start(context, batch: true);
        var answer = await AnswerBatch(context, intake, catalog, ct);
        IntakeCounting.Batch(metrics, rejections, context, answer.Result, started);
        IntakeTracing.Answered(span, context, answer.Result);
        return answer;
    }

    private static async Task<Results<Ok<BatchResponse>, JsonHttpResult<ProblemBody>>> AnswerBatch(HttpContext context, OrderIntake intake, SampleCatalogLoader catalog, CancellationToken ct)
    {
        if (Refused(context, intake, catalog) is { } refused) return refused;
        var (document, error) = await JsonBody.ReadAsync(context.Request, JsonBody.BatchLimit, ct, duplicateKeysPerItem: true);
        if (error is not null) return error;
        using var _ = document;

        var root = document!.RootElement;
        if (root.ValueKind != JsonValueKind.Array)
            return Problems.Field(400, "body", "must be a JSON array of orders");
        var count = root.GetArrayLength();
        if (count > MaxBatchOrders)
            return Problems.Field(413, "body", $"holds {count:N0} orders; a batch holds at most {MaxBatchOrders:N0}");

        var results = new BatchItemResult[count];
        var origin = intake.OriginOf(context.Request);
        var valid = new List<(int Index, IntakeItem Item)>(count);
        var index = 0;
        foreach (var element in root.EnumerateArray())
        {
            var item = JsonBody.DuplicateKey(element) is { } duplicate
                ? new IntakeItem(null, null, Problems.FieldBody(400, duplicate, "is given twice: give each key once"))
                : intake.Read(element, origin);
            if (item.Problem is null) valid.Add((index, item));
            else results[index] = new BatchItemResult(index, item.OrderId, item.Problem.Status, null, item.Problem);
            index++;
        }

        if (valid.Count > 0)
        {
            var submitted = await intake.SubmitAsync(valid.Select(v => v.Item).ToList(), ct);
            for (var i = 0; i < valid.Count; i++)
                results[valid[i].Index] = ItemResult(valid[i].Index, submitted[i].Submitted.Order, submitted[i].Outcome);
        }

        if (results.Any(r => r.Status is 429 or 503)) context.Response.Headers.RetryAfter = "1";
        return TypedResults.Ok(new BatchResponse(
            Accepted: results.Count(r => r.Status == 202),
            Duplicates: results.Count(r => r.Status == 200),
            Rejected: results.Count(r => r.Status >= 400),
            Results: results));
    }

    private static BatchItemResult ItemResult(int index, Order order, IngestProtocol.SubmitOutcome outcome) => outcome.Decision switch
    {
        AdmitDecision.Accept => new BatchItemResult(index, order.OrderId, 202, outcome.FirstQueue, null),
        AdmitDecision.Duplicate => new BatchItemResult(index, order.OrderId, 200, outcome.FirstQueue, null),
        AdmitDecision.Throttled => new BatchItemResult(index, order.OrderId, 429, null, Problems.ThrottledBody),
        AdmitDecision.Unavailable => new BatchItemResult(index, order.OrderId, 503, null, Problems.NotStoredBody),
        AdmitDecision.UnknownCode => new BatchItemResult(index, order.OrderId, 422, null, UnknownCodeBody(order.BusinessCode)),
        _ => new BatchItemResult(index, order.OrderId, 409, null, ConflictBody(order.OrderId)),
    };

    /// <summary>
    /// Why intake refuses a request before reading it, if it does. A node that has not loaded its catalog yet (it is
    /// starting) cannot enrich orders and would refuse every SKU as unknown (422: final, not sent again), so it answers
    /// 503; a saturated node answers 429. Both carry Retry-After: the orders are to be sent again.
    /// </summary>
    private static JsonHttpResult<ProblemBody>? Refused(HttpContext context, OrderIntake intake, SampleCatalogLoader catalog) =>
        !catalog.CatalogReady
            ? Problems.Unavailable(context, "This node is starting and has not loaded the catalog yet; send the order again shortly (or to another node).")
            : intake.Saturated ? Problems.Throttled(context) : null;

    private static async Task<Results<Ok<OrderView>, JsonHttpResult<ProblemBody>>> GetOrder(string orderId, HttpContext context, OrderQueries queries,
        CancellationToken ct)
    {
        var view = await queries.GetViewAsync(orderId, ct);
        // a consumer key sees an order only as far as it goes to the key's units (and not at all if it goes to none)
        if (view is not null && Security.ApiAuth.PrincipalOf(context) is { Role: Domain.Security.ApiRole.Consumer } consumer)
            view = view.Units.Where(u => consumer.MayUse(u.Unit)).ToList() is { Count: > 0 } mine ? view with { Units = mine } : null;
        return view is not null ? TypedResults.Ok(view) : NotAccepted(orderId);
    }

    private static async Task<Results<Ok<OrderTraceView>, JsonHttpResult<ProblemBody>>> GetTrace(string orderId, HttpContext context, OrderQueries queries,
        CancellationToken ct)
    {
        var trace = await queries.GetTraceAsync(orderId, ct);
        // a consumer key sees an order's hops only at its units (and not at all if it goes to none of them)
        if (trace is not null && Security.ApiAuth.PrincipalOf(context) is { Role: Domain.Security.ApiRole.Consumer } consumer)
        {
            trace = trace.Hops.Select(HopUnit).OfType<string>().Any(consumer.MayUse)
                ? trace with { Hops = trace.Hops.Where(h => HopUnit(h) is { } unit ? consumer.MayUse(unit) : h.Step is "received" or "accepted").ToList() }
                : null;
        }
        return trace is not null ? TypedResults.Ok(trace) : NotAccepted(orderId);
    }

    /// <summary>The unit a hop happened at (null: before any unit, at intake or routing).</summary>
    private static string? HopUnit(Domain.Delivery.TraceHop hop) => hop.Step switch
    {
        "received" or "accepted" or "routed" => null,
        "reported" => hop.Place, // a unit's own report
        _ => hop.Place[..hop.Place.LastIndexOf('-')], // a unit queue, e.g. erp-2
    };

    private static JsonHttpResult<ProblemBody> NotAccepted(string orderId) => Problems.Result(404, $"No order '{orderId}' has been accepted.");

    /// <summary>A code the routing version its first queue goes by takes no unit for (it changed as the order came in).</summary>
    private static ProblemBody UnknownCodeBody(string code) =>
        Problems.Body(422, $"The order cannot be processed: businessCode: no unit takes code '{code}' in the routing version published a moment ago.",
            new Dictionary<string, string[]> { ["businessCode"] = [$"no unit takes code '{code}' in the routing version published a moment ago (GET /api/routing)"] });

    private static ProblemBody ConflictBody(string orderId) =>
        Problems.Body(409, $"Order '{orderId}' was already accepted with different content; an order id is accepted once.",
            new Dictionary<string, string[]> { ["orderId"] = ["was already accepted with different content"] });
}
