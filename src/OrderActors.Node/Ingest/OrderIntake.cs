using System.Text.Json;
using Akka.Actor;
using Akka.Cluster;
using OrderActors.Actors.Catalog;
using OrderActors.Actors.Ingest;
using OrderActors.Domain.Catalog;
using OrderActors.Domain.Ingest;
using OrderActors.Domain.Orders;
using OrderActors.Domain.Routing;
using OrderActors.Node.Http;

namespace OrderActors.Node.Ingest;

/// <summary>One order read for intake: either ready to submit (enriched, with the fingerprint of what was sent) or refused.</summary>
/// <param name="AsSent">the same order under its id as sent, when that was not NFC: an earlier build may hold it so</param>
public sealed record IntakeItem(string? OrderId, Submission? Submission, ProblemBody? Problem, Submission? AsSent = null);

/// <summary>
/// Intake's command side: reads an order (validation, the fingerprint of what the OMS sent, enrichment from this
/// node's catalog) and submits it to its first queue through the node's <see cref="IntakeBatcher"/>.
/// </summary>
public sealed class OrderIntake(IntakeBatcher batcher, CatalogStore catalog, RoutingDirectory routing, IngestOptions ingest, OrderQueries queries,
    ActorSystem system)
{
    private string? _node;

    /// <summary>
    /// Where a request's orders came in: this node, and the W3C <c>traceparent</c> the OMS sent with the request (an
    /// invalid one is ignored, as Trace Context asks; it applies to every order of a batch).
    /// </summary>
    public OrderOrigin OriginOf(HttpRequest request)
    {
        if (_node is null)
        {
            var self = Cluster.Get(system).SelfAddress;
            _node = $"{self.Host}:{self.Port}";
        }
        return new OrderOrigin(_node, SentTraceParent(request));
    }

    /// <summary>The request's one valid <c>traceparent</c>, in its version-00 form (null: none, several, or invalid).</summary>
    public static string? SentTraceParent(HttpRequest request) =>
        request.Headers.TryGetValue("traceparent", out var values) && values.Count == 1 ? TraceParent.Normalize(values[0]) : null;

    /// <summary>
    /// Reads an order for intake: validates it, fingerprints what the OMS sent (so that a resend is recognised
    /// whatever the catalog does meanwhile), then enriches it from the catalog.
    /// </summary>
    public IntakeItem Read(JsonElement json, OrderOrigin origin)
    {
        var parsed = OrderParser.Parse(json, routing.Live.KnownCodes);
        if (!parsed.IsValid)
            return new IntakeItem(parsed.OrderId, null, Problems.ForOrder(parsed.Rejection!.Value, parsed.Errors));

        var (enriched, unknown) = Enrichment.Enrich(parsed.Order!, catalog.Current);
        if (enriched is null)
        {
            var errors = new ValidationErrors();
            for (var i = 0; i < parsed.Order!.Lines.Count; i++)
                if (unknown.Contains(parsed.Order.Lines[i].Sku))
                    errors.Add($"lines[{i}].sku", $"unknown SKU '{parsed.Order.Lines[i].Sku}'");
            return new IntakeItem(parsed.OrderId, null, Problems.Body(422,
                $"The catalog has no product for SKU {string.Join(", ", unknown.Select(u => $"'{u}'"))}.", errors.ToDictionary()));
        }
        var submission = new Submission(enriched, OrderFingerprint.Compute(parsed.Order!), origin);
        if (parsed.SentOrderId is not { } sent || sent == enriched.OrderId) return new IntakeItem(enriched.OrderId, submission, null);
        var asSent = new Submission(enriched with { OrderId = sent }, OrderFingerprint.Compute(parsed.Order! with { OrderId = sent }), origin);
        return new IntakeItem(enriched.OrderId, submission, null, asSent);
    }


    /// <summary>
    /// Submits orders read by <see cref="Read"/> to their first queues: each what it was submitted as, and its outcome,
    /// in the order given. An order is submitted under its NFC id, unless its id as sent was not NFC and an earlier build
    /// accepted it so: then under that id, so that a resend is its duplicate (or conflict), never a second order.
    /// </summary>
    public async Task<(Submission Submitted, IngestProtocol.SubmitOutcome Outcome)[]> SubmitAsync(IReadOnlyList<IntakeItem> items, CancellationToken ct)
    {
        var submissions = new Submission[items.Count];
        for (var i = 0; i < items.Count; i++)
            submissions[i] = items[i].AsSent is { } asSent && await queries.AcceptedExactlyAsync(asSent.Order.OrderId, ct) is not null
                ? asSent
                : items[i].Submission!;
        var outcomes = await Task.WhenAll(submissions.Select(s => batcher.SubmitAsync(FirstQueueId.Of(s.Order.OrderId, ingest.Queues), s)));
        return submissions.Zip(outcomes).ToArray();
    }

    /// <summary>Whether intake should refuse requests before reading them (see <see cref="IntakeBatcher.Saturated"/>).</summary>
    public bool Saturated => batcher.Saturated;
}
