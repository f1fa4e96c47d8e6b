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

    public static async Task<int> ReplayAsync(HttpClient http, Output output, string file, int batchSize, int concurrency)
    {
        var lines = (await ReadFileAsync(file)).Split('\n');
        var orders = new List<(int Line, JsonNode Order)>();
        var rejections = new List<Rejection>();
        for (var i = 0; i < lines.Length; i++)
        {
            if (string.IsNullOrWhiteSpace(lines[i])) continue;
            try
            {
                orders.Add((i + 1, JsonNode.Parse(lines[i]) ?? throw new JsonException("null")));
            }
            catch (JsonException e)
            {
                rejections.Add(new Rejection(i + 1, null, 400, $"not valid JSON: {e.Message}"));
            }
        }

        var total = orders.Count + rejections.Count;
        int accepted = 0, duplicates = 0, done = rejections.Count;
        var progress = new Progress(total, "orders");
        var gate = new object();
        var clock = Stopwatch.StartNew();
        using var slots = new SemaphoreSlim(concurrency);

        await progress.RunAsync(p => Task.WhenAll(orders.Chunk(batchSize).Select(async chunk =>
        {
            await slots.WaitAsync();
            try
            {
                var results = await PostBatchAsync(http, chunk.Select(c => c.Order).ToList());
                lock (gate)
                {
                    foreach (var (index, result) in results)
                    {
                        var status = (int)result["status"]!;
                        if (status == 202) accepted++;
                        else if (status == 200) duplicates++;
                        else rejections.Add(new Rejection(chunk[index].Line, (string?)result["orderId"], status,
                            (string?)result["error"]?["detail"] ?? $"status {status}"));
                    }
                    done += chunk.Length;
                    p.Report(done, $"accepted {accepted:N0}  duplicates {duplicates:N0}  rejected {rejections.Count:N0}");
                }
            }
            finally
            {
                slots.Release();
            }
        })));

        var seconds = clock.Elapsed.TotalSeconds;
        rejections.Sort((a, b) => a.Line.CompareTo(b.Line));
        if (output.Json)
        {
            output.Document(new { file, orders = total, accepted, duplicates, rejected = rejections.Count, seconds = Math.Round(seconds, 3), rejections });
        }
        else
        {
            output.Line($"replayed {total:N0} orders from {file} in {seconds:N1} s ({total / Math.Max(seconds, 0.001):N0} orders/s)");
            output.Line($"  accepted   {accepted,8:N0}");
            output.Line($"  duplicates {duplicates,8:N0}   (already accepted: the same order again)");
            output.Line($"  rejected   {rejections.Count,8:N0}");
            foreach (var group in rejections.GroupBy(r => (r.Status, r.Reason)).OrderByDescending(g => g.Count()).Take(20))
                output.Line($"    {group.Count(),6:N0} × {group.Key.Status} {group.Key.Reason}  (line {string.Join(", ", group.Take(5).Select(r => r.Line))}{(group.Count() > 5 ? ", ..." : "")})");
        }
        return rejections.Count == 0 ? 0 : 1;
    }

    private const int BusyAttempts = 30;

    /// <summary>
    /// Posts one batch and returns each order's result by its index in <paramref name="orders"/>. While the node says it
    /// is busy, for the whole batch or for some of its orders (429 or 503, with Retry-After: not stored, to be sent
    /// again), it waits as told and sends those again, up to <see cref="BusyAttempts"/> times.
    /// </summary>
    private static async Task<IReadOnlyList<(int Index, JsonNode Result)>> PostBatchAsync(HttpClient http, IReadOnlyList<JsonNode> orders)
    {
        var final = new List<(int Index, JsonNode Result)>();
        var pending = Enumerable.Range(0, orders.Count).ToList();
        for (var attempt = 1; ; attempt++)
        {
            var payload = new JsonArray(pending.Select(i => orders[i].DeepClone()).ToArray());
            using var content = new StringContent(payload.ToJsonString(), Encoding.UTF8, "application/json");
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

    private static async Task<JsonNode?> ReadJsonAsync(HttpResponseMessage response)
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
