using OrderActors.IntegrationTests.Support;
using Xunit.Abstractions;

namespace OrderActors.IntegrationTests;

/// <summary>The journal goes away and comes back, for real: the test's PostgreSQL stopped and started, a data dir's disk filled and freed, under load.</summary>
[Collection(PostgresCollection.Name)]
public class JournalOutageTests(PostgresServer postgres, ITestOutputHelper output)
{
    [Fact]
    public async Task While_PostgreSQL_is_down_intake_fails_fast_readiness_says_why_and_within_5_s_of_its_return_orders_are_accepted_again()
    {
        var connectionString = await postgres.CreateDatabaseAsync();
        await using var node = await NodeProcess.StartAsync(null, "--journal", "postgres", "--connection-string", connectionString);
        var load = new SteadyLoad(node, "pgo", clients: 8).Start();
        await Poll.UntilAsync(() => Task.FromResult(load.Outcomes.Accepted > 200), "orders accepted before the outage");

        var stopping = DateTime.UtcNow;
        await postgres.StopAsync();
        var down = DateTime.UtcNow;
        try
        {
            await ReadinessSaysWhyAsync(node, "PostgreSQL is down");
            await Task.Delay(TimeSpan.FromSeconds(15) - (DateTime.UtcNow - down)); // the outage lasts 15 s
        }
        finally
        {
            await postgres.StartAsync();
        }
        var up = DateTime.UtcNow;
        var firstAccepted = await load.FirstAcceptedAfterAsync(up, "a 202 after PostgreSQL is back");
        await Poll.UntilAsync(async () => (await node.Http.GetAsync("/healthz/ready")).IsSuccessStatusCode, "ready again", 60);
        output.WriteLine($"ready again after {(DateTime.UtcNow - up).TotalSeconds:N1} s");
        await load.StopAsync();

        await AssertFastRefusalsThenRecoveryAsync(node, load, load.InFlightBetween(stopping, up), firstAccepted, "PostgreSQL down 15 s", "PostgreSQL was back");
    }

    [Fact]
    public async Task When_the_data_dir_disk_fills_intake_fails_fast_readiness_says_why_and_within_5_s_of_space_coming_back_orders_are_accepted_again()
    {
        await using var disk = await Tmpfs.MountAsync(256);
        await using var node = await NodeProcess.StartAsync(Path.Combine(disk.Path, "data"));
        var load = new SteadyLoad(node, "full", clients: 8).Start();
        await Poll.UntilAsync(() => Task.FromResult(load.Outcomes.Accepted > 200), "orders accepted before the disk fills");

        // fill the file system to the last byte
        var filling = DateTime.UtcNow;
        var filler = Path.Combine(disk.Path, "filler");
        await using (var fill = new FileStream(filler, FileMode.Create))
        {
            var block = new byte[1024 * 1024];
            try { while (true) await fill.WriteAsync(block); }
            catch (IOException) { /* full */ }
        }
        var full = DateTime.UtcNow;
        output.WriteLine($"the disk filled in {(full - filling).TotalSeconds:N2} s");
        await ReadinessSaysWhyAsync(node, "the disk is full");
        await Task.Delay(TimeSpan.FromSeconds(10) - (DateTime.UtcNow - full)); // full for 10 s
        File.Delete(filler);
        var freed = DateTime.UtcNow;
        var firstAccepted = await load.FirstAcceptedAfterAsync(freed, "a 202 after space is freed");
        await load.StopAsync();

        output.WriteLine("answers per second from the fill on: " + SteadyLoad.PerSecond(load.Answers, filling));
        // the writes in flight when the disk filled are answered at once too (they fail), not at the ask timeout
        await AssertFastRefusalsThenRecoveryAsync(node, load, load.InFlightBetween(filling, freed), firstAccepted, "disk full 10 s", "space was freed");
    }

    private async Task ReadinessSaysWhyAsync(NodeProcess node, string while_)
    {
        var ready = await Poll.ForAsync(async () => await node.Http.GetAsync("/healthz/ready"), r => !r.IsSuccessStatusCode, $"not ready while {while_}", 10);
        output.WriteLine($"ready while {while_}: {(int)ready.StatusCode} {await ready.Content.ReadAsStringAsync()}");
    }

    /// <summary>
    /// Every answer in <paramref name="during"/> the outage within 1.5 s, the first
    /// 202 within 5 s of the journal's return, and every order answered 202 processed exactly once in every unit.
    /// </summary>
    private async Task AssertFastRefusalsThenRecoveryAsync(NodeProcess node, SteadyLoad load, List<SteadyLoad.Answer> during,
        TimeSpan firstAccepted, string outage, string back)
    {
        output.WriteLine($"{outage}: {during.Count} answers during it, statuses {SteadyLoad.Statuses(during)}, " +
                         $"slowest {during.Select(a => a.Took.TotalSeconds).DefaultIfEmpty().Max():N2} s; first 202 {firstAccepted.TotalSeconds:N1} s after {back}; {load.Outcomes}");
        await load.Outcomes.ResolveAsync(node.Http, TimeSpan.FromSeconds(90));
        load.Outcomes.AssertEveryAnswerKeptTheContract();
        await Feeds.AssertDeliveredExactlyOnceAsync(node.Http, load.Outcomes.Sent, TimeSpan.FromSeconds(90));
        Assert.All(during, a => Assert.True(a.Took < TimeSpan.FromSeconds(1.5), $"an answer during the outage took {a.Took.TotalSeconds:N1} s ({a.Status})"));
        Assert.True(firstAccepted < TimeSpan.FromSeconds(5), $"the first 202 came {firstAccepted.TotalSeconds:N1} s after {back}");
    }
}
