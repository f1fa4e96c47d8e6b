using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using OrderActors.Bench;
using OrderActors.Harness;

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

if (options.Compare) return await DeliveryComparison.RunAsync(options, args);

var catalogJson = await File.ReadAllTextAsync(Path.Combine(Repo.Root, "samples", "northwind", "catalog.json"));
var generator = new OrderGenerator(catalogJson, options.Mix, options.Seed);
var clock = new Stopwatch();
using var stopFeeds = new CancellationTokenSource();
var batch = options.Batch;

// Where the orders go: a fresh node or cluster (or the --target nodes) over HTTP, or the RabbitMQ baseline.
FreshNodes? fresh = null;
NodeProcess? node = null;
WebhookReceivers? receivers = null;
IOrderSink sink;
OrderTracker tracker;
Task feeds;
Func<(double RssMb, double PeakMb)>? memory;
string system;
JsonNode? routing = null;
IReadOnlyList<Uri>? targets = null;
HttpClient? feedClient = null;
if (options.RabbitMqBaseline)
{
    var bindings = RabbitMqBaseline.LoadRouting();
    tracker = new OrderTracker(RabbitMqBaseline.RoutingJson(bindings), generator, options.Orders, clock);
    sink = await RabbitMqBaseline.StartAsync(options.Amqp, generator, bindings, tracker, options.Prefetch, Console.Error);
    feeds = Task.CompletedTask;
    memory = RabbitMqBaseline.BrokerMemory(options.Amqp);
    system = $"RabbitMQ baseline at {options.Amqp.Host}:{options.Amqp.Port} (durable queues, persistent messages, publisher confirms, manual acks)";
}
else
{
    fresh = options.Targets.Count == 0 ? await FreshNodes.StartAsync(options.NodeDll, options.Keep, options.Journal, options.Cluster, Console.Error) : null;
    node = fresh?.Nodes[0];
    targets = fresh is null ? options.Targets : fresh.Nodes.Select(n => n.Url).ToList();
    feedClient = HttpOrderSink.Client(new SocketsHttpHandler(), targets[0], options.Http2, disposeHandler: true);
    routing = JsonNode.Parse(await feedClient.GetStringAsync("/api/routing"))!;
    tracker = new OrderTracker(routing, generator, options.Orders, clock);
    sink = new HttpOrderSink(targets, options.Concurrency, generator, batch > 0, options.Http2);
    if (options.Webhook)
    {
        receivers = await WebhookReceivers.StartAsync(tracker);
        await receivers.ConfigureAsync(feedClient, tracker.Units.Select(u => u.Unit), options.WebhookBatch);
        feeds = Task.CompletedTask;
    }
    else feeds = tracker.FollowFeedsAsync(feedClient, stopFeeds.Token);
    memory = node is null ? null : node.Memory;
    system = (fresh is null ? $"target: {string.Join(", ", targets)}"
                : fresh.Postgres is null ? $"node: fresh, embedded SQLite in {node!.DataDir}, pid {node.Pid}"
                : $"{(fresh.Nodes.Count == 1 ? "node" : $"cluster of {fresh.Nodes.Count} nodes, each sent an equal share")}: fresh, on a throwaway PostgreSQL " +
                  $"server on this machine (port {fresh.Postgres.Port}), pid {string.Join(", ", fresh.Nodes.Select(n => n.Pid))}") +
             (options.Webhook ? $"; delivery: webhook to receivers in the bench at {receivers!.Url}, {options.WebhookBatch} orders per request" : "; delivery: the bench reads the feeds");
}
await using var nodeScope = fresh;
await using var sinkScope = sink;
await using var receiversScope = receivers;

