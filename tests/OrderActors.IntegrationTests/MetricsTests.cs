using System.Globalization;
using System.Net.Http.Headers;
using OrderActors.IntegrationTests.Support;
using Xunit.Abstractions;

namespace OrderActors.IntegrationTests;

/// <summary>/metrics on a real node: every answer counted by its outcome, the output valid for Prometheus.</summary>
public class MetricsTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Every_answer_of_intake_is_counted_by_its_outcome_and_the_output_passes_promtool()
    {
        await using var node = await NodeProcess.StartAsync(); // the default meters: ours, the runtime's, ASP.NET Core's
        var singles = Enumerable.Range(0, 30).Select(i => $"met-{i:D2}").ToList();
        foreach (var id in singles) Assert.Equal(202, (await node.Http.PostJsonAsync("/api/orders", Expected.Order(id, "B2C"))).Code);
        foreach (var id in singles.Take(5)) Assert.Equal(200, (await node.Http.PostJsonAsync("/api/orders", Expected.Order(id, "B2C"))).Code);
        Assert.Equal(409, (await node.Http.PostJsonAsync("/api/orders", Expected.Order(singles[0], "B2B"))).Code);
        for (var i = 0; i < 3; i++) Assert.Equal(400, (await node.Http.PostAsync("/api/orders", """{"orderId":"bad","lines":[]}""")).Code);
        for (var i = 0; i < 2; i++) Assert.Equal(422, (await node.Http.PostJsonAsync("/api/orders", Expected.Order($"nope-{i}", "NOPE"))).Code);
        var batch = await node.Http.PostAsync("/api/orders/batch",
            "[" + string.Join(",", Enumerable.Range(0, 10).Select(i => System.Text.Json.JsonSerializer.Serialize(Expected.Order($"metb-{i}", "PRESALE")))) + """,{"orderId":"b1"},{"orderId":"b2"}]""");
        Assert.Equal(200, batch.Code);

        var text = await Poll.ForAsync(() => node.Http.GetStringAsync("/metrics"),
            t => Value(t, "orderactors_orders_processed_total", ("unit", "erp")) == 40, "the 40 accepted orders processed in erp");
        Assert.Equal(40, Value(text, "orderactors_orders_received_total", ("outcome", "accepted")));
        Assert.Equal(5, Value(text, "orderactors_orders_received_total", ("outcome", "duplicate")));
        Assert.Equal(1, Value(text, "orderactors_orders_received_total", ("outcome", "rejected"), ("reason", "conflict")));
        Assert.Equal(5, Value(text, "orderactors_orders_received_total", ("outcome", "rejected"), ("reason", "invalid")));
        Assert.Equal(2, Value(text, "orderactors_orders_received_total", ("outcome", "rejected"), ("reason", "unknown_code")));
        Assert.Equal(30, Value(text, "orderactors_orders_accept_duration_seconds_count", ("api", "single")));
        Assert.Equal(1, Value(text, "orderactors_orders_accept_duration_seconds_count", ("api", "batch")));
        Assert.Equal(30, Value(text, "orderactors_orders_processed_total", ("unit", "wms"))); // PRESALE goes to erp only
        Assert.Equal(40, Value(text, "orderactors_orders_processing_duration_seconds_count", ("unit", "erp")));
        Assert.Equal(Expected.QueuesPerUnit * 2, Series(text, "orderactors_unit_queue_depth").Count);
        Assert.Equal(4, Series(text, "orderactors_ingest_queue_depth").Count);
        Assert.Equal(1, Value(text, "orderactors_cluster_members", ("status", "Up")));
        Assert.True(Value(text, "orderactors_catalog_version") >= 1);
        Assert.Equal(1, Value(text, "orderactors_routing_version"));
        Assert.True(Value(text, "orderactors_journal_write_duration_seconds_count", ("journal", "ingest")) >= 1);
        Assert.Contains("http_server_request_duration_seconds_bucket", text); // ASP.NET Core's own
        Assert.Contains("dotnet_gc_collections_total", text); // the runtime's own
        Assert.DoesNotContain("met-0", text); // never an order id in a label

        var (code, lint) = await PrometheusServer.PromtoolAsync(["check", "metrics"], text);
        output.WriteLine($"promtool check metrics: {code} {lint}");
        Assert.True(code == 0, lint);
    }

    /// <summary>The value of the one series of <paramref name="name"/> with these labels (0 when there is none).</summary>
    internal static double Value(string text, string name, params (string Label, string Value)[] labels)
    {
        var matching = Series(text, name).Where(s => labels.All(l => s.Labels.Contains($"{l.Label}=\"{l.Value}\""))).ToList();
        Assert.True(matching.Count <= 1, $"{name}: {matching.Count} series match");
        return matching.Count == 0 ? 0 : matching[0].Value;
    }

    internal static IReadOnlyList<(string Labels, double Value)> Series(string text, string name) =>
        text.Split('\n').Where(l => l.StartsWith(name + "{", StringComparison.Ordinal) || l.StartsWith(name + " ", StringComparison.Ordinal))
            .Select(l =>
            {
                var space = l.LastIndexOf(' ');
                return (l[..space], double.Parse(l[(space + 1)..], CultureInfo.InvariantCulture));
            }).ToList();
}

