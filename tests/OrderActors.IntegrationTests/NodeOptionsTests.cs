using System.Diagnostics;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using OrderActors.IntegrationTests.Support;
using Xunit.Abstractions;

namespace OrderActors.IntegrationTests;

/// <summary>What README and docs/configuration.md promise of the node's options and of back-pressure, over real HTTP and the real CLI.</summary>
public class NodeOptionsTests(ITestOutputHelper output)
{
    [Fact]
    public async Task The_first_queue_count_the_batching_window_and_sqlite_synchronous_are_the_nodes_options()
    {
        await using var node = await NodeProcess.StartAsync(null, "--ingest-queues", "2", "--batch-window-ms", "300", "--sqlite-synchronous", "normal");
        Assert.Contains("2 first queues, batch window 300 ms", node.LogTail);
        Assert.Contains("synchronous=normal", node.LogTail);

        // one order first, so that the burst below meets an intake already compiled and connected: on a loaded machine the
        // first request's JIT alone can outlast the window and split the burst into more windows than it spans
        Assert.Equal(202, (await node.Http.PostJsonAsync("/api/orders", Expected.Order("opt-warm", "B2C"))).Code);

        // 40 orders at once: each is held for the window, and the window's orders leave as one batch
        var ids = Enumerable.Range(0, 40).Select(i => $"opt-{i:D2}").ToList();
        var clock = Stopwatch.StartNew();
        var replies = await Task.WhenAll(ids.Select(id => node.Http.PostJsonAsync("/api/orders", Expected.Order(id, "B2C"))));
        var took = clock.Elapsed;
        Assert.All(replies, r => Assert.Equal(202, r.Code));
        Assert.True(took >= TimeSpan.FromMilliseconds(250), $"40 orders answered in {took.TotalMilliseconds:N0} ms, within a 300 ms window");
        // two first queues: FNV-1a(id) mod 2, as API.md describes it for any count
        var firstQueues = replies.Select(r => (int)r.Body!["firstQueue"]!).ToList();
        Assert.Equal(ids.Select(id => (int)(Expected.Fnv1a(id) % 2)), firstQueues);
        Assert.Equal([0, 1], firstQueues.Distinct().Order());

        var views = new List<JsonNode>();
        foreach (var id in ids)
        {
            var view = await Poll.ForAsync(async () => (await node.Http.GetJsonAsync($"/api/orders/{id}")).Body!, v => (string)v["status"]! == "processed", $"order {id} processed");
            views.Add(view);
            Assert.All(view["units"]!.AsArray(), u => Assert.Equal((int)view["firstQueue"]!, (int)u!["queue"]!)); // k mod 4 = k for k < 2
        }
        var batches = views.Select(v => (string)v["acceptedAt"]!).Distinct().Count();
        Assert.True(batches <= 4, $"40 orders sent together were stored in {batches} batches");
        output.WriteLine($"40 orders in {took.TotalMilliseconds:N0} ms, {batches} batches");
    }

    [Fact]
    public async Task A_node_with_sqlite_synchronous_normal_keeps_every_accepted_order_through_a_kill_9() =>
        await KillNineDrill.BurstKillRestartAsync(output, "--sqlite-synchronous", "normal");