string? warmedUp = null;
if (options.Warmup > 0)
{
    // Other orders (their own run id), sent and tracked the same way; the measured run starts on a warm node.
    var warmGenerator = new OrderGenerator(catalogJson, options.Mix, options.Seed + 1);
    var warmClock = Stopwatch.StartNew();
    var warmTracker = new OrderTracker(routing!, warmGenerator, options.Warmup, warmClock);
    await using var warmSink = new HttpOrderSink(targets!, options.Concurrency, warmGenerator, batch > 0, options.Http2);
    using var stopWarmFeeds = new CancellationTokenSource();
    var warmFeeds = Task.CompletedTask;
    if (receivers is not null) receivers.Tracker = warmTracker;
    else warmFeeds = warmTracker.FollowFeedsAsync(feedClient!, stopWarmFeeds.Token);
    Console.Error.WriteLine($"warming up: {options.Warmup:N0} orders, not counted ...");
    var warmRequests = batch == 0 ? options.Warmup : (options.Warmup + batch - 1) / batch;
    var warmCounters = new LoadCounters(options.Warmup);
    await SendAsync(warmSink, options.Warmup, warmCounters, warmClock, new double[warmRequests], new double[warmRequests]);
    var warmAccepted = warmCounters.Accepted + warmCounters.Duplicates;
    await DrainAsync(warmTracker, warmAccepted);
    stopWarmFeeds.Cancel();
    await warmFeeds;
    if (warmTracker.Complete < warmAccepted)
    {
        Console.Error.WriteLine($"bench: the warm-up did not finish: {warmTracker.Complete:N0} of {warmAccepted:N0} orders {(options.Webhook ? "delivered" : "processed")} (the drain timeout is {options.DrainTimeout.TotalSeconds:N0} s, or 30 s without progress)");
        return 1;
    }
    if (receivers is not null) receivers.Tracker = tracker;
    warmedUp = $"{options.Warmup:N0} orders in {warmClock.Elapsed.TotalSeconds:N1} s, before the run and not counted";
    Console.Error.WriteLine($"warmed up: {warmedUp}");
}

var requests = batch == 0 ? options.Orders : (options.Orders + batch - 1) / batch;
var latencies = new double[requests];
var sentAt = new double[requests]; // seconds from the start, for --latency-csv
var counters = new LoadCounters(options.Orders);
var rss = new List<double>();

Console.Error.WriteLine($"sending {options.Orders:N0} orders{(batch == 0 ? ", one per request" : $" in batches of {batch}")}, " +
                        $"{options.Concurrency} in flight, rate {(options.Rate > 0 ? $"{options.Rate:N0}/s" : "max")} ...");
var cpuBefore = fresh?.Nodes.Select(n => ProcessMemory.CpuTime(n.Pid)).ToList();
var journalBefore = fresh is null ? null : await fresh.JournalStatsAsync();
clock.Start();
var sampler = Task.Run(async () =>
{
    while (!stopFeeds.IsCancellationRequested && memory is not null)
    {
        lock (rss) rss.Add(memory().RssMb);
        try { await Task.Delay(500, stopFeeds.Token); } catch (OperationCanceledException) { }
    }
});

await SendAsync(sink, options.Orders, counters, clock, latencies, sentAt);
var sendTime = clock.Elapsed;
var acceptedTotal = counters.Accepted + counters.Duplicates;
Console.Error.WriteLine($"sent in {sendTime.TotalSeconds:N1} s; waiting for every accepted order to be {(options.Webhook ? "delivered to" : "processed in")} every unit ...");

await DrainAsync(tracker, acceptedTotal);
var e2eTime = tracker.LastCompletion;
var cpuAfter = fresh?.Nodes.Select(n => ProcessMemory.CpuTime(n.Pid)).ToList();
var journal = fresh is null ? null : (await fresh.JournalStatsAsync()).Since(journalBefore!);
stopFeeds.Cancel();
await feeds;
await sampler;

// --- results ------------------------------------------------------------------------------------
var lost = Enumerable.Range(0, options.Orders).Count(i => counters.WasAccepted(i) && !tracker.IsComplete(i));
var acceptLat = latencies.Where(l => l > 0).Order().ToArray();
var e2eLat = tracker.EndToEndMs().Order().ToArray();
// The node's own peak (VmHWM) covers the whole run; a broker started earlier is judged by the RSS sampled in the run.
var peak = node is not null ? node.Memory().PeakMb : rss.Where(double.IsFinite).DefaultIfEmpty(double.NaN).Max();
double P(double[] sorted, double p) => sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
var acceptedPerS = acceptedTotal / sendTime.TotalSeconds;
// each started node's CPU over the run (null: none started, or one is gone)
var nodeCpu = cpuBefore is { } c0 && cpuAfter is { } c1 && acceptedTotal > 0 && c0.All(c => c is not null) && c1.All(c => c is not null)
    ? c1.Zip(c0, (after, before) => after!.Value - before!.Value).ToList()
    : null;
var e2ePerS = tracker.Complete / Math.Max(e2eTime.TotalSeconds, 1e-9);

