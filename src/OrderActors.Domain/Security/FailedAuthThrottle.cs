namespace OrderActors.Domain.Security;

/// <summary>What to do with a request whose key failed, and what (if anything) to log about it.</summary>
/// <param name="RetryAfter">null: answer 401 as usual; set: answer 429 with this Retry-After.</param>
/// <param name="Log">a line for the log, or null (most failures are counted, not logged).</param>
public sealed record FailedAuthVerdict(TimeSpan? RetryAfter, string? Log);

/// <summary>
/// Failed authentications counted per client address in fixed windows. Past <c>limit</c> in a window, a failing
/// address is answered 429 with Retry-After until the window ends, so a client with a wrong key (or a guesser) is told
/// to back off. Only failures are refused: a valid key from the same address still passes, so one misconfigured
/// client behind a NAT does not lock out the others. The log gets at most two lines per address and window (its first
/// failure, and the moment it is throttled) and at most <c>logPerWindow</c> in all, so a spray from many addresses
/// cannot flood it; what was not logged is summed in the next line. Memory is bounded by <c>maxAddresses</c>.
/// </summary>
public sealed class FailedAuthThrottle(int limit, TimeSpan window, int maxAddresses = 10_000, int logPerWindow = 100)
{
    private readonly object _gate = new();
    private readonly Dictionary<string, (DateTimeOffset Start, int Failures)> _byAddress = new(StringComparer.Ordinal);
    private DateTimeOffset _logWindow = DateTimeOffset.MinValue;
    private int _logged;
    private long _unlogged;

    /// <summary>Counts a failed authentication of <paramref name="address"/> (<paramref name="reason"/>: why it failed).</summary>
    public FailedAuthVerdict Failed(string address, string reason, DateTimeOffset now)
    {
        lock (_gate)
        {
            if (!_byAddress.TryGetValue(address, out var entry) || now - entry.Start >= window)
            {
                if (!_byAddress.ContainsKey(address) && _byAddress.Count >= maxAddresses) Prune(now);
                entry = (now, 0);
            }
            entry.Failures++;
            // past the bound (a spray from more addresses than it holds): counted only while there is room
            if (_byAddress.ContainsKey(address) || _byAddress.Count < maxAddresses) _byAddress[address] = entry;
            var retryAfter = entry.Failures > limit ? entry.Start + window - now : (TimeSpan?)null;
            string? line = entry.Failures == 1 ? $"failed authentication from {address}: {reason}"
                : entry.Failures == limit + 1 ? $"{address} failed authentication {entry.Failures} times within {Format(window)}: " +
                                                 $"its failing requests are answered 429 for {Format(retryAfter!.Value)}"
                : null;
            return new FailedAuthVerdict(retryAfter, line is null ? null : Rationed(line, now));
        }
    }

    private string? Rationed(string line, DateTimeOffset now)
    {
        if (now - _logWindow >= window) (_logWindow, _logged) = (now, 0);
        if (_logged >= logPerWindow)
        {
            _unlogged++;
            return null;
        }
        _logged++;
        if (_unlogged == 0) return line;
        var suffix = $" ({_unlogged} more such lines not logged before this one)";
        _unlogged = 0;
        return line + suffix;
    }

    private void Prune(DateTimeOffset now)
    {
        foreach (var address in _byAddress.Where(kv => now - kv.Value.Start >= window).Select(kv => kv.Key).ToList())
            _byAddress.Remove(address);
    }

    private static string Format(TimeSpan span) => span.TotalSeconds >= 1 ? $"{Math.Ceiling(span.TotalSeconds):0} s" : $"{span.TotalMilliseconds:0} ms";
}
