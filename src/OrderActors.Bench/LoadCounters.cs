using System.Collections.Concurrent;

namespace OrderActors.Bench;

/// <summary>What became of the orders sent: accepted, duplicate, refused (by status) and throttled.</summary>
public sealed class LoadCounters(int orders)
{
    private readonly bool[] _accepted = new bool[orders];
    private int _new, _duplicates, _rejected, _throttled;

    public int Accepted => Volatile.Read(ref _new);
    public int Duplicates => Volatile.Read(ref _duplicates);
    public int Rejected => Volatile.Read(ref _rejected);
    public int Throttled => Volatile.Read(ref _throttled);
    public ConcurrentDictionary<string, int> Rejections { get; } = new();

    public bool WasAccepted(int index) => _accepted[index];

    /// <summary>One order's answer: 202 accepted, 200 the same order again, anything else refused.</summary>
    public void Count(int index, int status)
    {
        if (status is 202 or 200)
        {
            _accepted[index] = true;
            Interlocked.Increment(ref status == 202 ? ref _new : ref _duplicates);
        }
        else
        {
            Refused($"{status}", 1);
        }
    }

    public void Refused(string reason, int count)
    {
        Interlocked.Add(ref _rejected, count);
        Rejections.AddOrUpdate(reason, count, (_, n) => n + count);
    }

    public void CountThrottled(int count) => Interlocked.Add(ref _throttled, count);
}

/// <summary>Where the benchmark sends orders: an OrderActors node over HTTP, or the RabbitMQ baseline.</summary>
public interface IOrderSink : IAsyncDisposable
{
    /// <summary>Sends the orders with these indexes as one request and counts each one's settled answer.</summary>
    Task SendAsync(IReadOnlyList<int> indexes, LoadCounters counters);
}