/// <summary>A real Prometheus scraping a three-node cluster (with a key: auth is on), and the alert rules README gives.</summary>
[Collection(PostgresCollection.Name)]
public class PrometheusTests(PostgresServer postgres, ITestOutputHelper output)
{
    private const string AdminToken = "metrics-admin-token-for-the-test";

    [Fact]
    public async Task A_real_Prometheus_scraping_three_nodes_sums_their_accepted_orders_to_what_was_sent()
    {
        var connectionString = await postgres.CreateDatabaseAsync();
        string[] Args(params string[] more) => ["--journal", "postgres", "--connection-string", connectionString, "--admin-token", AdminToken, .. more];
        await using var a = await NodeProcess.StartAsync(null, Args());
        var seed = $"akka.tcp://orderactors@127.0.0.1:{a.ClusterPort}";
        await using var b = await NodeProcess.StartAsync(null, Args("--seed-nodes", seed));
        await using var c = await NodeProcess.StartAsync(null, Args("--seed-nodes", seed));
        NodeProcess[] nodes = [a, b, c];
        var admin = With(a, AdminToken);
        await Poll.UntilAsync(async () => (await admin.GetJsonAsync("/api/admin/cluster/members")).Body!.AsArray()
            .Count(m => (string)m!["status"]! == "Up") == 3, "three members Up");
        var key = (string)(await admin.PostAsync("/api/admin/keys", """{"name":"prometheus","role":"operator"}""")).Body!["key"]!;

        await using var prometheus = await PrometheusServer.StartAsync(nodes.Select(n => $"127.0.0.1:{n.HttpPort}"), key,
            await File.ReadAllTextAsync(AlertRules));
        await Poll.UntilAsync(async () => (await prometheus.QueryAsync("up{job=\"orderactors\"} == 1")).Count == 3,
            "Prometheus scrapes all three nodes with the operator key", seconds: 60);

        // 300 orders, each to one node in turn, each accepted exactly once (a 202 counted once, by the node that answered).
        // A 503 is answered as the API says (send it again after Retry-After, to the same node): the retry is a 202, or
        // a 200 when the first attempt was stored after all (then no node counted it as accepted).
        var producers = nodes.Select(n => With(n, AdminToken)).ToArray();
        var acceptedBy = new int[3];
        var unavailable = new System.Collections.Concurrent.ConcurrentQueue<string>();
        await Parallel.ForEachAsync(Enumerable.Range(0, 300), new ParallelOptions { MaxDegreeOfParallelism = 12 }, async (i, _) =>
        {
            var (id, node) = ($"prom-{i:D3}", i % 3);
            for (var attempt = 0; ; attempt++)
            {
                var reply = await producers[node].PostJsonAsync("/api/orders", Expected.Order(id, Expected.Codes[i % Expected.Codes.Length]));
                if (reply.Code == 503 && attempt < 10 && reply.Response.Headers.RetryAfter?.Delta is { } wait)
                {
                    unavailable.Enqueue($"{id} to node {node}: {reply.Body?["detail"]}");
                    await Task.Delay(wait);
                    continue;
                }
                Assert.True(reply.Code == 202 || (reply.Code == 200 && attempt > 0),
                    $"{id} to node {node} (attempt {attempt + 1}): {reply.Code} {reply.Body?.ToJsonString()}\n{nodes[node].LogTail}");
                if (reply.Code == 202) Interlocked.Increment(ref acceptedBy[node]);
                break;
            }
        });
        foreach (var answer in unavailable) output.WriteLine($"503, sent again: {answer}");
        var sent = acceptedBy.Sum();
        var accepted = await Poll.ForAsync(async () => await prometheus.QueryAsync("sum(orderactors_orders_received_total{outcome=\"accepted\"})"),
            r => r.Count == 1 && r[0].Value == sent, $"Prometheus's sum of accepted orders over the nodes reaches {sent}", seconds: 60);
        output.WriteLine($"sum over the nodes of accepted orders: {accepted[0].Value} (202 answers: {sent}, 503s sent again: {unavailable.Count})");
        var perNode = await prometheus.QueryAsync("sum by (instance) (orderactors_orders_received_total{outcome=\"accepted\"})");
        Assert.Equal(3, perNode.Count);
        Assert.Equal(nodes.Select((n, k) => ($"127.0.0.1:{n.HttpPort}", (double)acceptedBy[k])).Order(),
            perNode.Select(n => ((string)n.Labels["instance"]!, n.Value)).Order());

        // each queue is reported by the one node that hosts it (once the shards have settled: a queue moved while the
        // cluster formed is in its old node's last scrape until that node's next one marks it stale)
        await Poll.ForAsync(() => prometheus.QueryAsync("orderactors_ingest_queue_depth"), s => s.Count == 4,
            "each of the 4 first queues reported by one node", seconds: 30);
        await Poll.ForAsync(() => prometheus.QueryAsync("orderactors_unit_queue_depth"), s => s.Count == Expected.QueuesPerUnit * 2,
            "each unit queue reported by one node", seconds: 30);

        foreach (var node in nodes)
        {
            var text = await With(node, key).GetStringAsync("/metrics");
            var (code, lint) = await PrometheusServer.PromtoolAsync(["check", "metrics"], text);
            Assert.True(code == 0, $"node {node.HttpPort}: {lint}");
        }

        // a paused webhook unit: the alert's expression holds (pending: its `for` has not passed yet)
        var secret = WebhookDeliveryTests.NewSecret();
        await using var receiver = await ReceiverProcess.StartAsync(secret);
        Assert.Equal(200, (await admin.PutAsync("/api/admin/units/erp/delivery",
            $$"""{"mode":"webhook","url":"{{receiver.Webhook}}","secrets":["{{secret}}"]}""")).Code);
        Assert.Equal(200, (await admin.PostAsync("/api/admin/units/erp/delivery/pause", """{"reason":"maintenance"}""")).Code);
        await Poll.UntilAsync(async () => (await prometheus.QueryAsync("ALERTS{alertname=\"OrderActorsUnitPaused\",unit=\"erp\"}")).Count == 1,
            "the paused-unit alert on erp", seconds: 60);
        Assert.Empty(await prometheus.QueryAsync("ALERTS{alertname=\"OrderActorsUnitPaused\",unit=\"wms\"}"));
    }

