using System.Globalization;
using System.Text.Json.Nodes;

namespace OrderActors.Cli;

/// <summary><c>orders stuck</c> and <c>top</c>: what waits, and the operator page's main panels in a terminal.</summary>
public static class WatchCommands
{
    public static async Task<int> StuckAsync(HttpClient http, Output output, string olderThan, string? unit, int limit)
    {
        var query = $"/api/orders/stuck?olderThan={Uri.EscapeDataString(olderThan)}&limit={limit}" + (unit is null ? "" : $"&unit={Uri.EscapeDataString(unit)}");
        using var response = await http.GetAsync(query);
        var (body, done) = await AnswerAsync(response, output);
        if (done is { } code) return code;
        var orders = body!.AsArray();
        if (orders.Count == 0)
        {
            output.Line($"no order has waited longer than {olderThan}{(unit is null ? "" : $" at {unit}")}");
            return Cli.Ok;
        }
        var now = DateTimeOffset.UtcNow;
        Output.Table(["ORDER", "UNIT", "QUEUE", "SEQ", "WAITING", "WHY"], orders.Select(o => (IReadOnlyList<string>)
        [
            $"{o!["orderId"]}", $"{o["unit"]}", $"{o["queue"]}", $"{o["seq"]}", Age(now - o["waitingSince"]!.GetValue<DateTimeOffset>()), $"{o["reason"]}",
        ]));
        if (orders.Count == limit) output.Line($"(the oldest {limit}; --limit for more)");
        return Cli.Ok;
    }

    public static async Task<int> TraceAsync(HttpClient http, Output output, string id)
    {
        using var response = await http.GetAsync($"/api/orders/{Uri.EscapeDataString(id)}/trace");
        var (body, done) = await AnswerAsync(response, output);
        if (done is { } code) return code;
        output.Line($"order {body!["orderId"]}  {body["businessCode"]}  {body["status"]}  first queue {body["firstQueue"]} offset {body["offset"]}  " +
                    $"routing table v{body["routingVersion"]}");
        output.Line("");
        Output.Table(["AT", "STEP", "WHERE", "DETAIL"], body["hops"]!.AsArray().Select(h => (IReadOnlyList<string>)
            [h!["at"] is { } at ? at.GetValue<DateTimeOffset>().ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture) : "", $"{h["step"]}", $"{h["place"]}", $"{h["detail"]}"]));
        return Cli.Ok;
    }

    /// <summary>The page's main panels, redrawn every <paramref name="interval"/> until Ctrl+C (once with --json).</summary>
    public static async Task<int> TopAsync(HttpClient http, Output output, TimeSpan interval, bool once, CancellationToken ct)
    {
        (DateTimeOffset At, long Accepted, long Delivered)? last = null;
        while (!ct.IsCancellationRequested)
        {
            using var response = await http.GetAsync("/api/admin/overview", ct);
            var o = await Commands.ReadJsonAsync(response);
            if (!response.IsSuccessStatusCode)
            {
                output.Error($"orderctl: {(int)response.StatusCode} {o?["detail"]}");
                return Cli.Refused;
            }
            if (output.Json)
            {
                output.Document(o);
                return Cli.Ok;
            }
            var at = o!["at"]!.GetValue<DateTimeOffset>();
            var totals = o["totals"]!;
            var (accepted, delivered) = (totals["accepted"]!.GetValue<long>(), totals["delivered"]!.GetValue<long>());
            string Rate(long now, long before) => last is { } l && at > l.At ? $"{(now - before) / (at - l.At).TotalSeconds:N0}/s" : "–";
            if (!once && !Console.IsOutputRedirected) Console.Clear();
            output.Line($"{o["node"]}  {at.ToLocalTime():HH:mm:ss}   accepted {accepted:N0} ({Rate(accepted, last?.Accepted ?? 0)})   " +
                        $"delivered {delivered:N0} ({Rate(delivered, last?.Delivered ?? 0)})   parked {totals["parked"]}");
            if (o["latency"] is JsonObject latency)
                output.Line($"accept p50/p99 {Quantiles(latency["accept"])}   end to end p50/p99 {Quantiles(latency["endToEnd"] ?? latency["processing"])}");
            output.Line("");
            var units = o["units"]!.AsArray();
            var queues = units.Max(u => u!["queues"]!.AsArray().Count);
            Output.Table(["UNIT", "MODE", .. Enumerable.Range(0, queues).Select(k => $"Q{k} LAG"), "WAITING", "LAST ERROR"], units.Select(u => (IReadOnlyList<string>)
            [
                $"{u!["unit"]}{(u["paused"] is { } p ? $" (paused: {p})" : "")}", $"{u["mode"]}",
                .. u["queues"]!.AsArray().Select(c => c!["lag"]!.GetValue<long>() == 0 ? "0" : $"{c["lag"]} ({Age(TimeSpan.FromSeconds(c["lagSeconds"]?.GetValue<double>() ?? 0))})"),
                $"{u["waiting"]}", $"{u["lastError"]}",
            ]));
            var parked = o["parked"]!.AsArray();
            if (parked.Count > 0)
            {
                output.Line("");
                Output.Table(["PARKED", "UNIT", "REASON", "LAST"], parked.Select(g => (IReadOnlyList<string>)
                    [$"{g!["count"]}", $"{g["unit"]}", $"{g["error"]}", $"{g["lastParkedAt"]}"]));
            }
            output.Line("");
            Output.Table(["MEMBER", "STATUS", "SHARDS"], o["members"]!.AsArray().Select(m => (IReadOnlyList<string>)
            [
                $"{m!["address"]}{(m["leader"]!.GetValue<bool>() ? " (leader)" : "")}", $"{m["status"]}",
                string.Join(" · ", m["shards"]!.AsObject().Select(s => $"{s.Key} {s.Value}")),
            ]));
            if (once) return Cli.Ok;
            last = (at, accepted, delivered);
            try { await Task.Delay(interval, ct); }
            catch (TaskCanceledException) { break; }
        }
        return Cli.Ok;
    }

    private static string Quantiles(JsonNode? q) => q is null ? "–" : $"{Seconds(q["p50"]!.GetValue<double>())} / {Seconds(q["p99"]!.GetValue<double>())}";

    private static string Seconds(double s) => s < 1 ? $"{s * 1000:0.#} ms" : $"{s:0.##} s";

    private static string Age(TimeSpan t) => t.TotalSeconds < 120 ? $"{t.TotalSeconds:0} s" : t.TotalMinutes < 120 ? $"{t.TotalMinutes:0} min" : $"{t.TotalHours:0.#} h";

    /// <summary>
    /// The node's answer, and the exit code when the command is done with it: with --json the document is printed as it
    /// came (0, or 1 for a refusal); a refusal is printed for people (1); else null, the table follows.
    /// </summary>
    private static async Task<(JsonNode? Body, int? Done)> AnswerAsync(HttpResponseMessage response, Output output)
    {
        var body = await Commands.ReadJsonAsync(response);
        if (output.Json)
        {
            output.Document(body);
            return (body, response.IsSuccessStatusCode ? Cli.Ok : Cli.Refused);
        }
        if (response.IsSuccessStatusCode) return (body, null);
        output.Error($"orderctl: {(int)response.StatusCode} {body?["detail"]}");
        return (body, Cli.Refused);
    }
}
