using System.Diagnostics.Metrics;
using OrderActors.Actors.Delivery;
using OrderActors.Actors.Ingest;
using OrderActors.Actors.Units;

namespace OrderActors.Node.Telemetry;

/// <summary>
/// The p50 and p99 of this node's latest latencies, for the operator page: a listener on the features' own histograms
/// (accept, accepted → processed, accepted → delivered) that keeps per-second counts in fine logarithmic buckets over
/// a sliding window (<c>orderactors.telemetry.page-latency-window</c>). Prometheus computes the same from the exported
/// histograms over any range; this is what the page shows without one.
/// </summary>
public sealed class RecentLatencies : IDisposable
{
    public const string Accept = "orderactors.orders.accept.duration", Processing = "orderactors.orders.processing.duration",
        EndToEnd = "orderactors.orders.end_to_end.duration";

    private static readonly string[] Meters = [IngestMetrics.MeterName, UnitsMetrics.MeterName, DeliveryMetrics.MeterName];
    private readonly MeterListener _listener = new();
    private readonly Dictionary<string, LatencyWindow> _windows;

    public RecentLatencies(TimeSpan window)
    {
        var seconds = Math.Max(1, (int)window.TotalSeconds);
        _windows = new Dictionary<string, LatencyWindow>(StringComparer.Ordinal)
        {
            [Accept] = new(seconds), [Processing] = new(seconds), [EndToEnd] = new(seconds),
        };
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (Meters.Contains(instrument.Meter.Name) && _windows.ContainsKey(instrument.Name)) listener.EnableMeasurementEvents(instrument, _windows[instrument.Name]);
        };
        _listener.SetMeasurementEventCallback<double>((_, value, _, state) => ((LatencyWindow)state!).Record(value, Environment.TickCount64 / 1000));
        _listener.Start();
    }

    /// <summary>The window's median and 99th percentile of <paramref name="instrument"/> in seconds, and how many it holds (null: none).</summary>
    public LatencyWindow.Quantiles? Of(string instrument) => _windows[instrument].Read(Environment.TickCount64 / 1000);

    public void Dispose() => _listener.Dispose();
}

/// <summary>
/// Counts of values in logarithmic buckets (about 5% apart, 0.1 ms to 10 min), one row per second of the window; a
/// row is reused, cleared, when its second comes round again. Quantiles are read as the upper bound of their bucket.
/// </summary>
public sealed class LatencyWindow(int seconds)
{
    public sealed record Quantiles(double P50, double P99, long Count);

    private const double Smallest = 0.0001, Factor = 1.05;
    private static readonly int Buckets = (int)Math.Ceiling(Math.Log(600 / Smallest) / Math.Log(Factor)) + 1;
    private readonly long[][] _counts = Enumerable.Range(0, seconds).Select(_ => new long[Buckets]).ToArray();
    private readonly long[] _secondOf = Enumerable.Repeat(-1L, seconds).ToArray();
    private readonly object _gate = new();

    public void Record(double value, long second)
    {
        var bucket = value <= Smallest ? 0 : Math.Min(Buckets - 1, (int)Math.Ceiling(Math.Log(value / Smallest) / Math.Log(Factor)));
        var row = (int)(second % _counts.Length);
        lock (_gate)
        {
            if (_secondOf[row] != second)
            {
                Array.Clear(_counts[row]);
                _secondOf[row] = second;
            }
            _counts[row][bucket]++;
        }
    }

    public Quantiles? Read(long now)
    {
        var merged = new long[Buckets];
        long total = 0;
        lock (_gate)
            for (var row = 0; row < _counts.Length; row++)
            {
                if (_secondOf[row] < 0 || now - _secondOf[row] >= _counts.Length) continue;
                for (var b = 0; b < Buckets; b++) merged[b] += _counts[row][b];
            }
        foreach (var c in merged) total += c;
        if (total == 0) return null;
        return new Quantiles(At(merged, total, 0.5), At(merged, total, 0.99), total);
    }

    private static double At(long[] counts, long total, double q)
    {
        var rank = (long)Math.Ceiling(q * total);
        long seen = 0;
        for (var b = 0; b < counts.Length; b++)
        {
            seen += counts[b];
            if (seen >= rank) return Smallest * Math.Pow(Factor, b);
        }
        return Smallest * Math.Pow(Factor, counts.Length - 1);
    }
}
