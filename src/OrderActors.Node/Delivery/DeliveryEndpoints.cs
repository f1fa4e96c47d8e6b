using Microsoft.AspNetCore.Http.HttpResults;
using OrderActors.Actors.Delivery;
using OrderActors.Domain.Delivery;
using OrderActors.Domain.Orders;
using OrderActors.Domain.Routing;
using OrderActors.Node.Http;
using OrderActors.Node.Units;
using OrderActors.Domain.Security;
using OrderActors.Node.Security;

namespace OrderActors.Node.Delivery;

/// <summary><c>/api/units/{unit}/queues/{k}/ack</c>: a pull consumer's committed cursor.</summary>
public static class DeliveryEndpoints
{
    public static IServiceCollection AddDelivery(this IServiceCollection services) => services.AddSingleton<DeliveryQueries>();

    public static IEndpointRouteBuilder MapDelivery(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/units/{unit}/queues/{queue}/ack", Ack).WithSummary("A pull consumer acks every order up to a seq (the committed cursor)").WithTags("delivery").RequireAccess(Need.Consume).Takes<AckBody>().Answers(404, 409)
            .UnavailableOnTimeout("The unit queue did not answer in time; send the ack again (it is idempotent).");
        var admin = app.MapAdminGroup(Need.Operate);
        admin.MapGet("/units/{unit}/delivery", async (string unit, UnitQueries units, DeliveryQueries delivery, CancellationToken ct) =>
            UnitsEndpoints.NoSuchUnit(units.Routing, unit) is { } noUnit
                ? (Results<Ok<DeliverySettingsView>, JsonHttpResult<ProblemBody>>)noUnit
                : TypedResults.Ok(View(await delivery.GetSettingsAsync(unit, ct)))).WithSummary("A unit's delivery settings (secrets masked)")
            .UnavailableOnTimeout("The delivery settings did not answer in time; try again.");
        admin.MapPut("/units/{unit}/delivery", PutSettings).WithSummary("Set a unit's delivery: pull, or webhook with its URL, secrets and failure policy").Takes<DeliverySettingsBody>().Answers(404).UnavailableOnTimeout("The delivery settings did not answer in time; send them again.");
        admin.MapGet("/delivery", async (UnitQueries units, DeliveryQueries delivery, CancellationToken ct) =>
            TypedResults.Ok(await delivery.QueueViewsAsync(units, ct))).WithSummary("What every unit queue's delivery is doing: cursor, lag, attempts, last error, parked").UnavailableOnTimeout("The delivery entities did not answer in time; try again.");
        admin.MapPost("/units/{unit}/delivery/pause", Pause).WithSummary("Pause a unit's webhook pushing on every node").Takes<PauseBody>().Answers(404).UnavailableOnTimeout("The delivery settings did not answer in time; send it again.");
        admin.MapPost("/units/{unit}/delivery/resume", async (string unit, UnitQueries units, DeliveryQueries delivery, CancellationToken ct) =>
                UnitsEndpoints.NoSuchUnit(units.Routing, unit) is { } noUnit
                    ? (Results<Ok<DeliverySettingsView>, JsonHttpResult<ProblemBody>>)noUnit
                    : TypedResults.Ok(View(await delivery.PauseAsync(unit, null, ct)))).WithSummary("Resume a unit's webhook pushing")
            .UnavailableOnTimeout("The delivery settings did not answer in time; send it again.");
        admin.MapPost("/units/{unit}/queues/{queue}/replay", Replay).WithSummary("Deliver a unit queue again from a seq").Takes<ReplayBody>().Answers(404, 409).UnavailableOnTimeout("The delivery entity did not answer in time; send it again.");
        ParkedEndpoints.Map(admin);
        return app;
    }