Console.WriteLine();
Console.WriteLine($"{(options.RabbitMqBaseline ? "RabbitMQ baseline" : "OrderActors")} benchmark: {options.Orders:N0} orders, {(batch == 0 ? "1 order per request" : $"{batch} orders per request")}, " +
                  $"{options.Concurrency} in flight, offered rate {(options.Rate > 0 ? $"{options.Rate:N0}/s" : "max")}");
Console.WriteLine($"machine: {Environment.ProcessorCount} cores, {GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1 << 30):N0} GiB, " +
                  $".NET {Environment.Version}, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}");
Console.WriteLine(system);
Console.WriteLine();
void Row(string name, string value) => Console.WriteLine($"  {name,-32}{value}");
if (warmedUp is not null) Row("warm-up", warmedUp);
Row("accepted", $"{counters.Accepted:N0} (+{counters.Duplicates:N0} duplicates, {counters.Rejected:N0} rejected" +
                $"{(counters.Rejections.IsEmpty ? "" : $": {string.Join(", ", counters.Rejections.Select(kv => $"{kv.Value} x {kv.Key}"))}")}, " +
                $"{counters.Throttled:N0} throttled and retried)");
Row("accepted throughput", $"{acceptedPerS:N0} orders/s ({sendTime.TotalSeconds:N1} s)");
Row("end-to-end throughput", $"{e2ePerS:N0} orders/s ({e2eTime.TotalSeconds:N1} s to the last order processed)");
Row("accept latency p50 / p99", $"{P(acceptLat, 0.5):N1} / {P(acceptLat, 0.99):N1} ms (request -> answer)");
Row("end-to-end latency p50 / p99", $"{P(e2eLat, 0.5):N1} / {P(e2eLat, 0.99):N1} ms " +
    (options.Webhook ? "(acceptedAt -> the last unit's receiver has it)" : "(acceptedAt -> last unit's processedAt)"));
var hop = tracker.DeliveryHopMs().Order().ToArray();
if (receivers is not null)
{
    var processed = tracker.ProcessedMs().Order().ToArray();
    Row("processed p50 / p99", $"{P(processed, 0.5):N1} / {P(processed, 0.99):N1} ms (acceptedAt -> last unit's processedAt, as pull measures it)");
    Row("delivery hop p50 / p99", $"{P(hop, 0.5):N1} / {P(hop, 0.99):N1} ms (a unit's processedAt -> its receiver has it; the order's slowest unit)");
}
if (receivers is not null) Row("bad signatures", $"{receivers.BadSignatures:N0}");
Row("lost / duplicated", $"{lost:N0} / {tracker.Duplicates:N0}");
if (nodeCpu is not null)
{
    var total = nodeCpu.Aggregate(TimeSpan.Zero, (a, b) => a + b);
    Row("node CPU per order", $"{total.TotalMilliseconds * 1000 / acceptedTotal:N0} µs ({total.TotalSeconds:N1} s of CPU over the run, all cores" +
        (nodeCpu.Count > 1 ? $"; per node {string.Join(" / ", nodeCpu.Select(c => $"{c.TotalMilliseconds * 1000 / acceptedTotal:N0}"))} µs)" : ")"));
}
if (journal is not null && acceptedTotal > 0)
{
    if (journal.Commits > 0)
        Row("journal per order", $"{(double)journal.Commits / acceptedTotal:N3} commits, {(double)journal.Rows.Values.Sum() / acceptedTotal:N2} rows " +
            $"({string.Join(", ", journal.Rows.Where(r => r.Value > 0).OrderByDescending(r => r.Value).Select(r => $"{r.Key} {(double)r.Value / acceptedTotal:N2}"))})");
    if (journal.ServerCpu is { } pgCpu)
        Row("PostgreSQL CPU per order", $"{pgCpu.TotalMilliseconds * 1000 / acceptedTotal:N0} µs ({pgCpu.TotalSeconds:N1} s of CPU over the run, its backends included)");
    Row(fresh!.Postgres is null ? "data dir" : "database", $"{journal.Bytes / 1e6:N0} MB after the run ({(double)journal.Bytes / acceptedTotal:N0} B per order accepted, warm-up included)");
}
if (memory is not null)
{
    double[] samples;
    lock (rss) samples = rss.Where(double.IsFinite).ToArray();
    Row(options.RabbitMqBaseline ? "broker peak RSS" : "node peak RSS", $"{peak:N0} MB (RSS at 25/50/75/100% of the run: {string.Join(" / ", new[] { 0.25, 0.5, 0.75, 1.0 }.Select(f => samples.Length == 0 ? "-" : $"{samples[Math.Min(samples.Length - 1, (int)(f * samples.Length))]:N0}"))} MB)");
}
if (options.LatencyCsv is { } csvPath)
{
    await using (var csv = File.CreateText(csvPath))
    {
        csv.WriteLine("kind,at_s,ms");
        for (var r = 0; r < requests; r++)
            if (latencies[r] > 0) csv.WriteLine(FormattableString.Invariant($"accept,{sentAt[r]:F3},{latencies[r]:F1}"));
        tracker.WriteLatencies(csv);
    }
    Row("latencies", $"written to {csvPath}");
}
Console.WriteLine();
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"RESULT orders={options.Orders} accepted={acceptedTotal} rejected={counters.Rejected} accepted_per_s={acceptedPerS:F0} e2e_per_s={e2ePerS:F0} accept_p50_ms={P(acceptLat, 0.5):F1} accept_p99_ms={P(acceptLat, 0.99):F1} e2e_p50_ms={P(e2eLat, 0.5):F1} e2e_p99_ms={P(e2eLat, 0.99):F1} lost={lost} dup={tracker.Duplicates} {(nodeCpu is not null ? $"cpu_us_per_order={nodeCpu.Sum(c => c.TotalMilliseconds) * 1000 / acceptedTotal:F0} " : "")}{(journal is { Commits: > 0 } ? $"commits_per_order={(double)journal.Commits / acceptedTotal:F3} rows_per_order={(double)journal.Rows.Values.Sum() / acceptedTotal:F2} " : "")}{(journal?.ServerCpu is { } pc ? $"pg_cpu_us_per_order={pc.TotalMilliseconds * 1000 / acceptedTotal:F0} " : "")}peak_rss_mb={(double.IsFinite(peak) ? peak.ToString("F0", CultureInfo.InvariantCulture) : "na")} deliver={(options.Webhook ? $"webhook hop_p50_ms={P(hop, 0.5):F1} hop_p99_ms={P(hop, 0.99):F1}" : "pull")}"));
return lost == 0 && tracker.Duplicates == 0 ? 0 : 1;

