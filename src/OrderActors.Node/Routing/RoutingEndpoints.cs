using Akka.Actor;
using Akka.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using OrderActors.Actors.Ingest;
using OrderActors.Actors.Routing;
using OrderActors.Domain.Ingest;
using OrderActors.Domain.Orders;
using OrderActors.Domain.Routing;
using OrderActors.Domain.Security;
using OrderActors.Node.Delivery;
using OrderActors.Node.Http;
using OrderActors.Node.Security;
using OrderActors.Node.Units;
using static OrderActors.Actors.Ingest.IngestProtocol;
using static OrderActors.Actors.Routing.RouterProtocol;

namespace OrderActors.Node.Routing;

/// <summary>
/// <c>/api/routing</c> (the live table) and <c>/api/admin/routing</c>: the draft (edited whole, checked field by field
/// against the live table), its publish over an expected version, every version kept, and the diff between two.
/// </summary>
public static class RoutingEndpoints
{
    /// <summary>A routing table is a few hundred codes at most; this bounds what one draft may hold.</summary>
    public const int DraftLimit = JsonBody.OrderLimit;

    public static IEndpointRouteBuilder MapRouting(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/routing", (RoutingDirectory routing) =>
        {
            var live = routing.Live;
            return TypedResults.Ok(new RoutingResponse(live.Version, live.Units.ToDictionary(u => u.Name, u => new RoutingUnit(u.Codes, u.Queues))));
        }).WithSummary("The live routing table: each unit, its codes and queues").RequireAccess(Need.AnyKey);

