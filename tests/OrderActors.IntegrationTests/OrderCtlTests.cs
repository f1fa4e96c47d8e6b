using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using OrderActors.IntegrationTests.Support;
using Xunit.Abstractions;

namespace OrderActors.IntegrationTests;

/// <summary>orderctl against nodes that misbehave, and files too big to hold in memory.</summary>
public class OrderCtlTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Every_command_waits_at_most_its_timeout_for_a_node_that_never_answers_and_exits_3()
    {
        // a "node" that takes the connection and never says a word
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var held = new List<Socket>();
        using var stop = new CancellationTokenSource();
        var accepting = Task.Run(async () =>
        {
            try { while (true) held.Add(await listener.AcceptSocketAsync(stop.Token)); }
            catch (OperationCanceledException) { }
        });
        var node = $"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}";
        var file = Path.Combine(Path.GetTempPath(), $"orderactors-silent-{Guid.NewGuid():N}.ndjson");
        await File.WriteAllTextAsync(file, """{"orderId":"silent-1","businessCode":"B2C","lines":[{"sku":"11","quantity":1}]}""" + "\n");
        try
        {
            foreach (var args in new[] { new[] { "queues" }, ["orders", "show", "10248"], ["orders", "replay", file], ["delivery", "show"] })
            {
                var clock = Stopwatch.StartNew();
                var (code, _, stderr) = await Repo.OrderCtlAsync([.. args, "--node", node, "--timeout", "1s"]);
                output.WriteLine($"{string.Join(' ', args)}: exit {code} in {clock.Elapsed.TotalSeconds:N1} s: {stderr.Trim()}");
                Assert.Equal(3, code);
                Assert.Contains("did not answer within 1s", stderr);
                Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"{string.Join(' ', args)} took {clock.Elapsed.TotalSeconds:N1} s");
            }
            var (usage, _, bad) = await Repo.OrderCtlAsync("queues", "--node", node, "--timeout", "soon");
            Assert.Equal(2, usage);
            Assert.Contains("--timeout", bad);
        }
        finally
        {
            stop.Cancel();
            await accepting;
            foreach (var socket in held) socket.Dispose();
            File.Delete(file);
        }
    }

    [Fact]
    public async Task A_replay_reads_the_file_as_it_sends_it_so_its_memory_stays_bounded_whatever_the_files_size()
    {
        await using var node = await NodeProcess.StartAsync();
        // 40 MB: orders of a code no unit knows (each refused alone, 422, cheaply), and every 1,000th a real one
        var file = Path.Combine(Path.GetTempPath(), $"orderactors-big-{Guid.NewGuid():N}.ndjson");
        var lines = 0;
        await using (var writer = new StreamWriter(file, false, new UTF8Encoding(false)))
        {
            var padding = new string('x', 40);
            while (writer.BaseStream.Length < 40_000_000)
            {
                var code = lines % 1000 == 0 ? "PRESALE" : "NOPE";
                await writer.WriteLineAsync($$"""{"orderId":"big-{{lines:D7}}","businessCode":"{{code}}","customerId":"{{padding}}","lines":[{"sku":"11","quantity":1,"unitPrice":1.5},{"sku":"42","quantity":2}]}""");
                lines++;
            }
        }
        try
        {
            var info = new ProcessStartInfo(Repo.DotnetHost) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var arg in new[] { Repo.Built("OrderActors.Cli", "orderctl.dll"), "orders", "replay", file, "--node", node.Url.ToString(), "--concurrency", "4" })
                info.ArgumentList.Add(arg);
            using var process = Process.Start(info)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            // the peak so far (VmHWM), sampled until the replay exits, within a deadline
            var peak = 0.0;
            var deadline = DateTime.UtcNow.AddMinutes(3);
            using var sample = new PeriodicTimer(TimeSpan.FromMilliseconds(50));
            while (!process.HasExited && await sample.WaitForNextTickAsync())
            {
                var (_, hwm) = OrderActors.Harness.ProcessMemory.Read(process.Id);
                if (!double.IsNaN(hwm)) peak = Math.Max(peak, hwm);
                if (DateTime.UtcNow > deadline)
                {
                    process.Kill(entireProcessTree: true);
                    throw new TimeoutException("the replay of the 40 MB file did not finish within 3 minutes");
                }
            }
            output.WriteLine($"{lines:N0} orders, {new FileInfo(file).Length / 1e6:N0} MB: orderctl peaked at {peak:N0} MB\n{await stdout}");
            Assert.Equal(1, process.ExitCode); // the refused ones
            var summary = await stdout;
            Assert.Contains($"replayed {lines:N0} orders", summary);
            Assert.Contains($"accepted   {(lines + 999) / 1000,8:N0}", summary);
            Assert.Contains($"rejected   {lines - (lines + 999) / 1000,8:N0}", summary);
            Assert.Contains("more rejected, not listed", summary);
            Assert.True(peak < 160, $"orderctl peaked at {peak:N0} MB for a {new FileInfo(file).Length / 1e6:N0} MB file");
            _ = await stderr;
        }
        finally
        {
            File.Delete(file);
        }
    }
}
