using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace OrderActors.Bench;

/// <summary>
/// Checks each order of this run: processed in every unit its code routes to, exactly once. Records when each order
/// was accepted and when its last unit processed it for the end-to-end latency. Against a node it reads every unit
/// queue's feed by cursor while the load runs, as the downstream systems would (<see cref="FollowFeedsAsync"/>);
/// the RabbitMQ baseline's consumers call <see cref="Record"/> themselves.
/// </summary>
public sealed class OrderTracker
{
    private readonly string _prefix;
    private readonly (string Unit, int Queues)[] _units;
    private readonly byte[] _expected;
    private readonly byte[] _seen;
    private readonly long[] _acceptedAt;
    private readonly long[] _processedAt;
    private readonly float[] _hopMs; // webhook: the longest wait of the order's units from processedAt to their receiver
    private readonly long[] _unitProcessedAt; // webhook: when the order's last unit processed it
    private readonly Stopwatch _clock;
    private int _complete;
    private long _duplicates;
    private long _lastCompletion;

    /// <param name="routing">The routing table in the shape of <c>GET /api/routing</c>: units, each with its queues and codes.</param>
    public OrderTracker(JsonNode routing, OrderGenerator orders, int count, Stopwatch clock)
    {
        _clock = clock;
        _prefix = orders.OrderId(0)[..^1];
        var units = routing["units"]!.AsObject();
        _units = units.Select(kv => (kv.Key, (int)kv.Value!["queues"]!)).ToArray();
        if (_units.Length > 8) throw new NotSupportedException("the tracker follows at most 8 units");
        var maskByCode = new Dictionary<string, byte>();
        for (var u = 0; u < _units.Length; u++)
            foreach (var code in units[_units[u].Unit]!["codes"]!.AsArray())
                maskByCode[(string)code!] = (byte)(maskByCode.GetValueOrDefault((string)code!) | (1 << u));

        _expected = new byte[count];
        for (var i = 0; i < count; i++) _expected[i] = maskByCode.GetValueOrDefault(orders.CodeOf(i));
        _seen = new byte[count];
        _acceptedAt = new long[count];
        _processedAt = new long[count];
        _hopMs = new float[count];
        _unitProcessedAt = new long[count];
    }

    public int Complete => Volatile.Read(ref _complete);
    public long Duplicates => Interlocked.Read(ref _duplicates);
    public TimeSpan LastCompletion => TimeSpan.FromTicks(Interlocked.Read(ref _lastCompletion));
    public bool IsComplete(int index) => _expected[index] != 0 && _seen[index] == _expected[index];

    /// <summary>The units, in the order of the index that <see cref="Record"/> takes, each with its number of queues.</summary>
    public IReadOnlyList<(string Unit, int Queues)> Units => _units;

    /// <summary>Follows every unit queue's feed on the node until cancelled.</summary>
    public Task FollowFeedsAsync(HttpClient http, CancellationToken ct) =>
        Task.WhenAll(_units.SelectMany((u, unitIndex) => Enumerable.Range(0, u.Queues).Select(q => FollowAsync(http, unitIndex, u.Unit, q, ct))));

