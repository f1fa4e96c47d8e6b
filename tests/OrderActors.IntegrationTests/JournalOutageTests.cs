using System.Diagnostics;
using System.Text.Json.Nodes;
using OrderActors.IntegrationTests.Support;
using Xunit.Abstractions;

namespace OrderActors.IntegrationTests;

/// <summary>The journal goes away and comes back, for real: the test's PostgreSQL stopped and started under load.</summary>
[Collection(PostgresCollection.Name)]
public class JournalOutageTests(PostgresServer postgres, ITestOutputHelper output)
{
    [Fact]
    public async Task While_PostgreSQL_is_down_intake_fails_fast_readiness_says_why_and_within_5_s_of_its_return_orders_are_accepted_again()
    {
        var connectionString = await postgres.CreateDatabaseAsync();
        await using var node = await NodeProcess.StartAsync(null, "--journal", "postgres", "--connection-string", connectionString);
        var outcomes = new OrderOutcomes();
        var answers = new List<(DateTime At, int? Status, TimeSpan Took)>();
        using var stop = new CancellationTokenSource();
        var next = 0;

        async Task Load()
        {
            while (!stop.IsCancellationRequested)
            {
                var i = Interlocked.Increment(ref next);
                var clock = Stopwatch.StartNew();
                var status = await outcomes.PostAsync(node.Http, $"pgo-{i:D5}", Expected.Codes[i % Expected.Codes.Length]);
                lock (answers) answers.Add((DateTime.UtcNow, status, clock.Elapsed));
                if (status is not (200 or 202)) await Task.Delay(50); // a client backing off a little on 503
            }
        }
        var load = Enumerable.Range(0, 8).Select(_ => Load()).ToArray();
        await Poll.UntilAsync(() => Task.FromResult(outcomes.Accepted > 200), "orders accepted before the outage");

        await postgres.StopAsync();
        var down = DateTime.UtcNow;
        try
        {
            // readiness turns not ready, with the reason
            var ready = await Poll.ForAsync(async () => await node.Http.GetAsync("/healthz/ready"), r => !r.IsSuccessStatusCode, "not ready while PostgreSQL is down", 10);
            var readyText = await ready.Content.ReadAsStringAsync();
            output.WriteLine($"ready while down: {(int)ready.StatusCode} {readyText}");
            await Task.Delay(TimeSpan.FromSeconds(15) - (DateTime.UtcNow - down)); // the outage lasts 15 s
        }
        finally
        {
            await postgres.StartAsync();
        }
        var up = DateTime.UtcNow;
        await Poll.UntilAsync(() => Task.FromResult(answers.ToArray().Any(a => a.At > up && a.Status == 202)), "a 202 after PostgreSQL is back", 60);
        var firstAccepted = answers.ToArray().Where(a => a.At > up && a.Status == 202).Min(a => a.At) - up;
        await Poll.UntilAsync(async () => (await node.Http.GetAsync("/healthz/ready")).IsSuccessStatusCode, "ready again", 60);
        var readyAgain = DateTime.UtcNow - up;
        stop.Cancel();
        await Task.WhenAll(load);

        // the requests sent once the node had seen the outage (its probe runs every 500 ms)
        var during = answers.Where(a => a.At - a.Took > down.AddSeconds(1) && a.At < up).ToList();
        output.WriteLine($"outage 15 s: {during.Count} answers during it, statuses {string.Join(", ", during.GroupBy(a => a.Status).Select(g => $"{g.Key}×{g.Count()}"))}, " +
                         $"slowest {during.Select(a => a.Took.TotalSeconds).DefaultIfEmpty().Max():N2} s; first 202 {firstAccepted.TotalSeconds:N1} s after PostgreSQL is back, " +
                         $"ready again after {readyAgain.TotalSeconds:N1} s; {outcomes}");

        await outcomes.ResolveAsync(node.Http, TimeSpan.FromSeconds(90));
        outcomes.AssertEveryAnswerKeptTheContract();
        await Feeds.AssertDeliveredExactlyOnceAsync(node.Http, outcomes.Sent, TimeSpan.FromSeconds(90));

        Assert.All(during, a => Assert.True(a.Took < TimeSpan.FromSeconds(1.5), $"an answer during the outage took {a.Took.TotalSeconds:N1} s ({a.Status})"));
        Assert.True(firstAccepted < TimeSpan.FromSeconds(5), $"the first 202 came {firstAccepted.TotalSeconds:N1} s after PostgreSQL was back");
    }