// Waits until every accepted order is complete, the drain timeout passes, or nothing has moved for 30 s.
async Task DrainAsync(OrderTracker orders, int accepted)
{
    var deadline = DateTime.UtcNow + options.DrainTimeout;
    var lastProgress = (Count: -1, At: DateTime.UtcNow);
    while (orders.Complete < accepted && DateTime.UtcNow < deadline)
    {
        if (orders.Complete != lastProgress.Count) lastProgress = (orders.Complete, DateTime.UtcNow);
        else if (DateTime.UtcNow - lastProgress.At > TimeSpan.FromSeconds(30)) break; // no progress for 30 s
        await Task.Delay(50);
    }
}

// Sends `orders` orders (one per request, or in batches), `Concurrency` requests in flight, paced at `Rate` from the
// clock's start; each request's accept latency and start time go into the arrays given.
Task SendAsync(IOrderSink to, int orders, LoadCounters counted, Stopwatch paceClock, double[] acceptMs, double[] startedAt)
{
    var total = batch == 0 ? orders : (orders + batch - 1) / batch;
    var next = -1;
    var perRequest = options.Rate > 0 ? TimeSpan.FromSeconds((batch == 0 ? 1 : batch) / options.Rate) : TimeSpan.Zero;
    return Task.WhenAll(Enumerable.Range(0, options.Concurrency).Select(async _ =>
    {
        int r;
        while ((r = Interlocked.Increment(ref next)) < total)
        {
            if (perRequest > TimeSpan.Zero)
            {
                var due = perRequest * r - paceClock.Elapsed;
                if (due > TimeSpan.Zero) await Task.Delay(due);
            }
            var first = batch == 0 ? r : r * batch;
            var count = batch == 0 ? 1 : Math.Min(batch, orders - first);
            var started = paceClock.Elapsed;
            await to.SendAsync(Enumerable.Range(first, count).ToList(), counted);
            // accept latency: from the first send to the answer that settled the request, retries included
            acceptMs[r] = (paceClock.Elapsed - started).TotalMilliseconds;
            startedAt[r] = started.TotalSeconds;
        }
    }));
}
