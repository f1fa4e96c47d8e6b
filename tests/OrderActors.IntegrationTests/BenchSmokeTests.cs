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

    /// <summary>Runs the benchmark, which must succeed and end with a complete RESULT line: 300 orders, none lost or duplicated.</summary>
    private async Task<string> RunBenchAsync(params string[] args)
    {
        var (code, stdout, stderr) = await Repo.RunAsync(Repo.Built("OrderActors.Bench", "OrderActors.Bench.dll"), args);
        output.WriteLine(stdout);
        Assert.True(code == 0, $"the benchmark exited {code}:\n{stdout}\n{stderr}");

        var result = stdout.Split('\n').Single(l => l.StartsWith("RESULT "));
        var fields = result["RESULT ".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(f => f.Split('=')).ToDictionary(kv => kv[0], kv => kv[1]);
        Assert.Equal(["orders", "accepted", "rejected", "accepted_per_s", "e2e_per_s", "accept_p50_ms", "accept_p99_ms", "e2e_p50_ms", "e2e_p99_ms", "lost", "dup", "peak_rss_mb", "deliver"],
            fields.Keys);
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
