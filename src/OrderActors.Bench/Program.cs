using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using OrderActors.Bench;

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

BenchOptions options;
try
{
    if (args.Contains("--help") || args.Contains("-h"))
    {
        Console.WriteLine(BenchOptions.Usage);
        return 0;
    }
    options = BenchOptions.Parse(args);
}
catch (Exception e) when (e is ArgumentException or FormatException)
{
    Console.Error.WriteLine($"bench: {e.Message}\n\n{BenchOptions.Usage}");
    return 2;
}

await using var node = options.Targets.Count == 0 ? await NodeLauncher.StartAsync(options.NodeDll, options.Keep, Console.Error) : null;
var targets = node is null ? options.Targets : [node.Url];

var handler = new SocketsHttpHandler { MaxConnectionsPerServer = options.Concurrency + 16, PooledConnectionLifetime = Timeout.InfiniteTimeSpan };
var clients = targets.Select(t => new HttpClient(handler, disposeHandler: false) { BaseAddress = t, Timeout = TimeSpan.FromSeconds(60) }).ToArray();
var feedClient = new HttpClient(new SocketsHttpHandler()) { BaseAddress = targets[0], Timeout = TimeSpan.FromSeconds(60) };

var routing = JsonNode.Parse(await clients[0].GetStringAsync("/api/routing"))!;
var generator = new OrderGenerator(await File.ReadAllTextAsync(Path.Combine(Repo.Root, "samples", "northwind", "catalog.json")), options.Mix, options.Seed);
var clock = new Stopwatch();
var tracker = new FeedTracker(feedClient, routing, generator, options.Orders, clock);

var batch = options.Batch;
var requests = batch == 0 ? options.Orders : (options.Orders + batch - 1) / batch;
var latencies = new double[requests];
int accepted = 0, duplicates = 0, rejected = 0, throttled = 0, nextRequest = -1;
var acceptedFlags = new bool[options.Orders];
var rejections = new System.Collections.Concurrent.ConcurrentDictionary<string, int>();
var rss = new List<double>();

Console.Error.WriteLine($"sending {options.Orders:N0} orders{(batch == 0 ? ", one per request" : $" in batches of {batch}")}, " +
                        $"{options.Concurrency} in flight, rate {(options.Rate > 0 ? $"{options.Rate:N0}/s" : "max")} ...");
using var stopFeeds = new CancellationTokenSource();
clock.Start();
var feeds = tracker.RunAsync(stopFeeds.Token);
var sampler = Task.Run(async () =>
{
    while (!stopFeeds.IsCancellationRequested && node is not null)
    {
        lock (rss) rss.Add(node.Memory().RssMb);
        try { await Task.Delay(500, stopFeeds.Token); } catch (OperationCanceledException) { }
    }
});

// One order's answer: 202 accepted, 200 the same order again, anything else refused.
void Count(int index, int status)
{
    if (status is 202 or 200)
    {
        acceptedFlags[index] = true;
        Interlocked.Increment(ref status == 202 ? ref accepted : ref duplicates);
    }
    else
    {
        Interlocked.Increment(ref rejected);
        rejections.AddOrUpdate($"{status}", 1, (_, n) => n + 1);
    }
}

var perRequest = options.Rate > 0 ? TimeSpan.FromSeconds((batch == 0 ? 1 : batch) / options.Rate) : TimeSpan.Zero;
await Task.WhenAll(Enumerable.Range(0, options.Concurrency).Select(async worker =>
{
    int r;
    while ((r = Interlocked.Increment(ref nextRequest)) < requests)
    {
        if (perRequest > TimeSpan.Zero)
        {
            var due = perRequest * r - clock.Elapsed;
            if (due > TimeSpan.Zero) await Task.Delay(due);
        }
        var first = batch == 0 ? r : r * batch;
        var count = batch == 0 ? 1 : Math.Min(batch, options.Orders - first);
        // In a batch answer, items throttled with 429 (the node's back-pressure) are sent again on their own.
        IReadOnlyList<int> indexes = Enumerable.Range(first, count).ToList();
        var body = generator.Body(indexes, asArray: batch > 0);
        var client = clients[r % clients.Length];
        var started = clock.Elapsed;
        for (var attempt = 0; ; attempt++)
        {
            using var content = new ByteArrayContent(body);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var response = await client.PostAsync(batch == 0 ? "/api/orders" : "/api/orders/batch", content);
            var retryAfter = response.Headers.RetryAfter?.Delta ?? TimeSpan.FromMilliseconds(200);
            if (response.StatusCode is HttpStatusCode.ServiceUnavailable or HttpStatusCode.TooManyRequests && attempt < 100)
            {
                Interlocked.Increment(ref throttled);
                await Task.Delay(retryAfter);
                continue;
            }
            if (batch == 0)
            {
                Count(first, (int)response.StatusCode);
            }
            else if (response.StatusCode == HttpStatusCode.OK)
            {
                using var results = JsonDocument.Parse(await response.Content.ReadAsStreamAsync());
                var again = new List<int>();
                foreach (var item in results.RootElement.GetProperty("results").EnumerateArray())
                {
                    var index = indexes[item.GetProperty("index").GetInt32()];
                    var status = item.GetProperty("status").GetInt32();
                    if (status == 429 && attempt < 100) again.Add(index);
                    else Count(index, status);
                }
                if (again.Count > 0)
                {
                    Interlocked.Add(ref throttled, again.Count);
                    indexes = again;
                    body = generator.Body(again, asArray: true);
                    await Task.Delay(retryAfter);
                    continue;
                }
            }
            else
            {
                Interlocked.Add(ref rejected, indexes.Count);
                rejections.AddOrUpdate($"{(int)response.StatusCode}", indexes.Count, (_, n) => n + indexes.Count);
            }
            // accept latency: from the first send to the answer that settled the request, retries included
            latencies[r] = (clock.Elapsed - started).TotalMilliseconds;
            break;
        }
    }
}));
var sendTime = clock.Elapsed;
var acceptedTotal = accepted + duplicates;
Console.Error.WriteLine($"sent in {sendTime.TotalSeconds:N1} s; waiting for every accepted order to be processed in every unit ...");

