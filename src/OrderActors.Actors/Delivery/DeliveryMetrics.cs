using System.Diagnostics.Metrics;
using OrderActors.Actors.Telemetry;
using OrderActors.Domain.Units;

namespace OrderActors.Actors.Delivery;

/// <summary>
/// What delivery measures (meter <c>OrderActors.Delivery</c>): each webhook attempt by outcome and its time at the
/// receiver (the messaging conventions' client operation duration), the retries scheduled, the orders delivered and
/// parked, the time from processing and from acceptance to delivery, and, for the delivery entities this node hosts,
/// the orders parked now and whether the queue's pushing is paused.
/// </summary>
public sealed class DeliveryMetrics
{
    public const string MeterName = "OrderActors.Delivery";

    private readonly Counter<long> _attempts, _retries, _delivered, _parked;
    private readonly Histogram<double> _requestDuration, _deliveryDuration, _endToEnd;
    private static readonly KeyValuePair<string, object?> System = new("messaging.system", "orderactors"),
        Send = new("messaging.operation.type", "send");

    /// <param name="meters">the host's meter factory (none: a meter of its own that nothing listens to, as in actor tests)</param>
    public DeliveryMetrics(IMeterFactory? meters = null)
    {
        var meter = FeatureMeter.Create(meters, MeterName);
        _attempts = meter.CreateCounter<long>("orderactors.delivery.attempts", "{request}",
            "Webhook requests sent, per unit and outcome: success, redirect, client_error, gone, throttled, server_error, timeout, connection_error");
        _retries = meter.CreateCounter<long>("orderactors.delivery.retries", "{request}", "Webhook requests scheduled to be sent again after a failed attempt, per unit");
        _delivered = meter.CreateCounter<long>("orderactors.orders.delivered", "{order}",
            "Orders confirmed by the unit's downstream system (a webhook's 2xx, a pull consumer's ack), per unit");
        _parked = meter.CreateCounter<long>("orderactors.delivery.parked.total", "{order}", "Orders parked after their delivery failed, per unit");
        _requestDuration = meter.CreateHistogram("messaging.client.operation.duration", "s",
            "How long the receiver took to answer a webhook request (messaging.destination.name: the unit; error.type: why it failed)",
            advice: Buckets.Seconds);
        _deliveryDuration = meter.CreateHistogram("orderactors.orders.delivery.duration", "s",
            "From an order's processing to its confirmation by a webhook receiver, per unit", advice: Buckets.Seconds);
        _endToEnd = meter.CreateHistogram("orderactors.orders.end_to_end.duration", "s",
            "From an order's acceptance (a 202) to its confirmation by a webhook receiver, per unit", advice: Buckets.Seconds);
        meter.CreateObservableGauge("orderactors.delivery.parked", Parked.Depths, "{order}",
            "Orders parked now (not retried, not archived) in a delivery entity hosted here");
        meter.CreateObservableGauge("orderactors.delivery.paused", Paused.Depths, "{queue}",
            "1 when a unit queue's webhook pushing is paused (by an operator, a 410 or a journal that cannot be written), hosted here");
    }

    /// <summary>The delivery entities this node hosts: their open parked orders (and since when the oldest waits).</summary>
    public QueueGauges Parked { get; } = new();

    /// <summary>The delivery entities this node hosts: 1 when paused.</summary>
    public QueueGauges Paused { get; } = new();

    /// <summary>One webhook attempt: its outcome class and how long the receiver took.</summary>
    public void Attempt(KeyValuePair<string, object?> unit, int? status, bool timedOut, double seconds)
    {
        var outcome = Outcome(status, timedOut);
        _attempts.Add(1, unit, new KeyValuePair<string, object?>("outcome", outcome));
        var destination = new KeyValuePair<string, object?>("messaging.destination.name", unit.Value);
        if (outcome == "success") _requestDuration.Record(seconds, System, Send, destination);
        else _requestDuration.Record(seconds, System, Send, destination, new KeyValuePair<string, object?>("error.type", status?.ToString() ?? outcome));
    }

    public void RetryScheduled(KeyValuePair<string, object?> unit) => _retries.Add(1, unit);

    public void ParkedOrders(KeyValuePair<string, object?> unit, int count) => _parked.Add(count, unit);

    /// <summary>Orders a pull consumer acked, or a parked order confirmed when sent again (their times are not measured).</summary>
    public void Confirmed(KeyValuePair<string, object?> unit, long count)
    {
        if (count > 0) _delivered.Add(count, unit);
    }

    /// <summary>A webhook receiver confirmed these entries at <paramref name="at"/>.</summary>
    public void Delivered(KeyValuePair<string, object?> unit, IReadOnlyList<FeedEntry> entries, DateTimeOffset at)
    {
        _delivered.Add(entries.Count, unit);
        if (!_endToEnd.Enabled) return;
        foreach (var entry in entries)
        {
            _endToEnd.Record(Math.Max(0, (at - entry.Order.AcceptedAt).TotalSeconds), unit);
            if (entry.ProcessedAt is { } processed) _deliveryDuration.Record(Math.Max(0, (at - processed).TotalSeconds), unit);
        }
    }

    /// <summary>The outcome class of an attempt (a label of a small fixed set).</summary>
    public static string Outcome(int? status, bool timedOut) => status switch
    {
        null => timedOut ? "timeout" : "connection_error",
        >= 200 and < 300 => "success",
        >= 300 and < 400 => "redirect",
        410 => "gone",
        408 or 425 or 429 => "throttled",
        >= 400 and < 500 => "client_error",
        _ => "server_error",
    };
}
