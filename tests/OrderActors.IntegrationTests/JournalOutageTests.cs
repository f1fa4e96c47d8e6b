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
        var restarting = DateTime.MaxValue;
        try
        {
            await ReadinessSaysWhyAsync(node, "PostgreSQL is down");
            await Task.Delay(TimeSpan.FromSeconds(15) - (DateTime.UtcNow - down)); // the outage lasts 15 s
        }
        finally
        {
            restarting = DateTime.UtcNow;
            await postgres.StartAsync();
        }
        var up = DateTime.UtcNow;
        var firstAccepted = await load.FirstAcceptedAfterAsync(up, "a 202 after PostgreSQL is back");
        await Poll.UntilAsync(async () => (await node.Http.GetAsync("/healthz/ready")).IsSuccessStatusCode, "ready again", 60);
        output.WriteLine($"ready again after {(DateTime.UtcNow - up).TotalSeconds:N1} s");
        await load.StopAsync();

        // the outage is until PostgreSQL starts again: pg_ctl returns once it accepts connections, so a request sent while
        // it starts meets a journal that is recovering, not one that is down (those are judged by the first 202 below)
        var starting = load.Answers.Where(a => a.SentAt >= restarting && a.SentAt < up).ToList();
        output.WriteLine($"while PostgreSQL started ({(up - restarting).TotalSeconds:N1} s): {starting.Count} answers, statuses " +
                         $"{SteadyLoad.Statuses(starting)}, slowest {starting.Select(a => a.Took.TotalSeconds).DefaultIfEmpty().Max():N2} s");
        await AssertFastRefusalsThenRecoveryAsync(node, load, load.InFlightBetween(stopping, restarting), firstAccepted, "PostgreSQL down 15 s", "PostgreSQL was back");
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

    [Fact]
    public async Task While_the_disk_is_full_webhook_queues_hold_their_pushes_say_why_and_then_deliver_every_order_once()
    {
        await using var disk = await Tmpfs.MountAsync(256);
        var secret = WebhookDeliveryTests.NewSecret();
        // every answer takes 300 ms, so that delivery is still under way when the disk fills
        await using var erp = await ReceiverProcess.StartAsync(secret, "--slow-rate", "1", "--delay", "300");
        await using var node = await NodeProcess.StartAsync(Path.Combine(disk.Path, "data"));
        Assert.Equal(200, (await node.Http.PutAsync("/api/admin/units/erp/delivery",
            $$"""{"mode":"webhook","url":"{{erp.Webhook}}","secrets":["{{secret}}"],"batch":10,"timeout":"5s"}""")).Code);
        var outcomes = new OrderOutcomes();
        await outcomes.PostBatchAsync(node.Http, Enumerable.Range(0, 1600).Select(i => ($"full-hook-{i:D4}", "PRESALE")).ToList());
        await outcomes.ResolveAsync(node.Http, TimeSpan.FromSeconds(60));
        Assert.Equal(1600, outcomes.Accepted);
        await Poll.ForAsync(erp.StatsAsync, s => (int)s["delivered"]! >= 100, "delivery under way");

        var filler = Path.Combine(disk.Path, "filler");
        await using (var fill = new FileStream(filler, FileMode.Create))
        {
            var block = new byte[1024 * 1024];
            try { while (true) await fill.WriteAsync(block); }
            catch (IOException) { /* full */ }
        }
        await ReadinessSaysWhyAsync(node, "the disk is full");
        // every webhook queue says why it waits
        var held = await Poll.ForAsync(() => node.Http.GetJsonAsync("/api/admin/delivery"),
            r => r.Body!.AsArray().Where(q => (string)q!["unit"]! == "erp" && (long)q["lag"]! > 0)
                .All(q => ((string?)q!["paused"])?.Contains("the journal cannot be written") == true),
            "the erp queues held, saying why", seconds: 10);
        output.WriteLine(held.Body!.ToJsonString());
        // and so does the view of an order not delivered yet
        var waiting = await FirstUndeliveredViewAsync(node, outcomes.Sent.Keys);
        Assert.Contains("the journal cannot be written", (string)waiting["units"]![0]!["waiting"]!);
        var before = (int)(await erp.StatsAsync())["requests"]!;
        await Task.Delay(TimeSpan.FromSeconds(10)); // full for 10 s: the queues wait, they do not send again and again
        var during = (int)(await erp.StatsAsync())["requests"]! - before;
        Assert.True(during == 0, $"{during} webhook requests while the journal could not be written");
        File.Delete(filler);

        var stats = await erp.AssertReceivedEachOnceInOrderAsync(ReceiverProcess.OrdersFor("erp", outcomes.Sent.Keys), "all 1,600 delivered after space is freed");
        output.WriteLine($"{(int)stats["requests"]!} requests for 1,600 orders, {(int)stats["duplicates"]!} orders received twice");
        Assert.True((int)stats["requests"]! < 1600 / 10 * 2, $"{(int)stats["requests"]!} requests for 160 batches: sent again and again");
        var after = await Poll.ForAsync(() => node.Http.GetJsonAsync("/api/admin/delivery"),
            r => r.Body!.AsArray().All(q => (long)q!["lag"]! == 0 && q["paused"] is null), "every queue delivered, none held");
    }

    private static async Task<System.Text.Json.Nodes.JsonNode> FirstUndeliveredViewAsync(NodeProcess node, IEnumerable<string> ids)
    {
        foreach (var id in ids)
            if ((await node.Http.GetJsonAsync($"/api/orders/{id}")).Body is { } view && (string)view["status"]! != "delivered")
                return view;
        throw new Xunit.Sdk.XunitException("every order was delivered");
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
