using System.Collections.Concurrent;
using System.Net;

namespace OrderActors.IntegrationTests.Support;

/// <summary>
/// What became of every order a test sent, by the contract's answers: 202 or 200 is accepted (durable); 429 or 503,
/// each with <c>Retry-After</c>, or no answer at all (the node died or left with the request in flight) leaves the
/// order unresolved, to be sent again; any other answer breaks the contract and is kept to fail the test. So a test
/// counts every answer and, once it has sent every unresolved order again (<see cref="ResolveAsync"/>), can demand
/// that every order it ever sent is in every unit it routes to, exactly once.
/// </summary>
public sealed class OrderOutcomes
{
    private readonly ConcurrentDictionary<string, string> _sent = new();
    private readonly ConcurrentDictionary<string, byte> _accepted = new();
    private readonly ConcurrentDictionary<string, byte> _unresolved = new();
    private readonly ConcurrentQueue<string> _breaches = new();
    private readonly ConcurrentDictionary<int, int> _byStatus = new();
    private int _unanswered;

    /// <summary>Every order sent, by id, with its code.</summary>
    public IReadOnlyDictionary<string, string> Sent => _sent;
    public int Accepted => _accepted.Count;
    public IReadOnlyCollection<string> Unresolved => _unresolved.Keys.ToList();
    public int Unanswered => Volatile.Read(ref _unanswered);

    /// <summary>How many answers had each status.</summary>
    public IReadOnlyDictionary<int, int> ByStatus => _byStatus;

    /// <summary>Posts one order and records its answer (or that none came).</summary>
    public async Task<int?> PostAsync(HttpClient http, string id, string code, int seed = 0)
    {
        _sent[id] = code;
        try
        {
            var reply = await http.PostJsonAsync("/api/orders", Expected.Order(id, code, seed));
            Record(id, reply.Code, reply.Response.Headers.RetryAfter is not null, reply.ToString());
            return reply.Code;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            NoAnswer(id);
            return null;
        }
    }

    /// <summary>Posts orders as one batch and records each item's answer (or that none came for any).</summary>
    public async Task PostBatchAsync(HttpClient http, IReadOnlyList<(string Id, string Code)> orders)
    {
        foreach (var (id, code) in orders) _sent[id] = code;
        Reply reply;
        try
        {
            reply = await http.PostJsonAsync("/api/orders/batch", orders.Select(o => Expected.Order(o.Id, o.Code)).ToArray());
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            foreach (var (id, _) in orders) NoAnswer(id);
            return;
        }
        if (reply.Code != 200)
        {
            foreach (var (id, _) in orders) Record(id, reply.Code, reply.Response.Headers.RetryAfter is not null, reply.ToString());
            return;
        }
        var results = reply.Body!["results"]!.AsArray();
        if (results.Count != orders.Count) _breaches.Enqueue($"a batch of {orders.Count} answered {results.Count} results");
        foreach (var result in results)
        {
            var index = (int)result!["index"]!;
            Record(orders[index].Id, (int)result["status"]!, reply.Response.Headers.RetryAfter is not null, result.ToJsonString());
        }
    }

    /// <summary>Sends every unresolved order again, through <paramref name="http"/>, until each is accepted.</summary>
    public async Task ResolveAsync(HttpClient http, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!_unresolved.IsEmpty)
        {
            if (DateTime.UtcNow > deadline)
                throw new Xunit.Sdk.XunitException($"{_unresolved.Count} orders still not accepted after {timeout} of sending them again");
            using var gate = new SemaphoreSlim(16);
            await Task.WhenAll(_unresolved.Keys.ToList().Select(async id =>
            {
                await gate.WaitAsync();
                try { await PostAsync(http, id, _sent[id]); }
                finally { gate.Release(); }
            }));
            if (!_unresolved.IsEmpty) await Task.Delay(250);
        }
    }

    /// <summary>Fails if any answer was outside the contract.</summary>
    public void AssertEveryAnswerKeptTheContract() =>
        Assert.True(_breaches.IsEmpty, $"{_breaches.Count} answers outside the contract, e.g.:\n{string.Join("\n", _breaches.Take(5))}");

    public override string ToString() =>
        $"{_sent.Count} sent, {Accepted} accepted, {_unresolved.Count} unresolved, {Unanswered} unanswered; answers " +
        string.Join(", ", _byStatus.OrderBy(kv => kv.Key).Select(kv => $"{kv.Key}: {kv.Value}"));

    private void Record(string id, int status, bool retryAfter, string answer)
    {
        _byStatus.AddOrUpdate(status, 1, (_, n) => n + 1);
        switch (status)
        {
            case (int)HttpStatusCode.Accepted or (int)HttpStatusCode.OK:
                _accepted[id] = 0;
                _unresolved.TryRemove(id, out _);
                break;
            case 429 or 503 when retryAfter:
                if (!_accepted.ContainsKey(id)) _unresolved[id] = 0;
                break;
            default:
                _breaches.Enqueue($"order {id}: {answer}{(status is 429 or 503 ? " (no Retry-After)" : "")}");
                if (!_accepted.ContainsKey(id)) _unresolved[id] = 0;
                break;
        }
    }

    private void NoAnswer(string id)
    {
        Interlocked.Increment(ref _unanswered);
        if (!_accepted.ContainsKey(id)) _unresolved[id] = 0;
    }
}
