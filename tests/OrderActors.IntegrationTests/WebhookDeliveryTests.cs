using System.Diagnostics;
using System.Text.Json.Nodes;
using OrderActors.IntegrationTests.Support;
using Xunit.Abstractions;

namespace OrderActors.IntegrationTests;

/// <summary>
/// Delivery in <c>webhook</c> mode (docs/API.md "Delivery"): the node pushes each unit queue's orders, signed, in seq
/// order, to the unit's endpoint, here the reference receiver run as a real process with fault modes.
/// </summary>
public class WebhookDeliveryTests(ITestOutputHelper output)
{
    // retries start at 50 ms and stay under 1 s, so that a flapping receiver does not make the test slow
    private const string FastRetries = "orderactors.delivery { retry-first = 50ms, retry-max = 1s }";

    [Fact]
    public async Task Every_accepted_order_reaches_each_units_flapping_receiver_in_seq_order_with_valid_signatures()
    {
        var (erpSecret, wmsSecret) = (NewSecret(), NewSecret());
        // 30% answered 500, 10% answered only after the node's 1 s timeout (then the node sends them again)
        await using var erp = await ReceiverProcess.StartAsync(erpSecret, "--fail-rate", "0.3", "--slow-rate", "0.1", "--delay", "1500", "--seed", "3");
        await using var wms = await ReceiverProcess.StartAsync(wmsSecret, "--fail-rate", "0.3", "--slow-rate", "0.1", "--delay", "1500", "--seed", "4");
        await using var node = await StartNodeAsync();
        await SetWebhookAsync(node, "erp", erp.Webhook, erpSecret, batch: 20);
        await SetWebhookAsync(node, "wms", wms.Webhook, wmsSecret, batch: 20);

        var outcomes = new OrderOutcomes();
        var ids = Enumerable.Range(0, 600).Select(i => ($"hook-{i:D3}", Expected.Codes[i % Expected.Codes.Length])).ToList();
        await outcomes.PostBatchAsync(node.Http, ids);
        await outcomes.ResolveAsync(node.Http, TimeSpan.FromSeconds(60));
        outcomes.AssertEveryAnswerKeptTheContract();

        foreach (var (unit, receiver) in new[] { ("erp", erp), ("wms", wms) })
        {
            var expected = ReceiverProcess.OrdersFor(unit, outcomes.Sent);
            var stats = await receiver.AssertReceivedEachOnceInOrderAsync(expected, $"{expected.Count} orders delivered to the {unit} receiver");
            output.WriteLine($"{unit}: {expected.Count} orders in {(int)stats["requests"]!} requests ({(int)stats["faults"]!} answered 500, " +
                             $"{(int)stats["duplicates"]!} orders received again after a timeout)");
        }

        // the order views say delivered (once the confirmations are stored, within the store interval), and no queue lags
        foreach (var id in outcomes.Sent.Keys.Take(50))
            await Poll.ForAsync(() => node.Http.GetJsonAsync($"/api/orders/{id}"), r => (string)r.Body!["status"]! == "delivered", $"{id} shown delivered");
        var delivery = await Poll.ForAsync(() => node.Http.GetJsonAsync("/api/admin/delivery"),
            r => r.Body!.AsArray().All(q => (long)q!["lag"]! == 0), "every queue delivered");
        Assert.All(delivery.Body!.AsArray(), q => Assert.Equal("webhook", (string)q!["mode"]!));
    }