    [Fact]
    public async Task When_the_data_dir_disk_fills_intake_fails_fast_readiness_says_why_and_within_5_s_of_space_coming_back_orders_are_accepted_again()
    {
        Assert.True(Environment.UserName == "root", "this test mounts a small tmpfs and needs root (CI runs as root)");
        var mount = Directory.CreateTempSubdirectory("orderactors-full-").FullName;
        async Task Sh(string command)
        {
            var (code, _, err) = await Repo.RunProgramAsync("/bin/sh", ["-c", command]);
            Assert.True(code == 0, $"{command}: {err}");
        }
        await Sh($"mount -t tmpfs -o size=256m tmpfs {mount}");
        try
        {
            await using var node = await NodeProcess.StartAsync(Path.Combine(mount, "data"));
            var outcomes = new OrderOutcomes();
            var answers = new List<(DateTime At, int? Status, TimeSpan Took)>();
            using var stop = new CancellationTokenSource();
            var next = 0;
            async Task Load()
            {
                while (!stop.IsCancellationRequested)
                {
                    var i = Interlocked.Increment(ref next);
                    var clock = Stopwatch.StartNew();
                    var status = await outcomes.PostAsync(node.Http, $"full-{i:D5}", Expected.Codes[i % Expected.Codes.Length]);
                    lock (answers) answers.Add((DateTime.UtcNow, status, clock.Elapsed));
                    if (status is not (200 or 202)) await Task.Delay(50);
                }
            }
            var load = Enumerable.Range(0, 8).Select(_ => Load()).ToArray();
            await Poll.UntilAsync(() => Task.FromResult(outcomes.Accepted > 200), "orders accepted before the disk fills");

            // fill the file system to the last byte
            var filler = Path.Combine(mount, "filler");
            await using (var fill = new FileStream(filler, FileMode.Create))
            {
                var block = new byte[1024 * 1024];
                try { while (true) await fill.WriteAsync(block); }
                catch (IOException) { /* full */ }
            }
            var full = DateTime.UtcNow;
            var ready = await Poll.ForAsync(async () => await node.Http.GetAsync("/healthz/ready"), r => !r.IsSuccessStatusCode, "not ready while the disk is full", 10);
            output.WriteLine($"ready while full: {(int)ready.StatusCode} {await ready.Content.ReadAsStringAsync()}");
            await Task.Delay(TimeSpan.FromSeconds(10) - (DateTime.UtcNow - full));
            File.Delete(filler);
            var freed = DateTime.UtcNow;
            await Poll.UntilAsync(() => Task.FromResult(answers.ToArray().Any(a => a.At > freed && a.Status == 202)), "a 202 after space is freed", 60);
            var firstAccepted = answers.ToArray().Where(a => a.At > freed && a.Status == 202).Min(a => a.At) - freed;
            stop.Cancel();
            await Task.WhenAll(load);

            var during = answers.Where(a => a.At - a.Took > full.AddSeconds(1) && a.At < freed).ToList();
            output.WriteLine($"disk full 10 s: {during.Count} answers during it, statuses {string.Join(", ", during.GroupBy(a => a.Status).Select(g => $"{g.Key}×{g.Count()}"))}, " +
                             $"slowest {during.Select(a => a.Took.TotalSeconds).DefaultIfEmpty().Max():N2} s; first 202 {firstAccepted.TotalSeconds:N1} s after space was freed; {outcomes}");
            await outcomes.ResolveAsync(node.Http, TimeSpan.FromSeconds(90));
            outcomes.AssertEveryAnswerKeptTheContract();
            await Feeds.AssertDeliveredExactlyOnceAsync(node.Http, outcomes.Sent, TimeSpan.FromSeconds(90));
            Assert.All(during, a => Assert.True(a.Took < TimeSpan.FromSeconds(1.5), $"an answer while the disk was full took {a.Took.TotalSeconds:N1} s ({a.Status})"));
            Assert.True(firstAccepted < TimeSpan.FromSeconds(5), $"the first 202 came {firstAccepted.TotalSeconds:N1} s after space was freed");
        }
        finally
        {
            await Repo.RunProgramAsync("/bin/sh", ["-c", $"umount {mount}"]);
            Directory.Delete(mount, recursive: true);
        }
    }
}
