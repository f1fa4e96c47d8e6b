using System.Diagnostics;
using System.Globalization;
using OrderActors.Harness;

namespace OrderActors.Bench;

/// <summary>
/// <c>--deliver compare</c>: the delivery issue's measurement in one command. Each round runs, every run on a fresh node
/// and in a bench process of its own: pull at saturation, webhook at saturation, then webhook and pull paced at half the
/// round's pull rate. Machines of one class differ twofold, so the targets are relative to the pull path measured in
/// the same session: webhook-delivered orders/s ≥ 80% of pull's at saturation, and delivered end-to-end p99 ≤ 100 ms
/// at half pull's rate. Prints every run's RESULT, a table of the rounds, and the medians as one RESULT line.
/// </summary>
public static class DeliveryComparison
{
    private static readonly string[] Dropped = ["--deliver", "--rounds", "--rate", "--latency-csv", "--node-dll"];

    public static async Task<int> RunAsync(BenchOptions options, string[] args)
    {
        var nodeDll = options.NodeDll ?? await FreshNodes.PublishAsync(
            Path.Combine(Path.GetTempPath(), "orderactors-bench-node-" + Guid.NewGuid().ToString("N")[..8]), Console.Error);
        var passOn = PassOn(args);
        var rounds = new List<Round>();
        for (var r = 1; r <= options.Rounds; r++)
        {
            Console.Error.WriteLine($"round {r} of {options.Rounds}");
            var pull = await RunOnceAsync(passOn, nodeDll, "pull", null);
            var webhook = await RunOnceAsync(passOn, nodeDll, "webhook", null);
            var half = Math.Round(pull.Get("e2e_per_s") / 2);
            var pacedWebhook = await RunOnceAsync(passOn, nodeDll, "webhook", half);
            var pacedPull = await RunOnceAsync(passOn, nodeDll, "pull", half);
            rounds.Add(new Round(pull, webhook, half, pacedWebhook, pacedPull));
        }

        Console.WriteLine();
        Console.WriteLine($"Delivery, pull against webhook: {options.Rounds} rounds, each run on a fresh node ({options.Orders:N0} orders, " +
                          $"{options.Warmup:N0} warm-up, {options.Concurrency} in flight, {options.WebhookBatch} orders per webhook request)");
        Console.WriteLine();
        Console.WriteLine("| round | pull at saturation (e2e p99) | webhook at saturation (e2e p99) | webhook / pull | paced at | webhook paced: e2e p50 / p99 (hop p99) | pull paced: e2e p50 / p99 |");
        Console.WriteLine("|---|---|---|---|---|---|---|");
        foreach (var (round, i) in rounds.Select((x, i) => (x, i + 1)))
            Console.WriteLine(($"| {i} | {round.Pull.Get("e2e_per_s"):N0}/s ({round.Pull.Get("e2e_p99_ms"):N0} ms) | " +
                                        $"{round.Webhook.Get("e2e_per_s"):N0}/s ({round.Webhook.Get("e2e_p99_ms"):N0} ms) | {round.Ratio:P0} | {round.PacedAt:N0}/s | " +
                                        $"{round.PacedWebhook.Get("e2e_p50_ms"):N0} / {round.PacedWebhook.Get("e2e_p99_ms"):N0} ms ({round.PacedWebhook.Get("hop_p99_ms"):N0} ms) | " +
                                        $"{round.PacedPull.Get("e2e_p50_ms"):N0} / {round.PacedPull.Get("e2e_p99_ms"):N0} ms |"));
        var ratio = Median(rounds.Select(x => x.Ratio));
        var pacedP99 = Median(rounds.Select(x => x.PacedWebhook.Get("e2e_p99_ms")));
        var lost = rounds.Sum(x => x.Runs.Sum(run => run.Get("lost") + run.Get("dup")));
        Console.WriteLine();
        Console.WriteLine(($"  medians: webhook / pull at saturation {ratio:P0} (goal >= 80%: {(ratio >= 0.8 ? "met" : "not met")}); " +
                                    $"webhook paced at half the pull rate, e2e p99 {pacedP99:N0} ms (goal <= 100 ms: {(pacedP99 <= 100 ? "met" : "not met")}); " +
                                    $"lost + duplicated over all runs: {lost:N0}"));
        Console.WriteLine();
        Console.WriteLine(($"RESULT deliver=compare rounds={rounds.Count} pull_per_s={Median(rounds.Select(x => x.Pull.Get("e2e_per_s"))):F0} " +
                                    $"webhook_per_s={Median(rounds.Select(x => x.Webhook.Get("e2e_per_s"))):F0} ratio={ratio:F2} " +
                                    $"paced_per_s={Median(rounds.Select(x => x.PacedAt)):F0} webhook_paced_p99_ms={pacedP99:F1} " +
                                    $"webhook_paced_hop_p99_ms={Median(rounds.Select(x => x.PacedWebhook.Get("hop_p99_ms"))):F1} " +
                                    $"pull_paced_p99_ms={Median(rounds.Select(x => x.PacedPull.Get("e2e_p99_ms"))):F1} lost_or_dup={lost:F0}"));
        return lost == 0 ? 0 : 1;
    }

    /// <summary>The command line without what compare sets per run.</summary>
    private static List<string> PassOn(string[] args)
    {
        var kept = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            if (Dropped.Contains(args[i])) i++;
            else kept.Add(args[i]);
        }
        return kept;
    }

    private static async Task<Run> RunOnceAsync(List<string> passOn, string nodeDll, string deliver, double? rate)
    {
        var info = new ProcessStartInfo(Repo.DotnetHost) { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var arg in (string[])[typeof(DeliveryComparison).Assembly.Location, .. passOn, "--node-dll", nodeDll, "--deliver", deliver])
            info.ArgumentList.Add(arg);
        if (rate is { } r)
        {
            info.ArgumentList.Add("--rate");
            info.ArgumentList.Add(r.ToString(CultureInfo.InvariantCulture));
        }
        Console.Error.WriteLine($"  {deliver}, {(rate is { } pace ? $"paced at {pace:N0}/s" : "at saturation")} ...");
        using var process = Process.Start(info)!;
        var output = await process.StandardOutput.ReadToEndAsync(); // its progress goes to our stderr as it happens
        await process.WaitForExitAsync();
        var result = output.Split('\n').LastOrDefault(l => l.StartsWith("RESULT ", StringComparison.Ordinal))
                     ?? throw new InvalidOperationException($"the {deliver} run printed no RESULT (exit {process.ExitCode}):\n{output}");
        Console.WriteLine(result.Trim());
        return new Run(result.Split(' ').Skip(1).Select(kv => kv.Split('=', 2)).Where(kv => kv.Length == 2)
            .ToDictionary(kv => kv[0], kv => kv[1].Trim(), StringComparer.Ordinal));
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? double.NaN
            : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private sealed record Run(IReadOnlyDictionary<string, string> Values)
    {
        public double Get(string key) =>
            Values.TryGetValue(key, out var v) && double.TryParse(v, CultureInfo.InvariantCulture, out var d) ? d : double.NaN;
    }

    private sealed record Round(Run Pull, Run Webhook, double PacedAt, Run PacedWebhook, Run PacedPull)
    {
        public double Ratio => Webhook.Get("e2e_per_s") / Pull.Get("e2e_per_s");
        public IEnumerable<Run> Runs => [Pull, Webhook, PacedWebhook, PacedPull];
    }
}
