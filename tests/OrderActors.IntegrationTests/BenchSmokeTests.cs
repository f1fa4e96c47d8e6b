using System.Globalization;
using OrderActors.IntegrationTests.Support;
using Xunit.Abstractions;

namespace OrderActors.IntegrationTests;

/// <summary>The benchmark program runs end to end on a few hundred orders and prints its RESULT line.</summary>
public class BenchSmokeTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("0")]
    [InlineData("50")]
    public async Task The_benchmark_runs_and_reports_no_loss_and_no_duplicates(string batch)
    {
        var stdout = await RunBenchAsync("--node-dll", Repo.Built("OrderActors.Node", "OrderActors.Node.dll"),
            "--orders", "300", "--batch", batch, "--concurrency", "8", "--drain-timeout", "60");
        Assert.Contains("end-to-end throughput", stdout);
    }

    [Fact]
    public async Task The_benchmark_delivers_by_webhook_to_its_own_receivers_every_order_once_every_signature_valid()
    {
        // after a warm-up whose orders are delivered too but not counted: the RESULT line counts the 300 alone
        var stdout = await RunBenchAsync("--node-dll", Repo.Built("OrderActors.Node", "OrderActors.Node.dll"),
            "--orders", "300", "--warmup", "100", "--concurrency", "8", "--drain-timeout", "60", "--deliver", "webhook");
        Assert.Matches(@"warm-up\s+100 orders in", stdout);
        Assert.Contains("deliver=webhook", stdout);
        Assert.Matches(@"bad signatures\s+0\s", stdout);
        Assert.Matches(@"processed p50 / p99\s+[0-9.]+ / [0-9.]+ ms", stdout);
    }

    [Fact]
    public async Task The_delivery_comparison_runs_pull_and_webhook_at_saturation_and_paced_at_half_the_pull_rate_on_fresh_nodes()
    {
        var (code, stdout, stderr) = await Repo.RunAsync(Repo.Built("OrderActors.Bench", "OrderActors.Bench.dll"),
            "--node-dll", Repo.Built("OrderActors.Node", "OrderActors.Node.dll"), "--deliver", "compare", "--rounds", "1",
            "--orders", "300", "--concurrency", "8", "--drain-timeout", "60");
        output.WriteLine(stdout);
        Assert.True(code == 0, $"the comparison exited {code}:\n{stdout}\n{stderr}");
        var results = stdout.Split('\n').Where(l => l.StartsWith("RESULT ")).ToList();
        // four runs, each in its own bench process on a fresh node, then the summary
        Assert.Equal(5, results.Count);
        Assert.Equal(["pull", "webhook", "webhook", "pull"], results.Take(4).Select(r => Fields(r)["deliver"]));
        Assert.All(results.Take(4), r => Assert.Equal(("300", "0", "0"), (Fields(r)["accepted"], Fields(r)["lost"], Fields(r)["dup"])));
        var pullRate = double.Parse(Fields(results[0])["e2e_per_s"], CultureInfo.InvariantCulture);
        var summary = Fields(results[4]);
        Assert.Equal(("compare", "1", "0"), (summary["deliver"], summary["rounds"], summary["lost_or_dup"]));
        Assert.Equal(Math.Round(pullRate / 2), double.Parse(summary["paced_per_s"], CultureInfo.InvariantCulture));
        Assert.Contains("| 1 | ", stdout);
        Assert.Contains("medians: webhook / pull at saturation", stdout);
    }

    /// <summary><c>--cluster 2 --journal postgres</c>: a throwaway PostgreSQL server and two nodes, both driven, the journal's work per order reported.</summary>
    [Fact]
    public async Task The_benchmark_drives_a_cluster_on_postgresql_and_reports_each_nodes_cpu_and_the_journals_commits_per_order()
    {
        var stdout = await RunBenchAsync("--node-dll", Repo.Built("OrderActors.Node", "OrderActors.Node.dll"), "--journal", "postgres", "--cluster", "2",
            "--orders", "300", "--concurrency", "8", "--drain-timeout", "60");
        Assert.Contains("cluster of 2 nodes, each sent an equal share: fresh, on a throwaway PostgreSQL server", stdout);
        Assert.Matches(@"node CPU per order\s+[0-9,]+ µs \([0-9.]+ s of CPU over the run, all cores; per node [0-9,]+ / [0-9,]+ µs\)", stdout);
        Assert.Matches(@"journal per order\s+[0-9.]+ commits, [0-9.]+ rows \(.*journal", stdout);
        Assert.Matches(@"PostgreSQL CPU per order\s+[0-9,]+ µs", stdout);
        var result = Fields(stdout.Split('\n').Single(l => l.StartsWith("RESULT ")));
        Assert.True(double.Parse(result["commits_per_order"], CultureInfo.InvariantCulture) > 0);
        Assert.True(double.Parse(result["rows_per_order"], CultureInfo.InvariantCulture) >= 1); // each order is stored at least once
    }

    [Theory]
    [InlineData("0")]
    [InlineData("50")]
    public async Task The_RabbitMQ_baseline_runs_the_same_job_on_a_real_broker(string batch)
    {
        var broker = new RabbitMqServer();
        try
        {
            await broker.InitializeAsync();
            var stdout = await RunBenchAsync("--baseline", "rabbitmq", "--amqp", broker.Amqp.ToString(),
                "--orders", "300", "--batch", batch, "--concurrency", "8", "--drain-timeout", "60");
            Assert.Contains("RabbitMQ baseline benchmark", stdout);
        }
        finally
        {
            await broker.DisposeAsync();
        }
    }

    private static Dictionary<string, string> Fields(string result) =>
        result["RESULT ".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(f => f.Split('=')).ToDictionary(kv => kv[0], kv => kv[1]);

    /// <summary>Runs the benchmark, which must succeed and end with a complete RESULT line: 300 orders, none lost or duplicated.</summary>
    private async Task<string> RunBenchAsync(params string[] args)
    {
        var (code, stdout, stderr) = await Repo.RunAsync(Repo.Built("OrderActors.Bench", "OrderActors.Bench.dll"), args);
        output.WriteLine(stdout);
        Assert.True(code == 0, $"the benchmark exited {code}:\n{stdout}\n{stderr}");

        var result = stdout.Split('\n').Single(l => l.StartsWith("RESULT "));
        var fields = Fields(result);
        string[] keys = ["orders", "accepted", "rejected", "accepted_per_s", "e2e_per_s", "accept_p50_ms", "accept_p99_ms", "e2e_p50_ms", "e2e_p99_ms", "lost", "dup",
            // the nodes' CPU when the bench started them; the journal's commits and rows when it is PostgreSQL
            .. args.Contains("--baseline") ? Array.Empty<string>() : ["cpu_us_per_order"],
            .. args.Contains("postgres") ? ["commits_per_order", "rows_per_order", "pg_cpu_us_per_order"] : Array.Empty<string>(),
            "peak_rss_mb", "deliver"];
        // a webhook run also gives the delivery hop (a unit's processedAt -> its receiver has the order)
        Assert.Equal(fields["deliver"] == "webhook" ? [.. keys, "hop_p50_ms", "hop_p99_ms"] : keys, fields.Keys);
        Assert.Equal("300", fields["orders"]);
        // every order sent was accepted (429s are sent again until they are), so "lost = 0" covers all 300
        Assert.Equal(("300", "0"), (fields["accepted"], fields["rejected"]));
        Assert.Equal("0", fields["lost"]);
        Assert.Equal("0", fields["dup"]);
        Assert.True(double.Parse(fields["e2e_per_s"], CultureInfo.InvariantCulture) > 0);
        Assert.True(double.Parse(fields["peak_rss_mb"], CultureInfo.InvariantCulture) > 0);
        return stdout;
    }
}