var drainDeadline = DateTime.UtcNow + options.DrainTimeout;
var lastProgress = (Count: -1, At: DateTime.UtcNow);
while (tracker.Complete < acceptedTotal && DateTime.UtcNow < drainDeadline)
{
    if (tracker.Complete != lastProgress.Count) lastProgress = (tracker.Complete, DateTime.UtcNow);
    else if (DateTime.UtcNow - lastProgress.At > TimeSpan.FromSeconds(30)) break; // no progress for 30 s
    await Task.Delay(50);
}
var e2eTime = tracker.LastCompletion;
stopFeeds.Cancel();
await feeds;
await sampler;

// --- results ------------------------------------------------------------------------------------
var lost = Enumerable.Range(0, options.Orders).Count(i => acceptedFlags[i] && !tracker.IsComplete(i));
var acceptLat = latencies.Where(l => l > 0).Order().ToArray();
var e2eLat = tracker.EndToEndMs().Order().ToArray();
var (_, peak) = node?.Memory() ?? (double.NaN, double.NaN);
double P(double[] sorted, double p) => sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
var acceptedPerS = acceptedTotal / sendTime.TotalSeconds;
var e2ePerS = tracker.Complete / Math.Max(e2eTime.TotalSeconds, 1e-9);

Console.WriteLine();
Console.WriteLine($"OrderActors benchmark: {options.Orders:N0} orders, {(batch == 0 ? "1 order per request" : $"{batch} orders per request")}, " +
                  $"{options.Concurrency} in flight, offered rate {(options.Rate > 0 ? $"{options.Rate:N0}/s" : "max")}");
Console.WriteLine($"machine: {Environment.ProcessorCount} cores, {GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1 << 30):N0} GiB, " +
                  $".NET {Environment.Version}, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}");
Console.WriteLine(node is null ? $"target: {string.Join(", ", targets)}" : $"node: fresh, embedded SQLite in {node.DataDir}, pid {node.Pid}");
Console.WriteLine();
void Row(string name, string value) => Console.WriteLine($"  {name,-32}{value}");
Row("accepted", $"{accepted:N0} (+{duplicates:N0} duplicates, {rejected:N0} rejected{(rejections.IsEmpty ? "" : $": {string.Join(", ", rejections.Select(kv => $"{kv.Value} x {kv.Key}"))}")}, {throttled:N0} throttled and retried)");
Row("accepted throughput", $"{acceptedPerS:N0} orders/s ({sendTime.TotalSeconds:N1} s)");
Row("end-to-end throughput", $"{e2ePerS:N0} orders/s ({e2eTime.TotalSeconds:N1} s to the last order processed)");
Row("accept latency p50 / p99", $"{P(acceptLat, 0.5):N1} / {P(acceptLat, 0.99):N1} ms (request -> answer)");
Row("end-to-end latency p50 / p99", $"{P(e2eLat, 0.5):N1} / {P(e2eLat, 0.99):N1} ms (acceptedAt -> last unit's processedAt)");
Row("lost / duplicated", $"{lost:N0} / {tracker.Duplicates:N0}");
if (node is not null)
{
    double[] samples;
    lock (rss) samples = rss.Where(double.IsFinite).ToArray();
    Row("node peak RSS", $"{peak:N0} MB (RSS at 25/50/75/100% of the run: {string.Join(" / ", new[] { 0.25, 0.5, 0.75, 1.0 }.Select(f => samples.Length == 0 ? "-" : $"{samples[Math.Min(samples.Length - 1, (int)(f * samples.Length))]:N0}"))} MB)");
}
Console.WriteLine();
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"RESULT orders={options.Orders} accepted_per_s={acceptedPerS:F0} e2e_per_s={e2ePerS:F0} accept_p50_ms={P(acceptLat, 0.5):F1} accept_p99_ms={P(acceptLat, 0.99):F1} e2e_p50_ms={P(e2eLat, 0.5):F1} e2e_p99_ms={P(e2eLat, 0.99):F1} lost={lost} dup={tracker.Duplicates} peak_rss_mb={(double.IsFinite(peak) ? peak.ToString("F0", CultureInfo.InvariantCulture) : "na")}"));
return lost == 0 && tracker.Duplicates == 0 ? 0 : 1;