    [Fact]
    public async Task After_a_kill_9_mid_delivery_pushing_resumes_from_the_stored_cursor_and_nothing_is_lost()
    {
        var secret = NewSecret();
        // slow answers keep requests in flight when the node dies
        await using var erp = await ReceiverProcess.StartAsync(secret, "--slow-rate", "0.8", "--delay", "400", "--seed", "5");
        await using var node = await StartNodeAsync();
        await SetWebhookAsync(node, "erp", erp.Webhook, secret, batch: 5);

        var outcomes = new OrderOutcomes();
        await outcomes.PostBatchAsync(node.Http, Enumerable.Range(0, 800).Select(i => ($"kill-hook-{i:D3}", "PRESALE")).ToList());
        await outcomes.ResolveAsync(node.Http, TimeSpan.FromSeconds(60));
        Assert.Equal(800, outcomes.Accepted);
        var before = await Poll.ForAsync(erp.StatsAsync, s => (int)s["delivered"]! >= 100, "delivery under way", seconds: 60);
        node.Kill();
        Assert.True((int)before["delivered"]! < 800, "the node was killed while orders were still to deliver");
        // answers came within the node's timeout until then: so one request per queue was in flight, never two
        Assert.Equal(1, (int)before["maxInFlight"]!);
        await node.StartAsync();

        var stats = await erp.AssertReceivedEachOnceInOrderAsync(ReceiverProcess.OrdersFor("erp", outcomes.Sent.Keys), "all 800 delivered after the restart");
        output.WriteLine($"killed at {(int)before["delivered"]!} of 800 delivered; after the restart {(int)stats["duplicates"]!} orders came again (deduped)");
    }

    [Fact]
    public async Task Confirmations_stored_together_are_stored_before_a_graceful_stop_and_within_the_interval_so_no_order_is_sent_again()
    {
        var secret = NewSecret();
        await using var erp = await ReceiverProcess.StartAsync(secret);
        // by count never (a million orders), by time only after the first restart: the first stop must store them itself
        var hocon = await HoconFileAsync(FastRetries + "\norderactors.delivery { cursor-store-every = 1000000, cursor-store-interval = 1h }");
        await using var node = await NodeProcess.StartAsync(null, "--hocon", hocon);
        await SetWebhookAsync(node, "erp", erp.Webhook, secret, batch: 7);

        var sent = new List<string>();
        async Task DeliverAsync(string prefix, int count)
        {
            var outcomes = new OrderOutcomes();
            await outcomes.PostBatchAsync(node.Http, Enumerable.Range(0, count).Select(i => ($"{prefix}-{i:D3}", "PRESALE")).ToList());
            await outcomes.ResolveAsync(node.Http, TimeSpan.FromSeconds(60));
            Assert.Equal(count, outcomes.Accepted);
            sent.AddRange(outcomes.Sent.Keys);
            await erp.AssertReceivedEachOnceInOrderAsync(ReceiverProcess.OrdersFor("erp", sent), $"{sent.Count} orders delivered");
        }

        await DeliverAsync("together-a", 120);
        // the receiver has them, nothing is stored yet: the order views do not say delivered (a crash now sends them again)
        Assert.Equal("processed", (string)(await node.Http.GetJsonAsync("/api/orders/together-a-000")).Body!["status"]!);
        Assert.Equal(0, await StoredConfirmationsAsync(node));
        var cursors = await CursorsAsync(node);
        Assert.Equal(0, await node.TerminateAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(cursors, await StoredConfirmationsAsync(node)); // stored as the queues stopped

        await File.WriteAllTextAsync(hocon, FastRetries + "\norderactors.delivery { cursor-store-every = 1000000, cursor-store-interval = 300ms }");
        await node.StartAsync();
        Assert.Equal("delivered", (string)(await node.Http.GetJsonAsync("/api/orders/together-a-000")).Body!["status"]!); // stored: shown
        await DeliverAsync("together-b", 120); // nothing of the first 120 came again, before these or after
        await Poll.ForAsync(async () => (await CursorsAsync(node), await StoredConfirmationsAsync(node)), c => c.Item1 == c.Item2,
            "the confirmations stored by the interval's timer");
        node.Kill();
        await node.StartAsync();
        await DeliverAsync("together-c", 60);

        var stats = await erp.StatsAsync();
        Assert.Equal(0, (int)stats["duplicates"]!);
        output.WriteLine($"{sent.Count} orders in {(int)stats["requests"]!} requests, none sent again after the stop or the kill -9");
    }

    /// <summary>Every erp queue's cursor as the node shows it: the sum, which only grows.</summary>
    private static async Task<long> CursorsAsync(NodeProcess node) =>
        (await node.Http.GetJsonAsync("/api/admin/delivery")).Body!.AsArray().Where(q => (string)q!["unit"]! == "erp")
        .Sum(q => (long)q!["deliveredUpTo"]!);

    /// <summary>The sum over the erp queues of the last confirmation stored together in the journal (0: none).</summary>
    private static async Task<long> StoredConfirmationsAsync(NodeProcess node)
    {
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(node.DataDir, "orderactors.db")};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT persistence_id, message FROM journal WHERE manifest = 'ddt' AND persistence_id LIKE 'delivery-erp-%' ORDER BY sequence_number";
        var last = new Dictionary<string, long>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            last[reader.GetString(0)] = (long)JsonNode.Parse((byte[])reader["message"])!["marks"]!.AsArray()[^1]!["upTo"]!;
        return last.Values.Sum();
    }

