using Microsoft.AspNetCore.Http.HttpResults;
using OrderActors.Actors.Delivery;
using OrderActors.Domain.Delivery;
using OrderActors.Domain.Routing;
using OrderActors.Node.Http;
using OrderActors.Node.Units;
using OrderActors.Domain.Security;
using OrderActors.Node.Security;

namespace OrderActors.Node.Delivery;

/// <summary><c>/api/admin/parked</c>: the orders delivery gave up on, listed, sent again or set aside for good.</summary>
public static class ParkedEndpoints
{
    public static void Map(RouteGroupBuilder admin)
    {
        admin.MapGet("/parked", List).WithSummary("The parked orders, oldest first, filtered").Answers(400, 404).UnavailableOnTimeout("The delivery entities did not answer in time; try again.");
        admin.MapPost("/parked/retry", (HttpContext context, UnitQueries units, DeliveryQueries delivery, CancellationToken ct) =>
                Act(context, units, delivery, delivery.RetryParkedAsync, ct)).WithSummary("Send parked orders of a unit again")
            .Takes<ParkedActionBody>().Answers(404)
            .UnavailableOnTimeout("The delivery entities did not answer in time; send it again (a retry of what is already retrying changes nothing).");
        admin.MapPost("/parked/archive", (HttpContext context, UnitQueries units, DeliveryQueries delivery, CancellationToken ct) =>
                Act(context, units, delivery, delivery.ArchiveParkedAsync, ct)).WithSummary("Set parked orders of a unit aside for good")
            .Takes<ParkedActionBody>().Answers(404)
            .UnavailableOnTimeout("The delivery entities did not answer in time; send it again (archiving twice changes nothing).");
    }

    private static async Task<Results<Ok<List<ParkedView>>, JsonHttpResult<ProblemBody>>> List(string? unit, string? queue, string? reason,
        DateTimeOffset? since, DateTimeOffset? until, bool? archived, UnitQueries units, DeliveryQueries delivery, CancellationToken ct)
    {
        IEnumerable<UnitQueueAddress> queues = units.Routing.AllQueues();
        if (unit is not null)
        {
            if (UnitsEndpoints.NoSuchUnit(units.Routing, unit) is { } noUnit) return noUnit;
            queues = queues.Where(q => q.Unit == unit);
            if (queue is not null)
            {
                if (UnitsEndpoints.FindQueue(units.Routing, unit, queue) is not { } address) return UnitsEndpoints.NoSuchQueue(units.Routing, unit, queue);
                queues = [address];
            }
        }
        else if (queue is not null) return Problems.Field(400, "queue", "needs a unit");
        var filter = new ParkedFilter(string.IsNullOrWhiteSpace(reason) ? null : reason, since, until, archived ?? false);
        var lists = await Task.WhenAll(queues.Select(async q => (await delivery.ParkedAsync(q, filter, ct)).Select(p => ParkedView.From(q, p))));
        return TypedResults.Ok(lists.SelectMany(l => l).OrderBy(p => p.ParkedAt).ThenBy(p => p.DeliveryId, StringComparer.Ordinal).ToList());
    }

    private static async Task<Results<Ok<ParkedActionResponse>, JsonHttpResult<ProblemBody>>> Act(HttpContext context, UnitQueries units,
        DeliveryQueries delivery, Func<UnitQueueAddress, IReadOnlyList<long>?, CancellationToken, Task<IReadOnlyList<long>>> act, CancellationToken ct)
    {
        var (body, error) = await JsonBody.ReadAsAsync<ParkedActionBody>(context.Request, JsonBody.OrderLimit, ct);
        if (error is not null) return error;
        if (body!.Unit is not { } unit) return Problems.Field(400, "unit", "is required: the unit whose parked orders to act on");
        if (UnitsEndpoints.NoSuchUnit(units.Routing, unit) is { } noUnit) return noUnit;
        var u = units.Routing.FindUnit(unit)!;
        // deliveryIds given: those (each unit:queue:seq of this unit); none: every parked order of the unit
        var wanted = new Dictionary<int, List<long>>();
        var skipped = new List<string>();
        if (body.DeliveryIds is { } ids)
        {
            if (ids.Count == 0) return Problems.Field(400, "deliveryIds", "is empty: leave it out to act on every parked order of the unit");
            for (var i = 0; i < ids.Count; i++)
            {
                var parts = ids[i]?.Split(':') ?? [];
                if (parts.Length != 3 || parts[0] != unit || !int.TryParse(parts[1], out var k) || k < 0 || k >= u.Queues
                    || !long.TryParse(parts[2], out var seq) || seq < 1)
                    return Problems.Field(400, $"deliveryIds[{i}]", $"must be {unit}:QUEUE:SEQ with a queue 0–{u.Queues - 1} (got '{ids[i]}')");
                (wanted.TryGetValue(k, out var list) ? list : wanted[k] = new List<long>()).Add(seq);
            }
        }
        var queues = body.DeliveryIds is null ? Enumerable.Range(0, u.Queues) : wanted.Keys.Order();
        var applied = new List<string>();
        foreach (var k in queues)
        {
            var address = new UnitQueueAddress(unit, k);
            var seqs = body.DeliveryIds is null ? null : wanted[k];
            var done = await act(address, seqs, ct);
            applied.AddRange(done.Select(seq => DeliveredOrder.DeliveryIdOf(address, seq)));
            if (seqs is not null) skipped.AddRange(seqs.Except(done).Select(seq => DeliveredOrder.DeliveryIdOf(address, seq)));
        }
        return TypedResults.Ok(new ParkedActionResponse(unit, applied, skipped));
    }
}