    [Fact]
    public async Task A_full_first_queue_answers_429_with_Retry_After_and_stores_nothing_it_refused()
    {
        await using var node = await WithHoconAsync("orderactors.ingest { max-pending = 20, batch-max-orders = 10 }");
        Assert.Contains("HOCON overrides from", node.LogTail);

        // 60 orders of one first queue in one batch: at most 20 may wait for their units at a time
        var ids = Enumerable.Range(0, 1000).Select(i => $"bp-{i:D3}").Where(id => Expected.FirstQueue(id) == 0).Take(60).ToList();
        var reply = await node.Http.PostJsonAsync("/api/orders/batch", ids.Select(id => Expected.Order(id, "B2B")).ToArray());
        Assert.Equal(200, reply.Code);
        var results = reply.Body!["results"]!.AsArray();
        Assert.Equal(60, results.Count);
        var throttled = results.Where(r => (int)r!["status"]! == 429).Select(r => (string)r!["orderId"]!).ToList();
        Assert.Equal(60, throttled.Count + results.Count(r => (int)r!["status"]! == 202));
        Assert.InRange(throttled.Count, 1, 40);
        Assert.NotNull(reply.Response.Headers.RetryAfter);
        Assert.All(results.Where(r => (int)r!["status"]! == 429), r => Assert.Equal(429, (int)r!["error"]!["status"]!));
        // and for a while the node refuses requests before reading them (a first queue is full): 429, Retry-After
        var crowded = await node.Http.PostJsonAsync("/api/orders", Expected.Order("bp-single", "B2B"));
        Assert.Equal((429, "application/problem+json"), (crowded.Code, crowded.ContentType));
        Assert.NotNull(crowded.Response.Headers.RetryAfter);

        // a refused order is not stored: it is unknown until sent again, and then accepted once
        foreach (var id in throttled) Assert.Equal(404, (await node.Http.GetJsonAsync($"/api/orders/{id}")).Code);
        var outcomes = new OrderOutcomes();
        foreach (var id in ids) await outcomes.PostAsync(node.Http, id, "B2B");
        await outcomes.ResolveAsync(node.Http, TimeSpan.FromSeconds(30));
        outcomes.AssertEveryAnswerKeptTheContract();
        await Feeds.AssertDeliveredExactlyOnceAsync(node.Http, outcomes.Sent, TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task A_unit_queue_at_its_backlog_bound_holds_deliveries_intake_answers_429_and_nothing_is_lost()
    {
        await using var node = await WithHoconAsync("""
            orderactors.units.max-backlog = 2
            orderactors.ingest { max-pending = 40, batch-max-orders = 10 }
            """);
        const string held = "new deliveries wait until the backlog drains"; // a unit queue held a delivery
        var outcomes = new OrderOutcomes();
        using var gate = new SemaphoreSlim(4);
        // rounds of 20 batches until a unit queue holds a delivery: how soon one does depends on the machine's pace
        var deadline = DateTime.UtcNow.AddSeconds(60);
        for (var round = 0; !node.Logged(held); round++)
        {
            Assert.True(DateTime.UtcNow < deadline, $"no unit queue reached its backlog bound in {round} rounds: {outcomes}");
            await Task.WhenAll(Enumerable.Range(0, 20).Select(async b =>
            {
                await gate.WaitAsync();
                try { await outcomes.PostBatchAsync(node.Http, Enumerable.Range(0, 100).Select(i => ($"bl-{round}-{b:D2}-{i:D2}", i % 2 == 0 ? "B2C" : "TRANSFER")).ToList()); }
                finally { gate.Release(); }
            }));
            output.WriteLine($"after round {round + 1}: {outcomes}");
        }
        Assert.True(outcomes.ByStatus.GetValueOrDefault(429) > 0, $"no order was refused while the units were behind: {outcomes}");
        await outcomes.ResolveAsync(node.Http, TimeSpan.FromSeconds(60));
        outcomes.AssertEveryAnswerKeptTheContract();
        await Feeds.AssertDeliveredExactlyOnceAsync(node.Http, outcomes.Sent, TimeSpan.FromSeconds(60));
    }

    [Fact]
    public async Task Too_many_requests_waiting_on_a_node_for_one_first_queue_are_answered_429_and_nothing_is_lost()
    {
        // one order per batch: at 4 batches waiting here for a first queue, the node takes no more for it
        await using var node = await WithHoconAsync("orderactors.ingest { batch-max-orders = 1 }");
        var ids = Enumerable.Range(0, 5000).Select(i => $"pn-{i:D4}").Where(id => Expected.FirstQueue(id) == 1).Take(200).ToList();
        var outcomes = new OrderOutcomes();
        await Task.WhenAll(ids.Select(id => outcomes.PostAsync(node.Http, id, "SERVICE")));
        output.WriteLine($"200 at once: {outcomes}");
        Assert.True(outcomes.ByStatus.GetValueOrDefault(429) > 0, $"200 orders at once for one first queue were all taken: {outcomes}");
        foreach (var id in outcomes.Unresolved) Assert.Equal(404, (await node.Http.GetJsonAsync($"/api/orders/{id}")).Code);
        await outcomes.ResolveAsync(node.Http, TimeSpan.FromSeconds(60));
        outcomes.AssertEveryAnswerKeptTheContract();
        await Feeds.AssertDeliveredExactlyOnceAsync(node.Http, outcomes.Sent, TimeSpan.FromSeconds(60));
    }

    [Fact]
    public async Task A_wrong_hocon_file_stops_the_node_with_exit_2_naming_the_file_or_the_key()
    {
        var dir = Directory.CreateTempSubdirectory("orderactors-test-hocon-").FullName;
        try
        {
            async Task<(int Code, string Err)> Start(params string[] args)
            {
                var (http, akka) = OrderActors.Harness.LoopbackPorts.TwoFree();
                var (code, _, err) = await Repo.RunAsync(Repo.Built("OrderActors.Node", "OrderActors.Node.dll"),
                    [.. args, "--data-dir", Path.Combine(dir, "data"), "--urls", $"http://127.0.0.1:{http}", "--cluster-port", $"{akka}"]);
                return (code, err);
            }
            var missing = await Start("--hocon", Path.Combine(dir, "nope.hocon"));
            Assert.Equal(2, missing.Code);
            Assert.Contains("nope.hocon: no such file", missing.Err);

            var file = Path.Combine(dir, "bad.hocon");
            await File.WriteAllTextAsync(file, "orderactors.ingest.max-pending = 5");
            var invalid = await Start("--hocon", file);
            Assert.Equal(2, invalid.Code);
            Assert.Contains("orderactors.ingest.max-pending", invalid.Err);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task A_starting_node_answers_503_with_Retry_After_until_it_has_its_catalog_never_422()
    {
        await using var node = new NodeProcess();
        var answers = new List<(int Status, bool RetryAfter, string Body)>();
        using var stop = new CancellationTokenSource();
        using var http = new HttpClient { BaseAddress = node.Http.BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
        // an OMS that keeps sending from the moment the process starts
        var oms = Task.Run(async () =>
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                try
                {
                    var reply = await http.PostJsonAsync("/api/orders", Expected.Order($"start-{i:D5}", "B2B"));
                    lock (answers) answers.Add((reply.Code, reply.Response.Headers.RetryAfter is not null, reply.ToString()));
                    if (reply.Code == 202) return;
                }
                catch (HttpRequestException) { await Task.Delay(2); } // not listening yet
            }
        });
        await node.StartAsync();
        await oms.WaitAsync(TimeSpan.FromSeconds(30));
        stop.Cancel();

        output.WriteLine($"{answers.Count} answers while starting: " + string.Join(", ", answers.GroupBy(a => a.Status).Select(g => $"{g.Key}: {g.Count()}")));
        Assert.Equal(202, answers[^1].Status);
        Assert.All(answers.SkipLast(1), a =>
        {
            Assert.True(a.Status == 503 && a.RetryAfter, $"while starting: {a.Body}");
            Assert.Contains("catalog", a.Body);
        });
        Assert.True(answers.Count > 1, "the node was ready at its first answer: the starting window was not seen");
    }

    [Fact]
    public async Task Orderctl_replays_through_back_pressure_and_a_second_replay_is_all_duplicates()
    {
        await using var node = await WithHoconAsync("orderactors.ingest { max-pending = 20, batch-max-orders = 10 }");
        var url = $"http://127.0.0.1:{node.HttpPort}";

        // batches of 100 spread over 4 first queues of 20 places each: items are refused with 429 and sent again
        var (code, stdout, stderr) = await Repo.OrderCtlAsync("--node", url, "--json", "orders", "replay", Repo.Sample("orders.ndjson"), "--batch", "100");
        Assert.True(code == 0, $"orderctl exited {code}: {stdout}\n{stderr}");
        Assert.Equal((830, 0, 0), ((int)JsonNode.Parse(stdout)!["accepted"]!, (int)JsonNode.Parse(stdout)!["duplicates"]!, (int)JsonNode.Parse(stdout)!["rejected"]!));

        (code, stdout, stderr) = await Repo.OrderCtlAsync("--node", url, "--json", "orders", "replay", Repo.Sample("orders.ndjson"));
        Assert.True(code == 0, $"orderctl exited {code}: {stdout}\n{stderr}");
        Assert.Equal((0, 830, 0), ((int)JsonNode.Parse(stdout)!["accepted"]!, (int)JsonNode.Parse(stdout)!["duplicates"]!, (int)JsonNode.Parse(stdout)!["rejected"]!));

        // exit codes: 1 the node refused something, 2 a usage error, 3 the node cannot be reached
        var bad = Path.Combine(Path.GetTempPath(), $"orderactors-test-{Guid.NewGuid():N}.ndjson");
        try
        {
            await File.WriteAllTextAsync(bad, """{"orderId":"x-1","businessCode":"NOPE","lines":[{"sku":"11","quantity":1}]}""" + "\n");
            Assert.Equal(1, (await Repo.OrderCtlAsync("--node", url, "orders", "replay", bad)).ExitCode);
        }
        finally
        {
            File.Delete(bad);
        }
        Assert.Equal(1, (await Repo.OrderCtlAsync("--node", url, "orders", "show", "no-such-order")).ExitCode);
        var usage = await Repo.OrderCtlAsync("--node", url, "orders", "frobnicate");
        Assert.Equal(2, usage.ExitCode);
        Assert.Contains("unknown command", usage.Err);
        Assert.Equal(2, (await Repo.OrderCtlAsync("--node", url, "orders", "replay", "--batch", "many", Repo.Sample("orders.ndjson"))).ExitCode);
        Assert.Equal(3, (await Repo.OrderCtlAsync("--node", "http://127.0.0.1:1", "queues")).ExitCode);
    }

    [Fact]
    public async Task Admin_calls_answer_only_on_loopback_unless_the_node_has_an_admin_token()
    {
        var address = NonLoopbackAddress();
        await using var open = new NodeProcess(null, "--insecure-no-auth") { ListenOn = "0.0.0.0" };
        await open.StartAsync();
        using var remote = new HttpClient { BaseAddress = new Uri($"http://{address}:{open.HttpPort}") };

        Assert.Equal(200, (await open.Http.GetJsonAsync("/api/admin/cluster/members")).Code);
        var refused = await remote.GetJsonAsync("/api/admin/cluster/members");
        Assert.Equal((403, "application/problem+json"), (refused.Code, refused.ContentType));
        Assert.Equal(403, (await remote.PostAsync("/api/admin/cluster/leave", "{\"address\":\"akka.tcp://orderactors@127.0.0.1:1\"}")).Code);
        Assert.Equal(200, (await remote.GetJsonAsync("/api/routing")).Code); // only admin calls are kept to loopback

        await using var guarded = new NodeProcess(null, "--admin-token", "s3cret-token-for-tests") { ListenOn = "0.0.0.0" };
        await guarded.StartAsync();
        using var guardedRemote = new HttpClient { BaseAddress = new Uri($"http://{address}:{guarded.HttpPort}") };
        async Task<int> Members(HttpClient http, string? token)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/admin/queues");
            if (token is not null) request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
            using var response = await http.SendAsync(request);
            return (int)response.StatusCode;
        }
        Assert.Equal(401, await Members(guarded.Http, null)); // the token is needed on loopback too
        Assert.Equal(401, await Members(guarded.Http, "wrong"));
        Assert.Equal(200, await Members(guarded.Http, "s3cret-token-for-tests"));
        Assert.Equal(200, await Members(guardedRemote, "s3cret-token-for-tests")); // and then it answers from any address
        Assert.Equal(401, await Members(guardedRemote, null));

        var url = $"http://127.0.0.1:{guarded.HttpPort}";
        Assert.Equal(0, (await Repo.OrderCtlAsync("--node", url, "--token", "s3cret-token-for-tests", "queues")).ExitCode);
        Assert.NotEqual(0, (await Repo.OrderCtlAsync("--node", url, "queues")).ExitCode);
    }

    [Fact]
    public async Task A_node_listening_beyond_loopback_without_an_admin_token_refuses_to_start_with_exit_2_and_the_reason()
    {
        var dir = Directory.CreateTempSubdirectory("orderactors-test-open-").FullName;
        try
        {
            var (http, akka) = OrderActors.Harness.LoopbackPorts.TwoFree();
            var (code, _, err) = await Repo.RunAsync(Repo.Built("OrderActors.Node", "OrderActors.Node.dll"),
                ["--data-dir", Path.Combine(dir, "data"), "--urls", $"http://0.0.0.0:{http}", "--cluster-port", $"{akka}"]);
            Assert.Equal(2, code);
            Assert.Contains("listens beyond loopback", err);
            Assert.Contains("--admin-token", err);
            Assert.Contains("--insecure-no-auth", err);
            Assert.False(Directory.Exists(Path.Combine(dir, "data")), "nothing is written before the node refuses");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Theory]
    [InlineData("change-me", "placeholder")]
    [InlineData("replace-with-a-long-random-token", "placeholder")]
    [InlineData("short-token", "at least 16")]
    public async Task A_placeholder_or_short_admin_token_stops_the_node_with_exit_2(string token, string reason)
    {
        var (http, akka) = OrderActors.Harness.LoopbackPorts.TwoFree();
        var dir = Path.Combine(Path.GetTempPath(), "orderactors-test-token-" + Guid.NewGuid().ToString("N")[..8]);
        var (code, _, err) = await Repo.RunAsync(Repo.Built("OrderActors.Node", "OrderActors.Node.dll"),
            ["--admin-token", token, "--data-dir", dir, "--urls", $"http://127.0.0.1:{http}", "--cluster-port", $"{akka}"]);
        Assert.Equal(2, code);
        Assert.Contains("--admin-token", err);
        Assert.Contains(reason, err);
        Assert.False(Directory.Exists(dir), "nothing is written before the node refuses");
    }

    [Fact]
    public async Task Wrong_cluster_TLS_options_stop_the_node_with_exit_2_naming_the_option()
    {
        using var ca = await ClusterCa.CreateAsync();
        using var rogue = await ClusterCa.CreateAsync();
        var good = await ca.NodeArgsAsync("node-a");
        var foreign = await rogue.NodeArgsAsync("node-x");
        var dir = Directory.CreateTempSubdirectory("orderactors-test-tls-").FullName;
        try
        {
            async Task<string> Refused(params string[] args)
            {
                var (http, akka) = OrderActors.Harness.LoopbackPorts.TwoFree();
                var (code, _, err) = await Repo.RunAsync(Repo.Built("OrderActors.Node", "OrderActors.Node.dll"),
                    [.. args, "--data-dir", Path.Combine(dir, "data"), "--urls", $"http://127.0.0.1:{http}", "--cluster-port", $"{akka}"]);
                Assert.True(code == 2, $"exit {code}: {err}");
                return err;
            }
            Assert.Contains("--cluster-tls-cert needs --cluster-tls-ca", await Refused(good[0], good[1], good[2], good[3]));
            Assert.Contains("give its private key with --cluster-tls-key", await Refused(good[0], good[1], good[4], good[5]));
            Assert.Contains("need --cluster-tls-cert", await Refused(good[4], good[5]));
            Assert.Contains("no such file", await Refused(good[0], Path.Combine(dir, "none.pem"), good[2], good[3], good[4], good[5]));
            // a certificate of another CA: its peers would refuse it, so it is refused at start, not by silence later
            Assert.Contains("does not chain to the cluster CA", await Refused(foreign[0], foreign[1], foreign[2], foreign[3], good[4], good[5]));
            // a certificate with another's key
            Assert.Contains("could not be read", await Refused(good[0], good[1], foreign[2], foreign[3], good[4], good[5]));
            Assert.Contains("the cluster link is TLS, so a seed is akka.ssl.tcp://", await Refused([.. good, "--seed-nodes", "akka.tcp://orderactors@127.0.0.1:4053"]));
            Assert.Contains("the cluster link is plain TCP, so a seed is akka.tcp://", await Refused("--seed-nodes", "akka.ssl.tcp://orderactors@127.0.0.1:4053"));
            Assert.False(Directory.Exists(Path.Combine(dir, "data")), "nothing is written before the node refuses");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>An IPv4 address of this machine that is not loopback: a caller from it is not on loopback.</summary>
    private static IPAddress NonLoopbackAddress() =>
        NetworkInterface.GetAllNetworkInterfaces()
            .Where(n => n.OperationalStatus == OperationalStatus.Up && n.NetworkInterfaceType != NetworkInterfaceType.Loopback)
            .SelectMany(n => n.GetIPProperties().UnicastAddresses)
            .Select(a => a.Address)
            .FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a))
        ?? throw new InvalidOperationException("this machine has no non-loopback IPv4 address to call the node from");

    /// <summary>A node started with <c>--hocon</c>: a file of overrides, kept in its data dir (deleted with it).</summary>
    private static async Task<NodeProcess> WithHoconAsync(string hocon)
    {
        var dir = Path.Combine(Path.GetTempPath(), "orderactors-test-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        var file = Path.Combine(dir, "overrides.hocon");
        await File.WriteAllTextAsync(file, hocon);
        return await NodeProcess.StartAsync(dir, "--hocon", file);
    }

}