    [Fact]
    public async Task Switching_a_unit_between_pull_and_webhook_at_runtime_loses_nothing_and_keeps_seq_order()
    {
        var secret = NewSecret();
        await using var erp = await ReceiverProcess.StartAsync(secret);
        await using var node = await StartNodeAsync();
        // every order in erp queue 2 (first queue 2, PRESALE: erp only), so that erp-2's seqs are those orders in order
        var ids = Enumerable.Range(0, 2000).Select(i => $"switch-{i:D4}").Where(id => Expected.FirstQueue(id) == 2).Take(120).ToList();
        var outcomes = new OrderOutcomes();
        async Task Post(IEnumerable<string> batch)
        {
            await outcomes.PostBatchAsync(node.Http, batch.Select(id => (id, "PRESALE")).ToList());
            await outcomes.ResolveAsync(node.Http, TimeSpan.FromSeconds(30));
        }
        async Task<JsonNode> Erp2() => (await node.Http.GetJsonAsync("/api/admin/delivery")).Body!.AsArray()
            .First(q => (string)q!["unit"]! == "erp" && (int)q["queue"]! == 2)!;

        // pull: a consumer reads 40 and acks them
        await Post(ids.Take(40));
        var pulled = await Poll.ForAsync(() => node.Http.GetJsonAsync("/api/units/erp/queues/2/orders?after=0&limit=1000"),
            r => r.Body!["orders"]!.AsArray().Count == 40, "40 orders in erp-2");
        var consumed = pulled.Body!["orders"]!.AsArray().Select(o => (long)o!["seq"]!).ToList();
        Assert.Equal(200, (await node.Http.PostAsync("/api/units/erp/queues/2/ack", "{\"upTo\":40}")).Code);

        // webhook: pushing starts after the cursor, while more orders come
        await SetWebhookAsync(node, "erp", erp.Webhook, secret, batch: 7);
        await Post(ids.Skip(40).Take(40));
        await Poll.ForAsync(erp.StatsAsync, s => (int)s["delivered"]! >= 40, "orders 41-80 pushed");

        // back to pull: the consumer goes on from the cursor the pushes moved
        Assert.Equal(200, (await node.Http.PutAsync("/api/admin/units/erp/delivery", "{\"mode\":\"pull\"}")).Code);
        await Post(ids.Skip(80));
        // a request on its way when the mode changed finishes first; then the cursor says where pulling goes on
        var deliveredUpTo = (long)(await Poll.ForAsync(Erp2, q => (string)q["mode"]! == "pull" && (bool)q["modeApplied"]! && q["inFlightUpTo"] is null,
            "erp in pull mode, nothing in flight"))["deliveredUpTo"]!;
        var rest = await Poll.ForAsync(() => node.Http.GetJsonAsync($"/api/units/erp/queues/2/orders?after={deliveredUpTo}&limit=1000"),
            r => r.Body!["orders"]!.AsArray().Count == 120 - deliveredUpTo, "the rest readable after the cursor");
        consumed.AddRange(rest.Body!["orders"]!.AsArray().Select(o => (long)o!["seq"]!));
        Assert.Equal(200, (await node.Http.PostAsync("/api/units/erp/queues/2/ack", "{\"upTo\":120}")).Code);

        var stats = await erp.StatsAsync();
        var pushed = stats["orders"]!.AsArray().Count;
        Assert.True((int)stats["outOfOrder"]! == 0, $"out of order: {stats.ToJsonString()} consumed {string.Join(",", consumed)}");
        Assert.Equal(120, consumed.Count + pushed); // every order once: pulled or pushed, never both, none missing
        Assert.Equal(Enumerable.Range(1, 40).Select(i => (long)i), consumed.Take(40));
        Assert.Equal(deliveredUpTo - 40, pushed);
        Assert.Equal(Enumerable.Range((int)deliveredUpTo + 1, 120 - (int)deliveredUpTo).Select(i => (long)i), consumed.Skip(40));
        foreach (var id in ids) // the pushed ones shown once their confirmations are stored, within the store interval
            await Poll.ForAsync(() => node.Http.GetJsonAsync($"/api/orders/{id}"), r => (string)r.Body!["status"]! == "delivered", $"{id} shown delivered");
        output.WriteLine($"pulled 1-40, pushed 41-{deliveredUpTo}, pulled {deliveredUpTo + 1}-120");
    }

