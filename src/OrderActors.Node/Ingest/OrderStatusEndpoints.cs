using Microsoft.AspNetCore.Http.HttpResults;
using OrderActors.Domain.Delivery;
using OrderActors.Node.Delivery;
using OrderActors.Node.Http;
using OrderActors.Node.Units;
using OrderActors.Domain.Security;
using OrderActors.Node.Security;

namespace OrderActors.Node.Ingest;

/// <summary><c>POST /api/units/{unit}/orders/{orderId}/status</c>: a downstream system reports business progress on an order it received.</summary>
public static class OrderStatusEndpoints
{
    public static IEndpointRouteBuilder MapOrderStatus(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/units/{unit}/orders/{orderId}/status", Report).WithSummary("The downstream system reports an order's business progress").WithTags("orders").RequireAccess(Need.Consume).Takes<StatusBody>().Answers(404, 409)
            .UnavailableOnTimeout("The order's queues did not answer in time; send the status again.");
        return app;
    }

    private static async Task<Results<Ok<StatusResponse>, JsonHttpResult<ProblemBody>>> Report(string unit, string orderId, HttpContext context,
        UnitQueries units, OrderQueries orders, DeliveryQueries delivery, CancellationToken ct)
    {
        if (UnitsEndpoints.NoSuchUnit(units.Routing, unit) is { } noUnit) return noUnit;
        var (body, error) = await JsonBody.ReadAsAsync<StatusBody>(context.Request, JsonBody.OrderLimit, ct);
        if (error is not null) return error;
        var errors = BusinessStatus.Validate(body!.Status, body.Reference, body.Note);
        if (!errors.IsEmpty) return Problems.Result(400, $"The status report is invalid: {errors.Summary()}", errors.ToDictionary());

        var place = await orders.FindInUnitAsync(orderId, unit, ct);
        if (!place.Accepted) return Problems.Field(404, "orderId", $"no order '{orderId}' was accepted");
        if (place.Queue is not { } queue) return Problems.Field(404, "orderId", $"order '{orderId}' was not routed to unit '{unit}'");
        if (place.Seq is not { } seq)
            return Problems.Field(409, "orderId", $"order '{orderId}' is not in unit '{unit}''s queue yet; report its status once it was delivered");
        var now = DateTimeOffset.UtcNow;
        var reported = await delivery.ReportStatusAsync(queue, seq, new BusinessStatus(body.Status!, body.At ?? now, body.Reference, body.Note, now), ct);
        return TypedResults.Ok(new StatusResponse(unit, queue.Queue, seq, orderId, reported.History.Select(StatusView.From).ToList()));
    }
}
