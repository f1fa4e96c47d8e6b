using OrderActors.Domain.Health;

namespace OrderActors.Tests.Domain;

public class JournalHealthTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 2, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void One_failed_probe_closes_intake_one_that_writes_opens_it_and_each_change_is_reported_once()
    {
        var health = new JournalHealth();
        Assert.True(health.Writable);
        Assert.False(health.Record(null, T0));                  // still writable: no change
        Assert.True(health.Record("connection refused", T0.AddSeconds(1)));
        Assert.Equal(("connection refused", T0.AddSeconds(1)), (health.Reason, health.Since));
        Assert.False(health.Record("connection refused", T0.AddSeconds(2)));
        Assert.False(health.Record("timeout", T0.AddSeconds(3))); // a new reason is kept, the outage is the same one
        Assert.Equal(("timeout", T0.AddSeconds(1)), (health.Reason, health.Since));
        Assert.True(health.Record(null, T0.AddSeconds(4)));
        Assert.True(health.Writable);
        Assert.Null(health.Reason);
    }

    [Theory]
    [InlineData(100, 1)]
    [InlineData(500, 1)]
    [InlineData(1500, 2)]
    public void Retry_after_is_the_probe_interval_in_whole_seconds_at_least_one(int ms, int seconds) =>
        Assert.Equal(seconds, JournalHealth.RetryAfterSeconds(TimeSpan.FromMilliseconds(ms)));
}
