using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using OrderActors.Actors.Delivery;
using OrderActors.Actors.Ingest;
using OrderActors.Actors.Telemetry;
using OrderActors.Actors.Units;
using OrderActors.Domain.Orders;
using OrderActors.Domain.Units;
using OrderActors.Node.Ingest;
using OrderActors.Node.Telemetry;

namespace OrderActors.Tests.Telemetry;

/// <summary>The features' instruments, read back with a <see cref="MeterListener"/>: what each records, with which labels.</summary>
public class InstrumentTests
{
    private static readonly DateTimeOffset At = DateTimeOffset.Parse("2026-12-07T10:00:00Z");

    [Fact]
    public void Intake_counts_each_outcome_under_its_labels_and_times_accepting_requests_only()
    {
        var meters = Meters();
        var metrics = new IngestMetrics(meters);
        using var read = new Readings(meters, IngestMetrics.MeterName);
        metrics.Received(IngestMetrics.Outcome.Accepted, 3);
        metrics.Received(IngestMetrics.Outcome.Rejected, 1, "unknown_code");
        metrics.Received(IngestMetrics.Outcome.Throttled, 0); // nothing to count
        metrics.Accepted(System.Diagnostics.Stopwatch.GetTimestamp(), batch: true);

        Assert.Equal(3, read.Sum("orderactors.orders.received", ("outcome", "accepted")));
        Assert.Equal(1, read.Sum("orderactors.orders.received", ("outcome", "rejected"), ("reason", "unknown_code")));
        Assert.Equal(0, read.Count("orderactors.orders.received", ("outcome", "throttled")));
        Assert.Equal(1, read.Count("orderactors.orders.accept.duration", ("api", "batch")));
    }

    [Theory]
    [InlineData(400, null, "invalid")]
    [InlineData(409, null, "conflict")]
    [InlineData(413, null, "too_large")]
    [InlineData(415, null, "unsupported_media_type")]
    [InlineData(422, "businessCode", "unknown_code")]
    [InlineData(422, "lines[0].sku", "unknown_sku")]
    public void A_refusal_reason_is_a_word_of_a_fixed_set(int status, string? field, string reason)
    {
        var problem = field is null ? null : OrderActors.Node.Http.Problems.FieldBody(status, field, "whatever the message says");
        Assert.Equal(reason, IntakeCounting.Reason(status, problem));
    }

    [Theory]
    [InlineData(200, false, "success")]
    [InlineData(204, false, "success")]
    [InlineData(302, false, "redirect")]
    [InlineData(400, false, "client_error")]
    [InlineData(410, false, "gone")]
    [InlineData(429, false, "throttled")]
    [InlineData(408, false, "throttled")]
    [InlineData(503, false, "server_error")]
    [InlineData(null, true, "timeout")]
    [InlineData(null, false, "connection_error")]
    public void A_webhook_attempt_is_classed_by_its_answer(int? status, bool timedOut, string outcome) =>
        Assert.Equal(outcome, DeliveryMetrics.Outcome(status, timedOut));

    [Fact]
    public void A_delivery_records_the_time_from_processing_and_from_acceptance_of_every_order()
    {
        var meters = Meters();
        var metrics = new DeliveryMetrics(meters);
        using var read = new Readings(meters, DeliveryMetrics.MeterName);
        var unit = new KeyValuePair<string, object?>("unit", "erp");
        metrics.Delivered(unit, [Entry(1, At.AddSeconds(-3), At.AddSeconds(-1)), Entry(2, At.AddSeconds(-2), At.AddSeconds(-1))], At);
        metrics.Attempt(unit, 503, timedOut: false, 0.25);

        Assert.Equal(2, read.Sum("orderactors.orders.delivered", ("unit", "erp")));
        Assert.Equal([3.0, 2.0], read.Values("orderactors.orders.end_to_end.duration", ("unit", "erp")));
        Assert.Equal([1.0, 1.0], read.Values("orderactors.orders.delivery.duration", ("unit", "erp")));
        Assert.Equal(1, read.Sum("orderactors.delivery.attempts", ("unit", "erp"), ("outcome", "server_error")));
        Assert.Equal([0.25], read.Values("messaging.client.operation.duration", ("messaging.destination.name", "erp"), ("error.type", "503")));
    }