    private static async Task<Results<Ok<DeliverySettingsView>, JsonHttpResult<ProblemBody>>> Pause(string unit, HttpContext context,
        UnitQueries units, DeliveryQueries delivery, CancellationToken ct)
    {
        if (UnitsEndpoints.NoSuchUnit(units.Routing, unit) is { } noUnit) return noUnit;
        PauseBody? body = null;
        if (context.Request.ContentLength is > 0 || context.Request.Headers.TransferEncoding.Count > 0)
        {
            var (read, error) = await JsonBody.ReadAsAsync<PauseBody>(context.Request, JsonBody.OrderLimit, ct);
            if (error is not null) return error;
            body = read;
        }
        if (body?.Reason is { Length: > 500 }) return Problems.Field(400, "reason", "must be at most 500 characters");
        var reason = string.IsNullOrWhiteSpace(body?.Reason) ? "paused by an operator" : body.Reason.Trim();
        return TypedResults.Ok(View(await delivery.PauseAsync(unit, reason, ct)));
    }

    private static async Task<Results<Ok<ReplayResponse>, JsonHttpResult<ProblemBody>>> Replay(string unit, string queue, HttpContext context,
        UnitQueries units, DeliveryQueries delivery, CancellationToken ct)
    {
        if (UnitsEndpoints.FindQueue(units.Routing, unit, queue) is not { } address)
            return UnitsEndpoints.NoSuchQueue(units.Routing, unit, queue);
        var (body, error) = await JsonBody.ReadAsAsync<ReplayBody>(context.Request, JsonBody.OrderLimit, ct);
        if (error is not null) return error;
        if (body!.From is not { } from || from < 1)
            return Problems.Field(400, "from", "is required: the seq to deliver again from (1 or more)");
        var result = await delivery.ReplayAsync(address, from, ct);
        return result.Done
            ? TypedResults.Ok(new ReplayResponse(address.Unit, address.Queue, result.DeliveredUpTo))
            : Problems.Field(409, "from", $"queue {address} has handled orders up to seq {result.DeliveredUpTo}: a replay starts at {result.DeliveredUpTo + 1} or earlier");
    }

    private static DeliverySettingsView View(DeliveryProtocol.UnitDelivery d) => DeliverySettingsView.From(d);

    private static async Task<Results<Ok<DeliverySettingsView>, JsonHttpResult<ProblemBody>>> PutSettings(string unit, HttpContext context,
        UnitQueries units, DeliveryQueries delivery, DeliveryOptions options, CancellationToken ct)
    {
        if (UnitsEndpoints.NoSuchUnit(units.Routing, unit) is { } noUnit) return noUnit;
        var defaults = options.WebhookDefaults;
        var (body, error) = await JsonBody.ReadAsAsync<DeliverySettingsBody>(context.Request, JsonBody.OrderLimit, ct);
        if (error is not null) return error;
        var errors = new ValidationErrors();
        var mode = body!.Mode switch
        {
            "pull" => DeliveryMode.Pull,
            "webhook" => DeliveryMode.Webhook,
            _ => (DeliveryMode?)null,
        };
        if (mode is null) errors.Add("mode", "is required: pull or webhook");
        TimeSpan? Duration(string? text, string field)
        {
            if (text is null) return null;
            if (Durations.TryParse(text, out var value)) return value;
            errors.Add(field, $"must be a duration such as 10s, 500ms, 5m or 1h (got '{text}')");
            return null;
        }
        var timeout = Duration(body.Timeout, "timeout");
        var maxAge = Duration(body.MaxAge, "maxAge");
        var onFailure = body.OnFailure switch
        {
            null or "block" => FailurePolicy.Block,
            "park" => FailurePolicy.Park,
            var other => Fail(errors, "onFailure", $"must be block or park (got '{other}')"),
        };
        var settings = new UnitDeliverySettings(mode ?? DeliveryMode.Webhook, body.Url, body.Secrets, body.Batch ?? defaults.Batch,
            body.Timeout is null ? defaults.Timeout : timeout, onFailure, body.MaxAttempts ?? defaults.MaxAttempts, maxAge, body.RateLimit ?? 0);
        if (mode is not null) errors.AddAll(settings.Validate()); // every problem at once, not one per attempt
        if (!errors.IsEmpty) return Problems.Result(400, $"The delivery settings are invalid: {errors.Summary()}", errors.ToDictionary());
        return TypedResults.Ok(View(await delivery.SetSettingsAsync(unit, mode == DeliveryMode.Pull ? UnitDeliverySettings.Pull : settings, ct)));
    }

    private static FailurePolicy Fail(ValidationErrors errors, string field, string message)
    {
        errors.Add(field, message);
        return FailurePolicy.Block;
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
