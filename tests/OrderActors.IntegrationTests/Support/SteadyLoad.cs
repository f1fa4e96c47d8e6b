using System.Diagnostics;

namespace OrderActors.IntegrationTests.Support;

/// <summary>
/// Clients posting orders to one node until stopped, each answer counted in <see cref="Outcomes"/> and timed: a
/// refused order is backed off a little and the client goes on, as an OMS would.
/// </summary>
/// With <paramref name="firstQueue"/>, every order it sends goes to that first queue.
public sealed class SteadyLoad(NodeProcess node, string prefix, int clients, int? firstQueue = null)
{
    /// <summary>One answer: when it came, its status (null: none), how long it took, and the order's id.</summary>
    public sealed record Answer(DateTime At, int? Status, TimeSpan Took, string OrderId)
    {
        public DateTime SentAt => At - Took;
    }

    private readonly List<Answer> _answers = [];
    private readonly CancellationTokenSource _stop = new();
    private Task? _running;
    private int _next;

    public OrderOutcomes Outcomes { get; } = new();

    public SteadyLoad Start()
    {
        _running = Task.WhenAll(Enumerable.Range(0, clients).Select(_ => Client()));
        return this;
    }

    public async Task StopAsync()
    {
        _stop.Cancel();
        await _running!;
        _stop.Dispose();
    }

    public Answer[] Answers
    {
        get { lock (_answers) return _answers.ToArray(); }
    }

    /// <summary>The answers to the requests sent after <paramref name="from"/> and before <paramref name="to"/>, whenever they came.</summary>
    public List<Answer> SentBetween(DateTime from, DateTime to) =>
        Answers.Where(a => a.SentAt > from && a.SentAt < to).ToList();

    /// <summary>The answers to every request that was in flight at some moment between <paramref name="from"/> and <paramref name="to"/>.</summary>
    public List<Answer> InFlightBetween(DateTime from, DateTime to) =>
        Answers.Where(a => a.At > from && a.SentAt < to).ToList();

    /// <summary>How long after <paramref name="since"/> the first 202 came, once one has (polled, with a deadline).</summary>
    public async Task<TimeSpan> FirstAcceptedAfterAsync(DateTime since, string what)
    {
        await Poll.UntilAsync(() => Task.FromResult(Answers.Any(a => a.At > since && a.Status == 202)), what, 60);
        return Answers.Where(a => a.At > since && a.Status == 202).Min(a => a.At) - since;
    }

    /// <summary>How many answers had each status, e.g. <c>202×120, 503×4, none×2</c> (none: no answer came).</summary>
    public static string Statuses(IEnumerable<Answer> answers, string separator = ", ") =>
        string.Join(separator, answers.GroupBy(a => a.Status).Select(g => $"{g.Key?.ToString() ?? "none"}×{g.Count()}"));

    /// <summary>The answers second by second from <paramref name="from"/>: each second's statuses, and its slowest answer if asked.</summary>
    public static string PerSecond(IEnumerable<Answer> answers, DateTime from, bool slowest = false) =>
        string.Join("; ", answers.Where(a => a.At > from).GroupBy(a => (int)(a.At - from).TotalSeconds).OrderBy(g => g.Key)
            .Select(g => $"+{g.Key} s {Statuses(g, " ")}" + (slowest ? $" {g.Max(a => a.Took).TotalSeconds:N1} s" : "")));

    private async Task Client()
    {
        while (!_stop.IsCancellationRequested)
        {
            var i = Interlocked.Increment(ref _next);
            while (firstQueue is { } queue && Expected.FirstQueue($"{prefix}-{i:D5}") != queue) i = Interlocked.Increment(ref _next);
            var clock = Stopwatch.StartNew();
            var id = $"{prefix}-{i:D5}";
            var status = await Outcomes.PostAsync(node.Http, id, Expected.Codes[i % Expected.Codes.Length]);
            lock (_answers) _answers.Add(new Answer(DateTime.UtcNow, status, clock.Elapsed, id));
            if (status is not (200 or 202)) await Task.Delay(50); // a client backing off a little on 503
        }
    }
}