    private async Task FollowAsync(HttpClient http, int unitIndex, string unit, int queue, CancellationToken ct)
    {
        long after = 0;
        while (!ct.IsCancellationRequested)
        {
            int count;
            try
            {
                using var response = await http.GetAsync($"/api/units/{unit}/queues/{queue}/orders?after={after}&limit=1000", ct);
                if (!response.IsSuccessStatusCode)
                {
                    await Task.Delay(100, ct);
                    continue;
                }
                await using var stream = await response.Content.ReadAsStreamAsync(ct);
                using var page = await JsonDocument.ParseAsync(stream, cancellationToken: ct);
                var orders = page.RootElement.GetProperty("orders");
                count = orders.GetArrayLength();
                foreach (var item in orders.EnumerateArray())
                    Record(unitIndex, item.GetProperty("orderId").GetString()!, item.GetProperty("acceptedAt").GetDateTimeOffset(),
                        item.GetProperty("processedAt").GetDateTimeOffset());
                after = page.RootElement.GetProperty("next").GetInt64();
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (HttpRequestException)
            {
                count = 0;
            }
            if (count < 1000)
            {
                try { await Task.Delay(20, ct); }
                catch (OperationCanceledException) { return; }
            }
        }
    }

    /// <summary>
    /// Order <paramref name="orderId"/> was processed in unit number <paramref name="unitIndex"/> (at
    /// <paramref name="processedAt"/>: when its receiver had it, for a webhook, which then also gives when the unit
    /// processed it, <paramref name="unitProcessedAt"/>, to tell the delivery's own share of the latency).
    /// </summary>
    public void Record(int unitIndex, string orderId, DateTimeOffset acceptedAt, DateTimeOffset processedAt, DateTimeOffset? unitProcessedAt = null)
    {
        if (!orderId.StartsWith(_prefix, StringComparison.Ordinal) || !int.TryParse(orderId.AsSpan(_prefix.Length), out var index)
            || index < 0 || index >= _seen.Length)
            return; // not an order of this run
        var bit = (byte)(1 << unitIndex);
        lock (_seen)
        {
            if ((_seen[index] & bit) != 0)
            {
                _duplicates++;
                return;
            }
            _seen[index] |= bit;
            _acceptedAt[index] = acceptedAt.UtcTicks;
            _processedAt[index] = Math.Max(_processedAt[index], processedAt.UtcTicks);
            if (unitProcessedAt is { } unitAt)
            {
                _hopMs[index] = Math.Max(_hopMs[index], (float)(processedAt - unitAt).TotalMilliseconds);
                _unitProcessedAt[index] = Math.Max(_unitProcessedAt[index], unitAt.UtcTicks);
            }
            if (_seen[index] == _expected[index])
            {
                _complete++;
                _lastCompletion = _clock.Elapsed.Ticks;
            }
        }
    }

    /// <summary>End-to-end latencies (last unit's processedAt − acceptedAt) of the complete orders, in ms.</summary>
    public double[] EndToEndMs()
    {
        lock (_seen)
        {
            return Enumerable.Range(0, _seen.Length).Where(IsComplete)
                .Select(i => (_processedAt[i] - _acceptedAt[i]) / (double)TimeSpan.TicksPerMillisecond).ToArray();
        }
    }

    /// <summary>Webhook: for each complete order, the longest of its units' waits from processedAt to their receiver, in ms.</summary>
    public double[] DeliveryHopMs()
    {
        lock (_seen)
        {
            return Enumerable.Range(0, _seen.Length).Where(IsComplete).Select(i => (double)_hopMs[i]).ToArray();
        }
    }

    /// <summary>Webhook: for each complete order, acceptedAt → its last unit's processedAt, in ms (what pull measures as end to end).</summary>
    public double[] ProcessedMs()
    {
        lock (_seen)
        {
            return Enumerable.Range(0, _seen.Length).Where(IsComplete)
                .Select(i => (_unitProcessedAt[i] - _acceptedAt[i]) / (double)TimeSpan.TicksPerMillisecond).ToArray();
        }
    }

    /// <summary>
    /// Writes one CSV row <c>e2e,seconds from the first acceptance,end-to-end ms</c> per complete order, in order of
    /// acceptance. Bucketed by second, it shows when the slow orders happened (warm-up, snapshots, GC).
    /// </summary>
    public void WriteLatencies(TextWriter csv)
    {
        lock (_seen)
        {
            var complete = Enumerable.Range(0, _seen.Length).Where(IsComplete).OrderBy(i => _acceptedAt[i]).ToList();
            if (complete.Count == 0) return;
            var start = _acceptedAt[complete[0]];
            foreach (var i in complete)
                csv.WriteLine(FormattableString.Invariant(
                    $"e2e,{(_acceptedAt[i] - start) / (double)TimeSpan.TicksPerSecond:F3},{(_processedAt[i] - _acceptedAt[i]) / (double)TimeSpan.TicksPerMillisecond:F1}"));
        }
    }
}
