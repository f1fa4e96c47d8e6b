using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace OrderActors.Cli;

public static class Commands
{
    // --- catalog import ---------------------------------------------------------------------------

    public static async Task<int> CatalogImportAsync(HttpClient http, Output output, string file)
    {
        var text = await ReadFileAsync(file);
        var mediaType = Path.GetExtension(file).ToLowerInvariant() switch
        {
            ".json" => "application/json",
            ".csv" => "text/csv",
            var other => throw new UsageException($"{file}: use a .json or .csv file (got '{other}')"),
        };
        using var content = new StringContent(text, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        using var response = await http.PostAsync("/api/catalog/import", content);
        var body = await ReadJsonAsync(response);

        if (output.Json)
        {
            output.Document(body);
            return response.IsSuccessStatusCode ? 0 : 1;
        }
        if (response.IsSuccessStatusCode)
        {
            output.Line($"imported {body?["products"]} products and {body?["manufacturers"]} manufacturers from {file} (catalog version {body?["version"]})");
            return 0;
        }
        output.Error($"import refused ({(int)response.StatusCode}): {body?["detail"]}");
        if (body?["errors"] is JsonObject errors)
            foreach (var (where, messages) in errors)
                foreach (var message in messages!.AsArray())
                    output.Error($"  {where}: {message}");
        return 1;
    }

    // --- orders replay ----------------------------------------------------------------------------

    private sealed record Rejection(int Line, string? OrderId, int Status, string Reason);

    /// <summary>Rejections listed one by one up to here; past it they are only counted (a file of bad lines stays bounded).</summary>
    private const int RejectionsListed = 10_000;

    /// <summary>
    /// Sends every order of an NDJSON file in batches, reading it as it goes: at most <paramref name="concurrency"/>
    /// batches are in memory (being sent) at once, whatever the file's size. Progress is by the bytes read.
    /// </summary>
    public static async Task<int> ReplayAsync(HttpClient http, Output output, string file, int batchSize, int concurrency)
    {
        if (!File.Exists(file)) throw new UsageException($"no such file: {file}");
        await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        using var reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);

        var rejections = new List<Rejection>();
        long total = 0, accepted = 0, duplicates = 0, rejected = 0;
        var progress = Progress.OfFile(stream.Length, file);
        var gate = new object();
        var clock = Stopwatch.StartNew();
        using var slots = new SemaphoreSlim(concurrency);
        var sending = new List<Task>();

        void Reject(Rejection r)
        {
            rejected++;
            if (rejections.Count < RejectionsListed) rejections.Add(r);
        }

        async Task SendAsync(List<(int Line, string Json)> chunk)
        {
            try
            {
                var results = await PostBatchAsync(http, chunk.Select(c => c.Json).ToList());
                lock (gate)
                {
                    foreach (var (index, result) in results)
                    {
                        var status = (int)result["status"]!;
                        if (status == 202) accepted++;
                        else if (status == 200) duplicates++;
                        else Reject(new Rejection(chunk[index].Line, (string?)result["orderId"], status,
                            (string?)result["error"]?["detail"] ?? $"status {status}"));
                    }
                }
            }
            finally
            {
                slots.Release();
            }
        }

        await progress.RunAsync(async p =>
        {
            var chunk = new List<(int Line, string Json)>(batchSize);
            var lineNo = 0;
            async Task FlushAsync()
            {
                if (chunk.Count == 0) return;
                await slots.WaitAsync(); // at most `concurrency` batches in flight: the reader waits for one to finish
                sending.RemoveAll(t => t.IsCompletedSuccessfully);
                if (sending.FirstOrDefault(t => t.IsFaulted) is { } failed) await failed; // a batch that failed stops the replay
                sending.Add(SendAsync(chunk));
                chunk = new List<(int Line, string Json)>(batchSize);
                lock (gate)
                    p.Report(stream.Position, $"sent {total:N0} orders  accepted {accepted:N0}  duplicates {duplicates:N0}  rejected {rejected:N0}");
            }

            while (await reader.ReadLineAsync() is { } line)
            {
                lineNo++;
                if (string.IsNullOrWhiteSpace(line)) continue;
                total++;
                if (JsonProblem(line) is { } problem)
                {
                    lock (gate) Reject(new Rejection(lineNo, null, 400, $"not valid JSON: {problem}"));
                    continue;
                }
                chunk.Add((lineNo, line));
                if (chunk.Count == batchSize) await FlushAsync();
            }
            await FlushAsync();
            await Task.WhenAll(sending);
            p.Report(stream.Length, $"sent {total:N0} orders  accepted {accepted:N0}  duplicates {duplicates:N0}  rejected {rejected:N0}");
        });

        var seconds = clock.Elapsed.TotalSeconds;
        rejections.Sort((a, b) => a.Line.CompareTo(b.Line));
        var unlisted = rejected - rejections.Count;
        if (output.Json)
        {
            output.Document(new { file, orders = total, accepted, duplicates, rejected, seconds = Math.Round(seconds, 3), rejections, rejectionsNotListed = unlisted });
        }
        else
        {
            output.Line($"replayed {total:N0} orders from {file} in {seconds:N1} s ({total / Math.Max(seconds, 0.001):N0} orders/s)");
            output.Line($"  accepted   {accepted,8:N0}");
            output.Line($"  duplicates {duplicates,8:N0}   (already accepted: the same order again)");
            output.Line($"  rejected   {rejected,8:N0}");
            foreach (var group in rejections.GroupBy(r => (r.Status, r.Reason)).OrderByDescending(g => g.Count()).Take(20))
                output.Line($"    {group.Count(),6:N0} × {group.Key.Status} {group.Key.Reason}  (line {string.Join(", ", group.Take(5).Select(r => r.Line))}{(group.Count() > 5 ? ", ..." : "")})");
            if (unlisted > 0) output.Line($"    {unlisted:N0} more rejected, not listed (only the first {RejectionsListed:N0} are)");
        }
        return rejected == 0 ? 0 : 1;
    }

