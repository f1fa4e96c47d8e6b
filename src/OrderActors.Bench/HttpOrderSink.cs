using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace OrderActors.Bench;

/// <summary>
/// Sends orders to OrderActors node(s): one per <c>POST /api/orders</c>, or a JSON array per
/// <c>POST /api/orders/batch</c>. A 429 or 503 is waited out (Retry-After) and sent again, as an OMS would.
/// </summary>
public sealed class HttpOrderSink : IOrderSink
{
    private readonly HttpClient[] _clients;
    private readonly SocketsHttpHandler _handler;
    private readonly OrderGenerator _generator;
    private readonly bool _batch;
    private int _next;

    public HttpOrderSink(IReadOnlyList<Uri> targets, int concurrency, OrderGenerator generator, bool batch, bool http2 = false)
    {
        _handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = concurrency + 16, PooledConnectionLifetime = Timeout.InfiniteTimeSpan, EnableMultipleHttp2Connections = true,
        };
        _clients = targets.Select(t => Client(_handler, t, http2)).ToArray();
        _generator = generator;
        _batch = batch;
    }

    /// <summary>A client of <paramref name="target"/>; with <paramref name="http2"/>, HTTP/2 only (cleartext: prior knowledge).</summary>
    public static HttpClient Client(HttpMessageHandler handler, Uri target, bool http2, bool disposeHandler = false) => new(handler, disposeHandler)
    {
        BaseAddress = target,
        Timeout = TimeSpan.FromSeconds(60),
        DefaultRequestVersion = http2 ? HttpVersion.Version20 : HttpVersion.Version11,
        DefaultVersionPolicy = http2 ? HttpVersionPolicy.RequestVersionExact : HttpVersionPolicy.RequestVersionOrLower,
    };

    public async Task SendAsync(IReadOnlyList<int> indexes, LoadCounters counters)
    {
        var body = _generator.Body(indexes, asArray: _batch);
        var client = _clients[(uint)Interlocked.Increment(ref _next) % _clients.Length];
        for (var attempt = 0; ; attempt++)
        {
            using var content = new ByteArrayContent(body);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var response = await client.PostAsync(_batch ? "/api/orders/batch" : "/api/orders", content);
            var retryAfter = response.Headers.RetryAfter?.Delta ?? TimeSpan.FromMilliseconds(200);
            if (response.StatusCode is HttpStatusCode.ServiceUnavailable or HttpStatusCode.TooManyRequests && attempt < 100)
            {
                counters.CountThrottled(1);
                await Task.Delay(retryAfter);
                continue;
            }
            if (!_batch)
            {
                counters.Count(indexes[0], (int)response.StatusCode);
            }
            else if (response.StatusCode == HttpStatusCode.OK)
            {
                // In a batch answer, items throttled with 429 (the node's back-pressure) are sent again on their own.
                using var results = JsonDocument.Parse(await response.Content.ReadAsStreamAsync());
                var again = new List<int>();
                foreach (var item in results.RootElement.GetProperty("results").EnumerateArray())
                {
                    var index = indexes[item.GetProperty("index").GetInt32()];
                    var status = item.GetProperty("status").GetInt32();
                    if (status == 429 && attempt < 100) again.Add(index);
                    else counters.Count(index, status);
                }
                if (again.Count > 0)
                {
                    counters.CountThrottled(again.Count);
                    indexes = again;
                    body = _generator.Body(again, asArray: true);
                    await Task.Delay(retryAfter);
                    continue;
                }
            }
            else
            {
                counters.Refused($"{(int)response.StatusCode}", indexes.Count);
            }
            return;
        }
    }

    public ValueTask DisposeAsync()
    {
        foreach (var c in _clients) c.Dispose();
        _handler.Dispose();
        return ValueTask.CompletedTask;
    }
}