    [Fact]
    public void A_queue_is_reported_while_hosted_and_its_lag_is_the_age_of_its_oldest_waiting_order()
    {
        var meters = Meters();
        var metrics = new UnitsMetrics(meters);
        metrics.UnitQueues.Set("erp-2", QueueGauges.Tags("erp", 2), 7, DateTimeOffset.UtcNow.AddSeconds(-30));
        metrics.UnitQueues.Set("wms-1", QueueGauges.Tags("wms", 1), 0, null);
        using (var read = new Readings(meters, UnitsMetrics.MeterName))
        {
            read.Collect();
            Assert.Equal([7.0], read.Values("orderactors.unit.queue.depth", ("unit", "erp"), ("queue", "2")));
            Assert.InRange(read.Values("orderactors.unit.queue.lag", ("unit", "erp"), ("queue", "2")).Single(), 29.0, 40.0);
            Assert.Equal([0.0], read.Values("orderactors.unit.queue.lag", ("unit", "wms"), ("queue", "1")));
        }
        metrics.UnitQueues.Remove("erp-2"); // handed off
        using (var read = new Readings(meters, UnitsMetrics.MeterName))
        {
            read.Collect();
            Assert.Empty(read.Values("orderactors.unit.queue.depth", ("unit", "erp")));
        }
    }

    [Theory]
    [InlineData("dotnet.assembly.count", "dotnet.assemblies")]
    [InlineData("dotnet.thread_pool.thread.count", "dotnet.thread_pool.threads")]
    [InlineData("dotnet.something.count", "dotnet.something.number")]
    public void A_platform_gauge_named_count_is_renamed_for_Prometheus(string name, string renamed)
    {
        using var meter = new Meter("test.rename");
        var gauge = meter.CreateObservableGauge(name, () => 1);
        Assert.Equal(renamed, PrometheusNames.View(gauge)?.Name);
        Assert.Null(PrometheusNames.View(meter.CreateCounter<long>("orderactors.orders.received")));
    }

    private static FeedEntry Entry(long seq, DateTimeOffset accepted, DateTimeOffset processed) =>
        new(seq, new AcceptedOrder(new Order($"o-{seq}", "B2C", null, null, [new OrderLine("1", 1, null)]), 0, seq, accepted, ""), processed, processed);

    /// <summary>A meter factory of its own (as the host's): the meters it makes are disposed with it.</summary>
    private static IMeterFactory Meters() => new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>();

    /// <summary>Every measurement of the named meter's instruments, with its labels.</summary>
    private sealed class Readings : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly List<(string Name, double Value, KeyValuePair<string, object?>[] Tags)> _all = new();

        /// <param name="factory">whose meters only: tests running beside this one make meters of the same names</param>
        public Readings(IMeterFactory factory, string meter)
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == meter && instrument.Meter.Scope == factory) listener.EnableMeasurementEvents(instrument);
            };
            _listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Add(i, v, tags));
            _listener.SetMeasurementEventCallback<int>((i, v, tags, _) => Add(i, v, tags));
            _listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Add(i, v, tags));
            _listener.Start();
        }

        private void Add(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            lock (_all) _all.Add((instrument.Name, value, tags.ToArray()));
        }

        public void Collect() => _listener.RecordObservableInstruments();

        public double[] Values(string name, params (string Key, string Value)[] labels)
        {
            lock (_all)
                return _all.Where(m => m.Name == name && labels.All(l => m.Tags.Any(t => t.Key == l.Key && Equals(t.Value, l.Value))))
                    .Select(m => m.Value).ToArray();
        }

        public double Sum(string name, params (string Key, string Value)[] labels) => Values(name, labels).Sum();

        public int Count(string name, params (string Key, string Value)[] labels) => Values(name, labels).Length;

        public void Dispose() => _listener.Dispose();
    }
}
