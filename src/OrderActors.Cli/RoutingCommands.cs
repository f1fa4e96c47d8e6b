using System.Text.Json;
using System.Text.Json.Nodes;

namespace OrderActors.Cli;

/// <summary><c>orderctl routing</c>: the live table, its versions, the draft, the diff between two tables, and the publish (an admin's calls).</summary>
public static class RoutingCommands
{
    public static async Task<int> ShowAsync(HttpClient http, Output output, int? version)
    {
        if (version is null)
        {
            var (liveOk, live) = await ClusterCommands.GetAsync(http, output, "/api/routing");
            if (!liveOk) return Cli.Refused;
            version = (int)live!["version"]!;
        }
        var (ok, body) = await ClusterCommands.GetAsync(http, output, $"/api/admin/routing/versions/{version}");
        if (!ok) return Cli.Refused;
        if (output.Json)
        {
            output.Document(body);
            return Cli.Ok;
        }
        output.Line($"version {body!["version"]}{((bool)body["live"]! ? " (live)" : "")}, published by {body["publishedBy"]}" +
                    (body["at"] is { } at ? $" at {at}" : " (the configured table)") + (body["note"] is { } note ? $": {note}" : ""));
        var table = body["table"]!;
        Output.Table(["UNIT", "QUEUES"], table["units"]!.AsObject().Select(u => (IReadOnlyList<string>)[u.Key, $"{u.Value!["queues"]}"]));
        Output.Table(["CODE", "UNITS", "STOCK EFFECT", "DESCRIPTION"], table["codes"]!.AsObject().Select(c => (IReadOnlyList<string>)
            [c.Key, Join(c.Value!["units"]), $"{c.Value["stockEffect"]}", $"{c.Value["description"]}"]));
        output.Line($"unknown codes: {table["unknownCode"]}");
        return Cli.Ok;
    }

    public static async Task<int> VersionsAsync(HttpClient http, Output output)
    {
        var (ok, versions) = await ClusterCommands.GetAsync(http, output, "/api/admin/routing/versions");
        if (!ok) return Cli.Refused;
        if (output.Json)
        {
            output.Document(versions);
            return Cli.Ok;
        }
        Output.Table(["VERSION", "LIVE", "PUBLISHED BY", "AT", "UNITS", "CODES", "NOTE"], versions!.AsArray().Select(v => (IReadOnlyList<string>)
            [$"{v!["version"]}", (bool)v["live"]! ? "*" : "", $"{v["publishedBy"]}", $"{v["at"]}", $"{v["units"]}", $"{v["codes"]}", $"{v["note"]}"]));
        return Cli.Ok;
    }

    public static async Task<int> CutsAsync(HttpClient http, Output output)
    {
        var (ok, queues) = await ClusterCommands.GetAsync(http, output, "/api/admin/routing/cuts");
        if (!ok) return Cli.Refused;
        if (output.Json)
        {
            output.Document(queues);
            return Cli.Ok;
        }
        Output.Table(["FIRST QUEUE", "VERSION", "LAST OFFSET", "CUTS (FROM OFFSET: VERSION)"], queues!.AsArray().Select(q => (IReadOnlyList<string>)
            [$"{q!["queue"]}", $"{q["version"]}", $"{q["lastOffset"]}", string.Join(", ", q["cuts"]!.AsArray().Select(c => $"{c!["fromOffset"]}: {c["version"]}"))]));
        return Cli.Ok;
    }

