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

    private static string Join(JsonNode? units) => string.Join(",", units!.AsArray().Select(u => (string)u!));
}