    [Fact]
    public async Task A_receivers_retry_after_delays_the_next_attempt_at_least_that_long()
    {
        var secret = NewSecret();
        await using var erp = await ReceiverProcess.StartAsync(secret, "--status", "429", "--status-count", "1", "--retry-after", "2");
        await using var node = await StartNodeAsync();
        await SetWebhookAsync(node, "erp", erp.Webhook, secret, batch: 100);
        Assert.Equal(202, (await node.Http.PostJsonAsync("/api/orders", Expected.Order("retry-after-1", "PRESALE"))).Code);

        var stats = await Poll.ForAsync(erp.StatsAsync, s => (int)s["delivered"]! == 1, "the order delivered after the 429");
        var arrivals = stats["arrivals"]!.AsArray().Select(a => (long)a!).ToList();
        Assert.Equal(2, arrivals.Count);
        Assert.True(arrivals[1] - arrivals[0] >= 2000, $"the second attempt came {arrivals[1] - arrivals[0]} ms after the 429 with Retry-After: 2");
    }

    [Fact]
    public async Task A_receiver_that_redirects_never_gets_its_orders_counted_delivered_and_a_later_good_receiver_gets_each_once()
    {
        var secret = NewSecret();
        // where the redirects point: a receiver that must never be reached, and the node's own admin API
        await using var elsewhere = await ReceiverProcess.StartAsync(secret);
        await using var good = await ReceiverProcess.StartAsync(secret);
        await using var node = await StartNodeAsync();
        var pauseWms = $"http://127.0.0.1:{node.HttpPort}/api/admin/units/wms/delivery/pause";
        var locations = new Dictionary<int, string>
        {
            [301] = elsewhere.Webhook, [302] = elsewhere.Webhook, [303] = elsewhere.Webhook,
            [307] = pauseWms, [308] = elsewhere.Webhook.Replace("http://", "http://user:pa55word@"),
        };
        var sent = new List<string>();
        foreach (var (code, location) in locations)
        {
            await using var redirecting = await ReceiverProcess.StartAsync(secret, "--status", $"{code}", "--location", location);
            await SetWebhookAsync(node, "erp", redirecting.Webhook, secret, batch: 10);
            var id = $"redirect-{code}";
            Assert.Equal(202, (await node.Http.PostJsonAsync("/api/orders", Expected.Order(id, "PRESALE"))).Code);
            sent.Add(id);

            // the queue retries it, visibly: the error names the status and where it pointed, with no password
            var queue = await Poll.ForAsync(() => node.Http.GetJsonAsync("/api/admin/delivery"),
                r => r.Body!.AsArray().Any(q => (string)q!["unit"]! == "erp" && ((string?)q["lastError"])?.StartsWith($"{code} ") == true
                                                  && (int)q["attempts"]! >= 2),
                $"erp retrying after {code}");
            var error = (string)queue.Body!.AsArray().First(q => ((string?)q!["lastError"])?.StartsWith($"{code} ") == true)!["lastError"]!;
            output.WriteLine(error);
            Assert.Contains("redirect to " + location.Replace("user:pa55word@", "***@"), error);
            Assert.Contains("not followed", error);
            Assert.DoesNotContain("pa55word", queue.Body.ToJsonString());
            var view = (await node.Http.GetJsonAsync($"/api/orders/{id}")).Body!;
            Assert.Equal("processed", (string)view["status"]!);
            Assert.StartsWith($"{code} ", (string)view["units"]![0]!["waiting"]!); // the order view says why it waits
            Assert.True((int)(await redirecting.StatsAsync())["requests"]! >= 2);
            Assert.Equal(0, (int)(await redirecting.StatsAsync())["delivered"]!);

            // a good receiver then gets it, once
            await SetWebhookAsync(node, "erp", good.Webhook, secret, batch: 10);
            await good.AssertReceivedEachOnceInOrderAsync(ReceiverProcess.OrdersFor("erp", sent), $"{id} delivered to the good receiver");
            await Poll.ForAsync(() => node.Http.GetJsonAsync($"/api/orders/{id}"), r => (string)r.Body!["status"]! == "delivered", $"{id} delivered");
        }

        Assert.Equal(0, (int)(await elsewhere.StatsAsync())["httpRequests"]!); // nothing went where the redirects pointed
        Assert.Equal(0, (int)(await good.StatsAsync())["duplicates"]!);
        var wms = (await node.Http.GetJsonAsync("/api/admin/units/wms/delivery")).Body!;
        Assert.Null(wms["paused"]); // the 307 to the node's own pause route was not followed
    }