    /// <summary>Prints the draft as the JSON a <c>draft set</c> takes, so that it can be saved, edited and set again.</summary>
    public static async Task<int> DraftGetAsync(HttpClient http, Output output)
    {
        var (ok, draft) = await ClusterCommands.GetAsync(http, output, "/api/admin/routing/draft");
        if (!ok) return Cli.Refused;
        output.Line(draft!.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        return Cli.Ok;
    }

    public static async Task<int> DraftSetAsync(HttpClient http, Output output, string file)
    {
        JsonObject draft;
        try
        {
            draft = JsonNode.Parse(await File.ReadAllTextAsync(file)) as JsonObject
                    ?? throw new JsonException("the file holds JSON, but not an object: a routing table is {\"units\": {...}, \"codes\": {...}}");
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException)
        {
            output.Error($"orderctl: {file}: {e.Message}");
            return Cli.Usage;
        }
        return await ClusterCommands.SendAsync(http, output, HttpMethod.Put, "/api/admin/routing/draft", draft,
            reply => $"draft stored: {reply["units"]!.AsObject().Count} units, {reply["codes"]!.AsObject().Count} codes " +
                     "(orderctl routing diff shows what it changes; orderctl routing publish makes it live)");
    }

    public static async Task<int> DiffAsync(HttpClient http, Output output, string? from, string? to)
    {
        var query = string.Join("&", new[] { ("from", from), ("to", to) }.Where(p => p.Item2 is not null).Select(p => $"{p.Item1}={Uri.EscapeDataString(p.Item2!)}"));
        var (ok, diff) = await ClusterCommands.GetAsync(http, output, "/api/admin/routing/diff" + (query.Length > 0 ? "?" + query : ""));
        if (!ok) return Cli.Refused;
        if (output.Json)
        {
            output.Document(diff);
            return Cli.Ok;
        }
        output.Line($"from {diff!["from"]} to {diff["to"]}:");
        if ((bool)diff["empty"]!)
        {
            output.Line("  no change");
            return Cli.Ok;
        }
        foreach (var u in diff["unitsAdded"]!.AsArray()) output.Line($"  + unit {u}");
        foreach (var u in diff["unitsRemoved"]!.AsArray()) output.Line($"  - unit {u}");
        foreach (var c in diff["codesAdded"]!.AsArray()) output.Line($"  + code {c}");
        foreach (var c in diff["codesRemoved"]!.AsArray()) output.Line($"  - code {c}");
        foreach (var m in diff["codesMoved"]!.AsArray()) output.Line($"  ~ code {m!["code"]}: {Join(m["from"])} -> {Join(m["to"])}");
        foreach (var s in diff["stockEffectsChanged"]!.AsArray()) output.Line($"  ~ code {s!["code"]} stock effect: {s["from"]} -> {s["to"]}");
        if (diff["unknownCodeChanged"] is { } policy) output.Line($"  ~ unknown codes: {policy["from"]} -> {policy["to"]}");
        return Cli.Ok;
    }

    public static async Task<int> PublishAsync(HttpClient http, Output output, int? expect, string? note)
    {
        if (expect is null)
        {
            var (ok, live) = await ClusterCommands.GetAsync(http, output, "/api/routing");
            if (!ok) return Cli.Refused;
            expect = (int)live!["version"]!;
            output.Error($"publishing the draft over version {expect}, live now (pass --expect to be sure it is the one you looked at)");
        }
        var body = new JsonObject { ["expectedVersion"] = expect };
        if (note is not null) body["note"] = note;
        return await ClusterCommands.SendAsync(http, output, HttpMethod.Post, "/api/admin/routing/publish", body,
            reply => $"version {reply["version"]} published: live on this node now, on every node within a few seconds");
    }

    public static async Task<int> PreviewAsync(HttpClient http, Output output, int? last, int? version)
    {
        var body = new JsonObject();
        if (last is not null) body["last"] = last;
        if (version is not null) body["version"] = version;
        var (ok, reply) = await PostAsync(http, output, "/api/admin/routing/preview", body);
        if (!ok) return Cli.Refused;
        if (output.Json)
        {
            output.Document(reply);
            return Cli.Ok;
        }
        var preview = reply!["preview"]!;
        output.Line($"the {reply["table"]} against live version {reply["liveVersion"]}, on the last {preview["orders"]} accepted orders " +
                    $"({preview["from"]} to {preview["to"]}){((bool)reply["complete"]! ? "" : ", partial: a first queue did not finish reading in time")}:");
        Output.Table(["CODE", "ORDERS", "LIVE UNITS", "PREVIEW UNITS"], preview["byCode"]!.AsArray().Select(c => (IReadOnlyList<string>)
            [$"{c!["code"]}", $"{c["orders"]}", Join(c["liveUnits"]), Join(c["previewUnits"])]));
        Output.Table(["UNIT", "LIVE", "PREVIEW", "ADDED", "REMOVED"], preview["byUnit"]!.AsArray().Select(u => (IReadOnlyList<string>)
            [$"{u!["unit"]}", $"{u["live"]}", $"{u["preview"]}", $"{u["added"]}", $"{u["removed"]}"]));
        foreach (var code in preview["unroutable"]!.AsArray())
            output.Line($"unroutable: code {code!["code"]} ({code["orders"]} orders) would be refused with 422");
        output.Line($"{preview["affectedOrders"]} orders would go elsewhere" +
                    (preview["affectedSample"]!.AsArray().Count > 0 ? $", e.g. {Join(preview["affectedSample"])}" : ""));
        return Cli.Ok;
    }

    public static async Task<int> TestAsync(HttpClient http, Output output, string file, string? version)
    {
        JsonNode order;
        try
        {
            order = JsonNode.Parse(await File.ReadAllTextAsync(file)) ?? throw new JsonException("the file holds null, not an order");
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException)
        {
            output.Error($"orderctl: {file}: {e.Message}");
            return Cli.Usage;
        }
        var path = "/api/admin/routing/test" + (version is null ? "" : $"?version={Uri.EscapeDataString(version)}");
        var (ok, reply) = await PostAsync(http, output, path, order);
        if (!ok) return Cli.Refused;
        if (output.Json) output.Document(reply);
        else if ((bool)reply!["routed"]!)
            output.Line($"order {reply["orderId"]} ({reply["businessCode"]}, first queue {reply["firstQueue"]}) under the {reply["table"]} goes to " +
                        string.Join(", ", reply["units"]!.AsArray().Select(u => $"{u!["unit"]}-{u["queue"]}")));
        else output.Line($"order {reply["orderId"]}: {reply["detail"]}");
        return Cli.Ok;
    }

    private static async Task<(bool Ok, JsonNode? Body)> PostAsync(HttpClient http, Output output, string path, JsonNode body)
    {
        using var response = await http.PostAsync(path, new StringContent(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        var reply = text.Length == 0 ? null : JsonNode.Parse(text);
        if (response.IsSuccessStatusCode) return (true, reply);
        output.Error($"orderctl: {(int)response.StatusCode} {reply?["detail"]}");
        return (false, reply);
    }

    private static string Join(JsonNode? units) => string.Join(",", units!.AsArray().Select(u => (string)u!));
}
