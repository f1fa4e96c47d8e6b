using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace OrderActors.Actors.Telemetry;

/// <summary>
/// The depth and age of the queues this node hosts, for a feature's observable gauges: each queue's actor sets its own
/// figures as they change and removes them when it stops (a hand-off), so that a queue is reported by the one node
/// that hosts it and a sum over the nodes counts each queue once. Reading is the exporter's, on its own thread.
/// </summary>
public sealed class QueueGauges
{
    private readonly ConcurrentDictionary<string, Figures> _queues = new(StringComparer.Ordinal);

    /// <param name="key">the queue's name (its entity id)</param>
    /// <param name="tags">the labels it is reported with (low cardinality: a unit and a queue number, never an order)</param>
    /// <param name="depth">orders waiting in it</param>
    /// <param name="oldestSince">since when its oldest waiting order waits (null: none waits)</param>
    public void Set(string key, KeyValuePair<string, object?>[] tags, long depth, DateTimeOffset? oldestSince) =>
        _queues[key] = new Figures(tags, depth, oldestSince?.UtcTicks ?? 0);

    public void Remove(string key) => _queues.TryRemove(key, out _);

    public IEnumerable<Measurement<long>> Depths() =>
        _queues.Values.Select(q => new Measurement<long>(q.Depth, q.Tags));

    /// <summary>Seconds the oldest waiting order of each queue has waited (0 for a queue with none).</summary>
    public IEnumerable<Measurement<double>> Ages()
    {
        var now = DateTimeOffset.UtcNow.UtcTicks;
        return _queues.Values.Select(q => new Measurement<double>(
            q.OldestTicks == 0 ? 0 : Math.Max(0, (now - q.OldestTicks) / (double)TimeSpan.TicksPerSecond), q.Tags));
    }

    /// <summary>The labels of a unit queue (or a first queue, with <paramref name="unit"/> null).</summary>
    public static KeyValuePair<string, object?>[] Tags(string? unit, int queue) => unit is null
        ? [new("queue", queue.ToString(System.Globalization.CultureInfo.InvariantCulture))]
        : [new("unit", unit), new("queue", queue.ToString(System.Globalization.CultureInfo.InvariantCulture))];

    private sealed record Figures(KeyValuePair<string, object?>[] Tags, long Depth, long OldestTicks);
}

/// <summary>The histogram buckets the node's durations share, in seconds: from a millisecond (a group commit) to minutes (a receiver down).</summary>
public static class Buckets
{
    public static readonly InstrumentAdvice<double> Seconds = new()
    {
        HistogramBucketBoundaries = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
    };

    /// <summary>Counts (orders in a batch, events in a transaction): powers of two up to the largest batch.</summary>
    public static readonly InstrumentAdvice<int> Counts = new()
    {
        HistogramBucketBoundaries = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048],
    };

    /// <summary>Seconds elapsed since a <see cref="Stopwatch.GetTimestamp"/>.</summary>
    public static double Since(long timestamp) => Stopwatch.GetElapsedTime(timestamp).TotalSeconds;
}
