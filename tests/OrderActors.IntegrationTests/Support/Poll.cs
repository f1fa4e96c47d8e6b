namespace OrderActors.IntegrationTests.Support;

/// <summary>Waits for a condition by asking again every 100 ms, up to a deadline: never a sleep, never an endless loop.</summary>
public static class Poll
{
    /// <summary>Until <paramref name="condition"/> holds, or fails naming <paramref name="what"/> after <paramref name="seconds"/>.</summary>
    public static async Task UntilAsync(Func<Task<bool>> condition, string what, int seconds = 30) =>
        await ForAsync(async () => await condition(), done => done, what, seconds);

    /// <summary>Reads until <paramref name="done"/> says the value is the awaited one, and returns it.</summary>
    public static async Task<T> ForAsync<T>(Func<Task<T>> read, Func<T, bool> done, string what, int seconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        using var tick = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        while (true)
        {
            var value = await read();
            if (done(value)) return value;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"not reached in {seconds} s: {what} (last: {value})");
            await tick.WaitForNextTickAsync();
        }
    }
}
