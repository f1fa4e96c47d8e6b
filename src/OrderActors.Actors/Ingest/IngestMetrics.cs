using System.Diagnostics.Metrics;
using OrderActors.Actors.Telemetry;

namespace OrderActors.Actors.Ingest;

/// <summary>
/// What intake measures (meter <c>OrderActors.Ingest</c>): the orders received by outcome, how long an accepting
/// request took, and the first queues this node hosts (their depth and the age of their oldest order not handed on).
/// </summary>
public sealed class IngestMetrics
{
    public const string MeterName = "OrderActors.Ingest";

    private readonly Counter<long> _received;
    private readonly Histogram<double> _acceptDuration;
    private static readonly KeyValuePair<string, object?> Single = new("api", "single"), Batch = new("api", "batch");

    /// <param name="meters">the host's meter factory (none: a meter of its own that nothing listens to, as in actor tests)</param>
    public IngestMetrics(IMeterFactory? meters = null)
    {
        var meter = FeatureMeter.Create(meters, MeterName);
        _received = meter.CreateCounter<long>("orderactors.orders.received", "{order}",
            "Orders received over HTTP, by outcome (accepted, duplicate, rejected, throttled, unavailable) and, when rejected, the reason");
        _acceptDuration = meter.CreateHistogram("orderactors.orders.accept.duration", "s",
            "From the request's start to its answer, for requests that accepted orders (api: single or batch)", advice: Buckets.Seconds);
        meter.CreateObservableGauge("orderactors.ingest.queue.depth", FirstQueues.Depths, "{order}",
            "Orders a first queue hosted here has stored and not yet handed to every unit queue they route to");
        meter.CreateObservableGauge("orderactors.ingest.queue.lag", FirstQueues.Ages, "s",
            "How long the oldest order not yet handed on has waited in a first queue hosted here");
    }

    /// <summary>The first queues this node hosts.</summary>
    public QueueGauges FirstQueues { get; } = new();

    /// <summary>Counts <paramref name="count"/> orders received with this outcome (and reason, for a refusal).</summary>
    public void Received(string outcome, long count = 1, string? reason = null)
    {
        if (count <= 0) return;
        if (reason is null) _received.Add(count, new KeyValuePair<string, object?>("outcome", outcome));
        else _received.Add(count, new KeyValuePair<string, object?>("outcome", outcome), new KeyValuePair<string, object?>("reason", reason));
    }

    /// <summary>An accepting request's time, from its start (a <see cref="System.Diagnostics.Stopwatch"/> timestamp).</summary>
    public void Accepted(long startTimestamp, bool batch) => _acceptDuration.Record(Buckets.Since(startTimestamp), batch ? Batch : Single);

    public static class Outcome
    {
        public const string Accepted = "accepted", Duplicate = "duplicate", Rejected = "rejected", Throttled = "throttled", Unavailable = "unavailable";
    }
}