    [Fact]
    public async Task A_request_that_gets_no_answer_says_why_in_words_an_operator_can_act_on()
    {
        // a receiver that reads the request and closes the connection without a word
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        using var stop = new CancellationTokenSource();
        var closing = Task.Run(async () =>
        {
            try
            {
                while (true)
                {
                    using var socket = await listener.AcceptSocketAsync(stop.Token);
                    await socket.ReceiveAsync(new byte[8192], System.Net.Sockets.SocketFlags.None, stop.Token);
                }
            }
            catch (OperationCanceledException) { }
        });
        var secret = NewSecret();
        await using var node = await StartNodeAsync();
        var (free, _) = OrderActors.Harness.LoopbackPorts.TwoFree();
        var cases = new[]
        {
            ($"http://127.0.0.1:{((System.Net.IPEndPoint)listener.LocalEndpoint).Port}/hook", "the receiver closed the connection without answering"),
            ($"http://127.0.0.1:{free}/hook", "could not connect to the receiver"),
            ("http://no-such-host.invalid/hook", "the receiver's host name did not resolve"),
        };
        for (var i = 0; i < cases.Length; i++)
        {
            var (url, reason) = cases[i];
            await SetWebhookAsync(node, "erp", url, secret, batch: 10);
            if (i == 0) Assert.Equal(202, (await node.Http.PostJsonAsync("/api/orders", Expected.Order("no-answer-1", "PRESALE"))).Code);
            var queue = await Poll.ForAsync(() => node.Http.GetJsonAsync("/api/admin/delivery"),
                r => r.Body!.AsArray().Any(q => ((string?)q!["lastError"])?.StartsWith(reason) == true), $"lastError: {reason}");
            output.WriteLine(queue.Body!.AsArray().Select(q => (string?)q!["lastError"]).First(e => e?.StartsWith(reason) == true));
        }
        stop.Cancel();
        await closing;
    }

