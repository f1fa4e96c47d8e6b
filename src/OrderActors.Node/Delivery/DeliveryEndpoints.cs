using Microsoft.AspNetCore.Http.HttpResults;
using OrderActors.Domain.Delivery;
using OrderActors.Domain.Routing;
using OrderActors.Node.Http;
using OrderActors.Node.Units;

namespace OrderActors.Node.Delivery;

public sealed record AckBody(long? UpTo);

public sealed record AckResponse(string Unit, int Queue, long DeliveredUpTo);

/// <summary><c>/api/units/{unit}/queues/{k}/ack</c>: a pull consumer's committed cursor.</summary>
public static class DeliveryEndpoints
{
    public static IServiceCollection AddDelivery(this IServiceCollection services) => services.AddSingleton<DeliveryQueries>();

    public static IEndpointRouteBuilder MapDelivery(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/units/{unit}/queues/{queue}/ack", Ack).WithTags("delivery")
            .UnavailableOnTimeout("The unit queue did not answer in time; send the ack again (it is idempotent).");
        return app;
    }

    private static async Task<Results<Ok<AckResponse>, JsonHttpResult<ProblemBody>>> Ack(string unit, string queue, HttpContext context,
        UnitQueries units, DeliveryQueries delivery, CancellationToken ct)
    {
        if (UnitsEndpoints.FindQueue(units.Routing, unit, queue) is not { } address)
            return UnitsEndpoints.NoSuchQueue(units.Routing, unit, queue);
        var (body, error) = await JsonBody.ReadAsAsync<AckBody>(context.Request, JsonBody.OrderLimit, ct);
        if (error is not null) return error;
        if (body!.UpTo is not { } upTo || upTo < 0)
            return Problems.Field(400, "upTo", "is required: the seq of the last order processed downstream (0 or more)");
        var result = await delivery.AckAsync(address, upTo, ct);
        return result.Outcome == AckOutcome.BeyondEnd
            ? Problems.Field(409, "upTo", $"seq {upTo} is past the last order queue {address} has processed; ack what the feed has served")
            : TypedResults.Ok(new AckResponse(address.Unit, address.Queue, result.DeliveredUpTo));
    }
}