    /// <summary>Why <paramref name="line"/> is not one JSON value, or null when it is.</summary>
    private static string? JsonProblem(string line)
    {
        try
        {
            using var _ = JsonDocument.Parse(line);
            return null;
        }
        catch (JsonException e)
        {
            return e.Message;
        }
    }

    private const int BusyAttempts = 30;

    /// <summary>
    /// Posts one batch (each order as its file's line) and returns each order's result by its index in
    /// <paramref name="orders"/>. While the node says it is busy, for the whole batch or for some of its orders (429 or
    /// 503, with Retry-After: not stored, to be sent again), it waits as told and sends those again, up to
    /// <see cref="BusyAttempts"/> times.
    /// </summary>
    private static async Task<IReadOnlyList<(int Index, JsonNode Result)>> PostBatchAsync(HttpClient http, IReadOnlyList<string> orders)
    {
        var final = new List<(int Index, JsonNode Result)>();
        var pending = Enumerable.Range(0, orders.Count).ToList();
        for (var attempt = 1; ; attempt++)
        {
            var payload = "[" + string.Join(",", pending.Select(i => orders[i])) + "]";
            using var content = new StringContent(payload, Encoding.UTF8, "application/json");
            using var response = await http.PostAsync("/api/orders/batch", content);
            var wait = response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1);
            if (response.StatusCode is HttpStatusCode.ServiceUnavailable or HttpStatusCode.TooManyRequests && attempt < BusyAttempts)
            {
                await Task.Delay(wait);
                continue;
            }
            var body = await ReadJsonAsync(response);
            if (response.StatusCode != HttpStatusCode.OK)
                throw new HttpRequestException($"the batch was refused with {(int)response.StatusCode}: {body?["detail"]}");
            var busy = new List<int>();
            foreach (var result in body!["results"]!.AsArray())
            {
                var index = pending[(int)result!["index"]!];
                if ((int)result["status"]! is 429 or 503 && attempt < BusyAttempts) busy.Add(index);
                else final.Add((index, result.DeepClone()));
            }
            if (busy.Count == 0) return final;
            pending = busy;
            await Task.Delay(wait);
        }
    }

    // --- orders show ------------------------------------------------------------------------------

    public static async Task<int> ShowOrderAsync(HttpClient http, Output output, string id)
    {
        using var response = await http.GetAsync($"/api/orders/{Uri.EscapeDataString(id)}");
        var body = await ReadJsonAsync(response);
        if (output.Json)
        {
            output.Document(body);
            return response.IsSuccessStatusCode ? 0 : 1;
        }
        if (!response.IsSuccessStatusCode)
        {
            output.Error($"orderctl: {(int)response.StatusCode} {body?["detail"]}");
            return 1;
        }

        output.Line($"order {body!["orderId"]}  {body["businessCode"]}  {body["status"]}  first queue {body["firstQueue"]}  accepted {body["acceptedAt"]}");
        output.Line("");
        var units = body["units"]!.AsArray();
        Output.Table(["UNIT", "QUEUE", "SEQ", "STATUS", "AT", "DELIVERED AT", "ATTEMPTS", "PARKED"], units.Select(u => (IReadOnlyList<string>)
        [
            $"{u!["unit"]}", $"{u["queue"]}", $"{u["seq"]}", $"{u["status"]}", $"{u["at"]}", $"{u["deliveredAt"]}", $"{u["attempts"]}",
            u["parkedReason"] is { } reason ? $"{reason}{(u["archivedAt"] is { } a ? $" (archived {a})" : "")}" : "",
        ]));
        // business progress the downstream systems reported, per unit
        foreach (var u in units)
            foreach (var h in u!["history"]?.AsArray() ?? [])
                output.Line($"  {u["unit"]}: {h!["status"]} at {h["at"]}{(h["reference"] is { } r ? $", ref {r}" : "")}{(h["note"] is { } n ? $" ({n})" : "")}");
        output.Line("");
        Output.Table(["SKU", "PRODUCT", "MANUFACTURER", "QTY", "PRICE"], body["lines"]!.AsArray().Select(l => (IReadOnlyList<string>)
            [$"{l!["sku"]}", $"{l["product"]?["name"]}", $"{l["manufacturer"]?["name"]}", $"{l["quantity"]}", $"{l["unitPrice"]}"]));
        return 0;
    }

    // --- helpers ----------------------------------------------------------------------------------

    private static async Task<string> ReadFileAsync(string file) =>
        File.Exists(file) ? await File.ReadAllTextAsync(file) : throw new UsageException($"no such file: {file}");

    /// <summary>A node's answer as JSON (null: empty; a body that is not JSON: its text as the detail).</summary>
    internal static async Task<JsonNode?> ReadJsonAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        try
        {
            return text.Length == 0 ? null : JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            return new JsonObject { ["detail"] = text };
        }
    }
}
