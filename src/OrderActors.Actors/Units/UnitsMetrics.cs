using System.Diagnostics.Metrics;
using OrderActors.Actors.Telemetry;
using OrderActors.Domain.Units;

namespace OrderActors.Actors.Units;

/// <summary>
/// What the unit queues measure (meter <c>OrderActors.Units</c>): the orders processed per unit, the time from acceptance
/// to processing, and the unit queues this node hosts (their depth and the age of their oldest unprocessed order).
/// </summary>
public sealed class UnitsMetrics
{
    public const string MeterName = "OrderActors.Units";

    private readonly Counter<long> _processed;
    private readonly Histogram<double> _processingDuration;

    /// <param name="meters">the host's meter factory (none: a meter of its own that nothing listens to, as in actor tests)</param>
    public UnitsMetrics(IMeterFactory? meters = null)
    {
        var meter = FeatureMeter.Create(meters, MeterName);
        _processed = meter.CreateCounter<long>("orderactors.orders.processed", "{order}", "Orders a unit's queue has processed, per unit");
        _processingDuration = meter.CreateHistogram("orderactors.orders.processing.duration", "s",
            "From an order's acceptance (a 202) to its processing in a unit's queue, per unit", advice: Buckets.Seconds);
        meter.CreateObservableGauge("orderactors.unit.queue.depth", UnitQueues.Depths, "{order}",
            "Orders a unit queue hosted here has recorded and not processed yet");
        meter.CreateObservableGauge("orderactors.unit.queue.lag", UnitQueues.Ages, "s",
            "How long the oldest unprocessed order of a unit queue hosted here has waited");
        meter.CreateObservableGauge("orderactors.delivery.queue.depth", Undelivered.Depths, "{order}",
            "Orders a unit queue hosted here has processed and its downstream system has not confirmed yet (as far as stored)");
        meter.CreateObservableGauge("orderactors.delivery.queue.lag", Undelivered.Ages, "s",
            "How long ago the oldest order not confirmed downstream was processed, for a unit queue hosted here");
    }

    /// <summary>The unit queues this node hosts: their processed orders not delivered yet.</summary>
    public QueueGauges Undelivered { get; } = new();

    /// <summary>Whether anything listens to the processed orders (else their entries need not be gathered).</summary>
    public bool Measuring => _processed.Enabled;

    /// <summary>The unit queues this node hosts.</summary>
    public QueueGauges UnitQueues { get; } = new();

    /// <summary>Counts the entries processed at <paramref name="at"/>, and the time each took from its acceptance.</summary>
    public void Processed(KeyValuePair<string, object?> unit, IReadOnlyList<FeedEntry> entries, DateTimeOffset at)
    {
        if (entries.Count == 0) return;
        _processed.Add(entries.Count, unit);
        if (!_processingDuration.Enabled) return;
        foreach (var entry in entries) _processingDuration.Record(Math.Max(0, (at - entry.Order.AcceptedAt).TotalSeconds), unit);
    }
}
