using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using OrderActors.Domain.Delivery;
using OrderActors.Receiver;

ReceiverOptions options;
try
{
    if (args.Contains("--help") || args.Contains("-h"))
    {
        Console.WriteLine(ReceiverOptions.Usage);
        return 0;
    }
    options = ReceiverOptions.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine($"orderactors-receiver: {e.Message}\n\n{ReceiverOptions.Usage}");
    return 2;
}

var builder = WebApplication.CreateSlimBuilder();
builder.WebHost.UseUrls(options.Urls);
builder.Logging.ClearProviders();
var app = builder.Build();
var received = new Received(options);
app.Use(async (context, next) =>
{
    if (context.Request.Path != "/stats") received.HttpRequest();
    await next(context);
});

app.MapPost("/webhook", async (HttpContext context) =>
{
    using var buffer = new MemoryStream();
    await context.Request.Body.CopyToAsync(buffer);
    var body = buffer.ToArray();
    var (status, retryAfter) = await received.HandleAsync(context.Request.Headers, body);
    if (retryAfter is { } seconds) context.Response.Headers.RetryAfter = seconds.ToString();
    if (status is >= 300 and < 400 && options.Location is { } location) context.Response.Headers.Location = location;
    return Results.StatusCode(status);
});
app.MapGet("/stats", () => Results.Json(received.Stats()));
if (options.Otlp)
{
    var traces = new OtlpTraces();
    app.MapPost("/v1/traces", async (HttpContext context) =>
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer);
        traces.Add(buffer.ToArray());
        return Results.Bytes([], "application/x-protobuf"); // an empty ExportTraceServiceResponse: all taken
    });
    app.MapPost("/v1/metrics", async (HttpContext context) =>
    {
        await context.Request.Body.CopyToAsync(Stream.Null);
        return Results.Bytes([], "application/x-protobuf");
    });
    app.MapGet("/spans", () => Results.Json(traces.Spans));
}

Console.WriteLine($"orderactors-receiver: POST {options.Urls.TrimEnd('/')}/webhook (verifying {options.Secrets.Count} secret(s))");
using var ticker = new Timer(_ => Console.WriteLine(received.Line()), null, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2));
await app.RunAsync();
return 0;

/// <summary>What the receiver has been sent, deduped by deliveryId, and the fault modes' decisions.</summary>
internal sealed class Received(ReceiverOptions options)
{
    private readonly object _gate = new();
    private readonly Random _random = new(options.Seed);
    private readonly HashSet<string> _deliveryIds = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _lastSeq = new(StringComparer.Ordinal);
    private readonly List<string> _orderIds = new();
    private readonly List<long> _arrivals = new();
    private readonly HashSet<string> _traceParents = new(StringComparer.Ordinal);
    // requests of one queue being handled at once (a sender must keep one in flight per queue)
    private readonly Dictionary<string, int> _handling = new(StringComparer.Ordinal);
    private int _maxInFlight;
    private int _httpRequests;
    private int _requests, _duplicates, _badSignatures, _outOfOrder, _faults, _statusAnswered;

    public void HttpRequest() => Interlocked.Increment(ref _httpRequests);

    public async Task<(int Status, int? RetryAfter)> HandleAsync(IHeaderDictionary headers, byte[] body)
    {
        int requestNo;
        bool fail, slow;
        lock (_gate)
        {
            requestNo = ++_requests;
            _arrivals.Add(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
            fail = _random.NextDouble() < options.FailRate;
            slow = _random.NextDouble() < options.SlowRate;
        }
        var id = headers["webhook-id"].ToString();
        if (headers.TryGetValue("traceparent", out var traceParent))
            lock (_gate) _traceParents.Add(traceParent.ToString());
        if (!long.TryParse(headers["webhook-timestamp"].ToString(), out var timestamp)
            || !WebhookSignature.Verify(headers["webhook-signature"].ToString(), options.Secrets, id, timestamp, body, DateTimeOffset.UtcNow))
        {
            lock (_gate) _badSignatures++;
            return (401, null);
        }
        if (options.GoneAfter is { } gone && requestNo > gone) return (410, null);
        var queue = id.Contains(':') ? id[..id.LastIndexOf(':')] : id; // webhook-id: unit:queue:first-last
        lock (_gate)
        {
            _handling[queue] = _handling.GetValueOrDefault(queue) + 1;
            _maxInFlight = Math.Max(_maxInFlight, _handling[queue]);
        }
        try
        {
            return await HandleVerifiedAsync(body, fail, slow);
        }
        finally
        {
            lock (_gate) _handling[queue]--;
        }
    }

    private async Task<(int Status, int? RetryAfter)> HandleVerifiedAsync(byte[] body, bool fail, bool slow)
    {
        lock (_gate)
        {
            if (options.Status is { } status && _statusAnswered < options.StatusCount)
            {
                _statusAnswered++;
                return (status, options.RetryAfter);
            }
        }
        if (fail)
        {
            lock (_gate) _faults++;
            return (500, null);
        }
        if (slow) await Task.Delay(options.Delay);

        var orders = JsonNode.Parse(body)!["orders"]!.AsArray();
        if (orders.Any(o => options.RejectOrders.Contains((string)o!["orderId"]!))) return (400, null);
        var fresh = new List<JsonNode>();
        lock (_gate)
        {
            foreach (var order in orders)
            {
                var deliveryId = (string)order!["deliveryId"]!;
                if (!_deliveryIds.Add(deliveryId))
                {
                    _duplicates++;
                    continue;
                }
                var queue = deliveryId[..deliveryId.LastIndexOf(':')];
                var seq = (long)order["seq"]!;
                // after a queue's first order (a receiver may take over from a cursor), each new one is the next seq
                if (_lastSeq.TryGetValue(queue, out var last) && seq != last + 1) _outOfOrder++;
                _lastSeq[queue] = Math.Max(seq, _lastSeq.GetValueOrDefault(queue));
                _orderIds.Add($"{queue}/{order["orderId"]}");
                fresh.Add(order);
            }
            if (options.Out is { } file && fresh.Count > 0)
                File.AppendAllText(file, string.Concat(fresh.Select(o => o.ToJsonString() + "\n")), Encoding.UTF8);
        }
        return (200, null);
    }

    public object Stats()
    {
        lock (_gate)
            return new
            {
                httpRequests = Volatile.Read(ref _httpRequests), requests = _requests, delivered = _deliveryIds.Count, duplicates = _duplicates, badSignatures = _badSignatures,
                outOfOrder = _outOfOrder, faults = _faults, maxInFlight = _maxInFlight, lastSeq = new Dictionary<string, long>(_lastSeq), orders = _orderIds.ToList(), arrivals = _arrivals.ToList(),
                traceparents = _traceParents.Order(StringComparer.Ordinal).ToList(),
            };
    }

    public string Line()
    {
        lock (_gate)
            return $"{DateTime.Now:HH:mm:ss}  requests {_requests:N0}  orders {_deliveryIds.Count:N0}  duplicates {_duplicates:N0}  " +
                   $"bad signatures {_badSignatures:N0}  out of order {_outOfOrder:N0}";
    }
}