    [Fact]
    public async Task Settings_are_checked_and_shown_with_their_secrets_masked()
    {
        await using var node = await StartNodeAsync();
        var secret = NewSecret();
        var bad = await node.Http.PutAsync("/api/admin/units/erp/delivery",
            """{"mode":"webhook","url":"ftp://x","secrets":["nope"],"batch":0,"timeout":"soon"}""");
        Assert.Equal(400, bad.Code);
        foreach (var field in new[] { "url", "secrets[0]", "batch" }) Assert.NotNull(bad.Body!["errors"]![field]);
        Assert.Equal(400, (await node.Http.PutAsync("/api/admin/units/erp/delivery", """{"mode":"webhook","timeout":"soon"}""")).Code);
        foreach (var (badUrl, reason) in new[] { (" http://127.0.0.1:1/hook", "spaces"), ("http://127.0.0.1:1/hook\t", "spaces"),
                     ("http://erp:pa55word@127.0.0.1:1/hook", "credentials") })
        {
            var refusedUrl = await node.Http.PutAsync("/api/admin/units/erp/delivery",
                new JsonObject { ["mode"] = "webhook", ["url"] = badUrl, ["secrets"] = new JsonArray(secret) }.ToJsonString());
            Assert.Equal(400, refusedUrl.Code);
            Assert.Contains(reason, (string)refusedUrl.Body!["errors"]!["url"]![0]!);
            Assert.DoesNotContain("pa55word", refusedUrl.Body.ToJsonString());
        }
        Assert.Equal(404, (await node.Http.PutAsync("/api/admin/units/crm/delivery", """{"mode":"pull"}""")).Code);

        Assert.Equal("pull", (string)(await node.Http.GetJsonAsync("/api/admin/units/erp/delivery")).Body!["mode"]!);
        var set = await SetWebhookAsync(node, "erp", "http://127.0.0.1:1/hook", secret, batch: 5);
        var shown = (await node.Http.GetJsonAsync("/api/admin/units/erp/delivery")).Body!;
        Assert.Equal(set.Body!.ToJsonString(), shown.ToJsonString());
        Assert.Equal(("webhook", 5, "1s", "block"), ((string)shown["mode"]!, (int)shown["batch"]!, (string)shown["timeout"]!, (string)shown["onFailure"]!));
        Assert.DoesNotContain(secret, shown.ToJsonString());

        // the same through orderctl
        var url = $"http://127.0.0.1:{node.HttpPort}";
        var (code, stdout, _) = await Repo.OrderCtlAsync("--node", url, "delivery", "set", "wms", "--mode", "webhook",
            "--url", "http://127.0.0.1:1/wms", "--secret", secret, "--batch", "7");
        Assert.Equal(0, code);
        Assert.Contains("wms: webhook to http://127.0.0.1:1/wms, batch 7", stdout);
        var (refused, _, stderr) = await Repo.OrderCtlAsync("--node", url, "delivery", "set", "wms", "--mode", "webhook");
        Assert.Equal(1, refused);
        Assert.Contains("url:", stderr);
        Assert.Equal(2, (await Repo.OrderCtlAsync("--node", url, "delivery", "set", "wms", "--mode", "fax")).ExitCode);
        var (showCode, show, _) = await Repo.OrderCtlAsync("--node", url, "--json", "delivery", "show");
        Assert.Equal(0, showCode);
        var queues = System.Text.Json.Nodes.JsonNode.Parse(show)!.AsArray();
        Assert.Equal(2 * Expected.QueuesPerUnit, queues.Count);
        Assert.All(queues, q => Assert.Equal("webhook", (string)q!["mode"]!));
        Assert.DoesNotContain(secret[8..], node.LogTail);
    }

    /// <summary>A Standard Webhooks secret, made here as a user would make one (32 random bytes).</summary>
    internal static string NewSecret() => "whsec_" + Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

    internal static async Task<NodeProcess> StartNodeAsync(string? hocon = null) =>
        await NodeProcess.StartAsync(null, "--hocon", await HoconFileAsync(FastRetries + "\n" + hocon));

    private static async Task<string> HoconFileAsync(string hocon)
    {
        var file = Path.Combine(Path.GetTempPath(), $"orderactors-webhook-{Guid.NewGuid():N}.hocon");
        await File.WriteAllTextAsync(file, hocon);
        return file;
    }

    private static async Task<Reply> SetWebhookAsync(NodeProcess node, string unit, string url, string secret, int batch)
    {
        var reply = await node.Http.PutAsync($"/api/admin/units/{unit}/delivery",
            $$"""{"mode":"webhook","url":"{{url}}","secrets":["{{secret}}"],"batch":{{batch}},"timeout":"1s"}""");
        Assert.Equal(200, reply.Code);
        return reply;
    }
}