    [Fact]
    public async Task The_alert_rules_README_gives_pass_promtool_and_fire_on_their_conditions()
    {
        var rules = await File.ReadAllTextAsync(AlertRules);
        Assert.Contains(rules.Trim(), await File.ReadAllTextAsync(Path.Combine(Repo.Root, "README.md")));
        var (code, checkOutput) = await PrometheusServer.PromtoolAsync(["check", "rules", AlertRules]);
        Assert.True(code == 0, checkOutput);

        // promtool's own rule tests: each alert fires on its condition after its `for`, and not before
        var dir = Directory.CreateTempSubdirectory("orderactors-rules-").FullName;
        try
        {
            File.Copy(AlertRules, Path.Combine(dir, "alerts.yml"));
            await File.WriteAllTextAsync(Path.Combine(dir, "test.yml"), RuleTests);
            var (testCode, testOutput) = await PrometheusServer.PromtoolAsync(["test", "rules", Path.Combine(dir, "test.yml")]);
            output.WriteLine(testOutput);
            Assert.True(testCode == 0, testOutput);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static string AlertRules => Path.Combine(Repo.Root, "deploy", "prometheus", "orderactors-alerts.yml");

    private const string RuleTests = """
        rule_files: [alerts.yml]
        evaluation_interval: 1m
        tests:
          - interval: 1m
            input_series:
              - series: 'orderactors_delivery_queue_lag_seconds{unit="erp",queue="2",instance="a"}'
                values: '0 60 400 460 520 580 640 700 760 820'
              - series: 'orderactors_delivery_queue_lag_seconds{unit="wms",queue="1",instance="b"}'
                values: '0x9'
              - series: 'orderactors_ingest_queue_lag_seconds{queue="3",instance="a"}'
                values: '0 120 180 240 300 360 420 480 540 600'
              - series: 'orderactors_delivery_parked{unit="erp",queue="0",instance="a"}'
                values: '0 0 2 2 2 2 2 2 2 2'
              - series: 'orderactors_delivery_parked{unit="erp",queue="1",instance="b"}'
                values: '0 0 1 1 1 1 1 1 1 1'
              - series: 'orderactors_delivery_paused{unit="wms",queue="0",instance="c"}'
                values: '0 1 1 1 1 1 1 1 1 1'
            alert_rule_test:
              - eval_time: 5m
                alertname: OrderActorsDeliveryLagging
                exp_alerts: []
              - eval_time: 8m
                alertname: OrderActorsDeliveryLagging
                exp_alerts:
                  - exp_labels: {severity: warning, unit: erp, queue: "2"}
                    exp_annotations:
                      summary: "erp queue 2 lags: its oldest undelivered order was processed 12m 40s ago"
              - eval_time: 7m
                alertname: OrderActorsFirstQueueLagging
                exp_alerts:
                  - exp_labels: {severity: critical, queue: "3"}
                    exp_annotations:
                      summary: "first queue 3 has held an accepted order for 8m 0s"
              - eval_time: 2m
                alertname: OrderActorsOrdersParked
                exp_alerts: []
              - eval_time: 3m
                alertname: OrderActorsOrdersParked
                exp_alerts:
                  - exp_labels: {severity: warning, unit: erp}
                    exp_annotations:
                      summary: "3 orders of erp are parked"
              - eval_time: 6m
                alertname: OrderActorsUnitPaused
                exp_alerts:
                  - exp_labels: {severity: warning, unit: wms}
                    exp_annotations:
                      summary: "delivery to wms is paused"
        """;

    private static HttpClient With(NodeProcess node, string key)
    {
        var http = new HttpClient { BaseAddress = node.Http.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return http;
    }
}
