namespace OrderActors.Domain.Delivery;

/// <summary>
/// When to try a failed delivery again: exponential backoff with full jitter (a random wait between zero and
/// <c>first × 2^(attempt−1)</c>, capped at <paramref name="max"/>), so that many senders retrying one recovering
/// receiver do not arrive together. A receiver that says when to come back (<c>Retry-After</c> on 429 or 503) is
/// waited for at least that long.
/// </summary>
public sealed class RetrySchedule(TimeSpan first, TimeSpan max)
{
    /// <summary>The wait before attempt <paramref name="attempt"/> + 1, after <paramref name="attempt"/> failed ones (1 or more).</summary>
    public TimeSpan After(int attempt, TimeSpan? retryAfter, Random random)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(attempt, 1);
        var ceiling = first.Ticks * Math.Pow(2, Math.Min(attempt - 1, 40));
        var capped = Math.Min(ceiling, max.Ticks);
        var jittered = TimeSpan.FromTicks((long)(random.NextDouble() * capped));
        return retryAfter is { } told && told > jittered ? told : jittered;
    }

    /// <summary>The most any wait after <paramref name="attempt"/> failures can be (without a Retry-After).</summary>
    public TimeSpan Ceiling(int attempt) => TimeSpan.FromTicks((long)Math.Min(first.Ticks * Math.Pow(2, Math.Min(attempt - 1, 40)), max.Ticks));
}