        var admin = app.MapAdminGroup(Need.Administer);
        const string TryAgain = "The routing tables did not answer in time; try again.";
        admin.MapGet("/routing/draft", GetDraft).WithSummary("The routing draft being edited").Answers(404).UnavailableOnTimeout(TryAgain);
        admin.MapPut("/routing/draft", PutDraft).WithSummary("Replace the routing draft (checked against the live table)").Takes<RoutingTableBody>()
            .Answers(400, 413, 415).UnavailableOnTimeout("The routing tables did not answer in time; GET the draft to see whether it was stored.");
        admin.MapPost("/routing/publish", Publish).WithSummary("Publish the draft as the next version, over the version you expect live")
            .Answers(400, 409).UnavailableOnTimeout("The routing tables did not answer in time; list the versions to see whether it was published.");
        admin.MapGet("/routing/versions", ListVersions).WithSummary("Every routing version: who published it, when and why").UnavailableOnTimeout(TryAgain);
        admin.MapGet("/routing/versions/{version}", GetVersion).WithSummary("One routing version with its table").Answers(400, 404).UnavailableOnTimeout(TryAgain);
        admin.MapPost("/routing/preview", Preview).WithSummary("What a table (the draft, a version, or one given) would do with the last accepted orders; writes nothing")
            .Answers(400, 404, 413, 415).UnavailableOnTimeout("The first queues did not answer in time; try again, or preview fewer orders.");
        admin.MapPost("/routing/test", Test).WithSummary("Where one order body would go under a version or the draft; stores nothing").Takes<object>()
            .Answers(400, 404, 413, 415).UnavailableOnTimeout(TryAgain);
        admin.MapGet("/routing/cuts", Cuts).WithSummary("Where each first queue switched routing versions (its cuts) and the version it routes by now")
            .UnavailableOnTimeout("The first queues did not answer in time; try again.");
        admin.MapGet("/routing/diff", Diff).WithSummary("What changes from one table to another (versions, or the draft)").Answers(400, 404).UnavailableOnTimeout(TryAgain);
        return app;
    }

    private static async Task<Results<Ok<RoutingTableBody>, JsonHttpResult<ProblemBody>>> GetDraft(ActorRegistry registry, ApiOptions api, CancellationToken ct)
    {
        var state = await Ask<RoutingTablesState>(registry, api, new GetRoutingTables(), ct);
        return state.Draft is { } draft
            ? TypedResults.Ok(RoutingTableBody.From(draft))
            : Problems.Result(404, $"There is no draft: version {state.Live.Version} is live and nothing was drafted since. " +
                                   $"Start from GET /api/admin/routing/versions/{state.Live.Version} (its table) and PUT the draft.");
    }

    private static async Task<Results<Ok<RoutingTableBody>, JsonHttpResult<ProblemBody>>> PutDraft(HttpContext context, ActorRegistry registry,
        ApiOptions api, CancellationToken ct)
    {
        var (document, error) = await JsonBody.ReadAsync(context.Request, DraftLimit, ct);
        if (error is not null) return error;
        using var _ = document;
        var (draft, errors) = RoutingDraftReader.Read(document!.RootElement);
        if (draft is null) return Invalid("The routing table is not in the API's shape", errors);
        var answer = await Ask<object>(registry, api, new SetRoutingDraft(draft, CallerOf(context)), ct);
        return answer switch
        {
            RoutingTablesState state => TypedResults.Ok(RoutingTableBody.From(state.Draft!)),
            RoutingDraftRefused refused => Invalid("The draft cannot become a version over the live table", refused.Errors),
            _ => throw new InvalidOperationException($"unexpected answer {answer.GetType().Name}"),
        };
    }

    private static async Task<Results<Ok<RoutingVersionView>, JsonHttpResult<ProblemBody>>> Publish(HttpContext context, ActorRegistry registry,
        RoutingDirectory directory, UnitQueries units, DeliveryQueries delivery, ApiOptions api, CancellationToken ct)
    {
        var (body, error) = await JsonBody.ReadAsAsync<PublishBody>(context.Request, DraftLimit, ct);
        if (error is not null) return error;
        if (body!.ExpectedVersion is not { } expected)
            return Problems.Field(400, "expectedVersion", "is required: the version you saw live (GET /api/admin/routing/versions), so that two publishes cannot overwrite each other");
        if (body.Note is { Length: > RoutingDefinition.MaxDescriptionLength })
            return Problems.Field(400, "note", $"must be at most {RoutingDefinition.MaxDescriptionLength} characters");
        if (await UndrainedAsync(await Ask<RoutingTablesState>(registry, api, new GetRoutingTables(), ct), expected, directory, units, delivery, ct) is { } undrained)
            return undrained;
        var outcome = await Ask<RoutingPublishOutcome>(registry, api, new PublishRouting(expected, CallerOf(context), body.Note), ct);
        var live = outcome.State.Live;
        switch (outcome.Verdict)
        {
            case PublishVerdict.Published:
                directory.Update(outcome.State.Versions); // this node routes by it at once; the others when the publication reaches them
                return TypedResults.Ok(RoutingVersionView.From(live, live.Version));
            case PublishVerdict.Stale:
                return Problems.Field(409, "expectedVersion", $"is {expected}, but version {live.Version} is live (published by {live.PublishedBy}" +
                                                              (RoutingVersionSummary.AtOf(live) is { } at ? $" at {at:O}" : "") +
                                                              "): look at it and at the draft, then publish again over it");
            case PublishVerdict.NoDraft:
                return Problems.Result(409, $"There is no draft to publish (version {live.Version} is live): PUT /api/admin/routing/draft first.");
            case PublishVerdict.Unchanged:
                return Problems.Result(409, $"The draft is the live table (version {live.Version}): nothing to publish.");
            default:
                return Invalid("The draft cannot become a version over the live table", outcome.Errors);
        }
    }

    /// <summary>
    /// 409 when the draft retires a unit whose queues still hold orders its downstream system has not confirmed (null:
    /// none does). A unit is retired in two steps: a version moves its codes to other units (it takes no new orders),
    /// and once its queues are drained a later one leaves it out. Its queues and feeds stay readable after that.
    /// </summary>
    private static async Task<JsonHttpResult<ProblemBody>?> UndrainedAsync(RoutingTablesState state, int expected, RoutingDirectory directory,
        UnitQueries units, DeliveryQueries delivery, CancellationToken ct)
    {
        if (state.Draft is not { } draft || expected != state.Live.Version) return null; // the publish says why not
        var problems = new List<string>();
        foreach (var name in RoutingDiff.Between(state.Live.Definition, draft).UnitsRemoved)
        {
            if (directory.FindUnit(name) is not { } unit) continue;
            var lastSeqs = await units.LastSeqsAsync(unit, ct);
            var statuses = await delivery.StatusAsync(Enumerable.Range(0, unit.Queues).Select(q => new UnitQueueAddress(name, q)), ct);
            var waiting = lastSeqs.Zip(statuses, (lastSeq, s) => lastSeq - s.DeliveredUpTo).Select((w, q) => (Queue: q, Waiting: w)).Where(q => q.Waiting > 0).ToList();
            if (waiting.Count > 0)
                problems.Add($"unit {name} still holds orders not delivered ({string.Join(", ", waiting.Select(w => $"queue {w.Queue}: {w.Waiting}"))})");
        }
        return problems.Count == 0
            ? null
            : Problems.Result(409, $"The draft retires {string.Join("; ", problems)}. A unit is retired once its queues are drained: publish a " +
                                   "version that moves its codes to other units first (it may stay without codes meanwhile), then retire it.");
    }

    private static async Task<Ok<List<RoutingVersionSummary>>> ListVersions(ActorRegistry registry, ApiOptions api, CancellationToken ct)
    {
        var state = await Ask<RoutingTablesState>(registry, api, new GetRoutingTables(), ct);
        return TypedResults.Ok(state.Versions.Select(v => RoutingVersionSummary.From(v, state.Live.Version)).ToList());
    }

    private static async Task<Results<Ok<RoutingVersionView>, JsonHttpResult<ProblemBody>>> GetVersion(string version, ActorRegistry registry,
        ApiOptions api, CancellationToken ct)
    {
        if (!int.TryParse(version, out var v) || v < 1) return Problems.Field(400, "version", $"must be a version number, 1 or more (got '{version}')");
        var state = await Ask<RoutingTablesState>(registry, api, new GetRoutingTables(), ct);
        return state.Versions.FirstOrDefault(x => x.Version == v) is { } found
            ? TypedResults.Ok(RoutingVersionView.From(found, state.Live.Version))
            : Problems.Field(404, "version", $"no version {v}: versions are 1–{state.Live.Version}");
    }

    private static async Task<Results<Ok<RoutingDiffView>, JsonHttpResult<ProblemBody>>> Diff(string? from, string? to, ActorRegistry registry,
        ApiOptions api, CancellationToken ct)
    {
        var state = await Ask<RoutingTablesState>(registry, api, new GetRoutingTables(), ct);
        var fromName = from ?? state.Live.Version.ToString();
        var toName = to ?? (state.Draft is null ? state.Live.Version.ToString() : Draft);
        var (a, aError) = Table("from", fromName, state);
        if (aError is not null) return aError;
        var (b, bError) = Table("to", toName, state);
        if (bError is not null) return bError;
        return TypedResults.Ok(RoutingDiffView.Of(fromName, toName, RoutingDiff.Between(a!, b!)));
    }

    private const string Draft = "draft";

    public const int DefaultPreviewOrders = 10_000, MaxPreviewOrders = 100_000;

    private static async Task<Results<Ok<RoutingPreviewView>, JsonHttpResult<ProblemBody>>> Preview(HttpContext context, ActorRegistry registry,
        IngestOptions ingest, ApiOptions api, CancellationToken ct)
    {
        var (body, error) = await JsonBody.ReadAsAsync<PreviewBody>(context.Request, DraftLimit, ct);
        if (error is not null) return error;
        if (body!.Last is < 1 or > MaxPreviewOrders) return Problems.Field(400, "last", $"must be 1–{MaxPreviewOrders:N0} (default {DefaultPreviewOrders:N0})");
        if (new[] { body.Version is not null, body.Draft == true, body.Table is not null }.Count(x => x) > 1)
            return Problems.Field(400, "table", "name one table to preview: version, draft or table");
        var started = System.Diagnostics.Stopwatch.StartNew();
        var state = await Ask<RoutingTablesState>(registry, api, new GetRoutingTables(), ct);
        var live = state.Live;

        RoutingDefinition candidate;
        string name;
        if (body.Table is { } inline)
        {
            var (read, errors) = RoutingDraftReader.Read(inline);
            if (read is null) return Invalid("The table is not in the API's shape", errors.Select(e => e with { Field = "table." + e.Field }).ToList());
            (candidate, name) = (read, "table");
        }
        else if (body.Version is { } v)
        {
            if (state.Versions.FirstOrDefault(x => x.Version == v) is not { } found)
                return Problems.Field(404, "version", $"no version {v}: versions are 1–{live.Version}");
            (candidate, name) = (found.Definition, $"version {v}");
        }
        else if (state.Draft is { } draft) (candidate, name) = (draft, Draft);
        else return Problems.Result(404, $"There is no draft to preview (version {live.Version} is live): PUT one, or name a version or a table.");
        if (body.Version is null && candidate.Validate(live.Definition) is { Count: > 0 } invalid)
            return Invalid($"The {name} cannot become a version over the live table", invalid);

        var max = body.Last ?? DefaultPreviewOrders;
        var region = await registry.GetAsync<IngestRegion>(ct);
        var replies = await Task.WhenAll(FirstQueueId.All(ingest.Queues).Select(q =>
            region.Ask<RecentOrders>(new GetRecentOrders(q.EntityId, max, body.Since), api.AskTimeout, ct)));
        var orders = replies.SelectMany(r => r.Orders).OrderByDescending(o => o.AcceptedAt).ThenByDescending(o => o.Offset).Take(max).Reverse().ToList();
        var preview = RoutingPreview.Of(orders, live.Definition.ToTable(live.Version), candidate.ToTable(live.Version + 1));
        return TypedResults.Ok(new RoutingPreviewView(name, live.Version, replies.All(r => r.Complete), started.ElapsedMilliseconds, preview));
    }

    private static async Task<Ok<List<FirstQueueCuts>>> Cuts(ActorRegistry registry, IngestOptions ingest, ApiOptions api, CancellationToken ct)
    {
        var region = await registry.GetAsync<IngestRegion>(ct);
        var stats = await Task.WhenAll(FirstQueueId.All(ingest.Queues).Select(q => region.Ask<IngestStats>(new GetIngestStats(q.EntityId), api.AskTimeout, ct)));
        return TypedResults.Ok(FirstQueueId.All(ingest.Queues).Zip(stats, (q, s) => new FirstQueueCuts(q.Queue, s.LastOffset,
            s.Cuts is [.., var last] ? last.Version : 1, (s.Cuts ?? []).Select(c => new RoutingCutView(c.FromOffset, c.Version)).ToList())).ToList());
    }

    private static async Task<Results<Ok<RoutingTestView>, JsonHttpResult<ProblemBody>>> Test(HttpContext context, string? version, ActorRegistry registry,
        IngestOptions ingest, ApiOptions api, CancellationToken ct)
    {
        var state = await Ask<RoutingTablesState>(registry, api, new GetRoutingTables(), ct);
        var (definition, tableError) = Table("version", version ?? state.Live.Version.ToString(), state);
        if (tableError is not null) return tableError;
        var name = version == Draft ? Draft : $"version {version ?? state.Live.Version.ToString()}";
        var table = definition!.ToTable(state.Live.Version + 1);

        var (document, error) = await JsonBody.ReadAsync(context.Request, JsonBody.OrderLimit, ct);
        if (error is not null) return error;
        using var _ = document;
        var parsed = OrderParser.Parse(document!.RootElement, table.KnownCodes);
        if (parsed.Rejection == RejectionKind.Invalid) return Problems.Result(Problems.ForOrder(RejectionKind.Invalid, parsed.Errors));
        var orderId = parsed.OrderId!;
        var code = parsed.Order?.BusinessCode ?? document.RootElement.GetProperty("businessCode").GetString()!;
        var firstQueue = FirstQueueId.Of(orderId, ingest.Queues).Queue;
        var targets = table.Route(code, firstQueue); // the router's matcher
        return TypedResults.Ok(new RoutingTestView(orderId, code, firstQueue, name, targets.Count > 0,
            targets.Select(t => new UnitQueueAddressView(t.Unit, t.Queue)).ToList(),
            targets.Count > 0 ? null : $"no unit takes code '{code}' under the {name}: intake refuses such an order with 422"));
    }

    private static (RoutingDefinition? Table, JsonHttpResult<ProblemBody>? Error) Table(string field, string name, RoutingTablesState state)
    {
        if (name == Draft)
            return state.Draft is { } draft ? (draft, null) : (null, Problems.Field(404, field, "names the draft, and there is none"));
        if (!int.TryParse(name, out var v) || v < 1) return (null, Problems.Field(400, field, $"must be a version number or 'draft' (got '{name}')"));
        return state.Versions.FirstOrDefault(x => x.Version == v) is { } found
            ? (found.Definition, null)
            : (null, Problems.Field(404, field, $"no version {v}: versions are 1–{state.Live.Version}"));
    }

    private static JsonHttpResult<ProblemBody> Invalid(string what, IReadOnlyList<RoutingFieldError> errors) =>
        Problems.Result(400, $"{what}: " + string.Join("; ", errors.Select(e => $"{e.Field} {e.Reason}")),
            errors.GroupBy(e => e.Field).ToDictionary(g => g.Key, g => g.Select(e => e.Reason).ToArray()));

    /// <summary>Who is asking, as recorded with what they publish: the key's name (<c>admin</c> for the admin token or a node without keys).</summary>
    private static string CallerOf(HttpContext context) => ApiAuth.PrincipalOf(context)?.Name ?? "admin";

    private static async Task<T> Ask<T>(ActorRegistry registry, ApiOptions api, object message, CancellationToken ct)
    {
        var region = await registry.GetAsync<RoutingTablesRegion>(ct);
        return await region.Ask<T>(message, api.AskTimeout, ct);
    }
}
