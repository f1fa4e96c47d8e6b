using System.Text;
using System.Text.Json.Nodes;

namespace OrderActors.Cli;

/// <summary>Delivery to the units' downstream systems, over the admin endpoints (docs/API.md, "Delivery").</summary>
public static class DeliveryCommands
{
    public static async Task<int> ShowAsync(HttpClient http, Output output)
    {
        var (ok, queues) = await ClusterCommands.GetAsync(http, output, "/api/admin/delivery");
        if (!ok) return Cli.Refused;
        if (output.Json)
        {
            output.Document(queues);
            return Cli.Ok;
        }
        Output.Table(["UNIT", "QUEUE", "MODE", "DELIVERED", "PROCESSED", "LAG", "LAG S", "IN FLIGHT", "ATTEMPTS", "PARKED", "LAST ERROR", "PAUSED"],
            queues!.AsArray().Select(q => (IReadOnlyList<string>)
            [
                $"{q!["unit"]}", $"{q["queue"]}", $"{q["mode"]}", $"{q["deliveredUpTo"]}", $"{q["processedSeq"]}", $"{q["lag"]}",
                q["lagSeconds"] is { } l ? $"{(double)l:0.#}" : "", q["inFlightUpTo"] is { } f ? $"..{f}" : "", $"{q["attempts"]}",
                $"{q["parked"]}", $"{q["lastError"]}", $"{q["paused"]}",
            ]));
        return Cli.Ok;
    }

    /// <summary>Sets a unit's delivery: <c>pull</c>, or <c>webhook</c> with its URL and secret(s).</summary>
    public static async Task<int> SetAsync(HttpClient http, Output output, string unit, string mode, string? url, IReadOnlyList<string> secrets,
        int? batch, string? timeout, string? onFailure, int? maxAttempts, string? maxAge, double? rateLimit)
    {
        var body = new JsonObject { ["mode"] = mode };
        if (url is not null) body["url"] = url;
        if (secrets.Count > 0) body["secrets"] = new JsonArray(secrets.Select(s => (JsonNode)s).ToArray());
        if (batch is not null) body["batch"] = batch;
        if (timeout is not null) body["timeout"] = timeout;
        if (onFailure is not null) body["onFailure"] = onFailure;
        if (maxAttempts is not null) body["maxAttempts"] = maxAttempts;
        if (maxAge is not null) body["maxAge"] = maxAge;
        if (rateLimit is not null) body["rateLimit"] = rateLimit;
        return await ClusterCommands.SendAsync(http, output, HttpMethod.Put, $"/api/admin/units/{Uri.EscapeDataString(unit)}/delivery", body, reply =>
            $"{unit}: {reply["mode"]}{(reply["url"] is { } u ? $" to {u}, batch {reply["batch"]}, timeout {reply["timeout"]}, on failure {reply["onFailure"]}" : "")} (version {reply["version"]})");
    }

    /// <summary>Pauses (reason given) or resumes a unit's webhook delivery.</summary>
    public static Task<int> PauseAsync(HttpClient http, Output output, string unit, bool pause, string? reason) =>
        ClusterCommands.SendAsync(http, output, HttpMethod.Post, $"/api/admin/units/{Uri.EscapeDataString(unit)}/delivery/{(pause ? "pause" : "resume")}",
            pause ? new JsonObject { ["reason"] = reason } : new JsonObject(),
            reply => reply["paused"] is { } p ? $"{unit}: paused ({p["reason"]})" : $"{unit}: delivering");

    /// <summary>Replays a unit queue from a seq: webhook delivers again from there, pull moves the cursor back.</summary>
    public static Task<int> ReplayAsync(HttpClient http, Output output, string unit, int queue, long from) =>
        ClusterCommands.SendAsync(http, output, HttpMethod.Post, $"/api/admin/units/{Uri.EscapeDataString(unit)}/queues/{queue}/replay", new JsonObject { ["from"] = from },
            reply => $"{unit} queue {queue}: replaying from seq {from} (cursor now {reply["deliveredUpTo"]})");

    public static async Task<int> ParkedListAsync(HttpClient http, Output output, string? unit, string? reason, string? since, bool archived)
    {
        var query = new List<string>();
        if (unit is not null) query.Add("unit=" + Uri.EscapeDataString(unit));
        if (reason is not null) query.Add("reason=" + Uri.EscapeDataString(reason));
        if (since is not null) query.Add("since=" + Uri.EscapeDataString(since));
        if (archived) query.Add("archived=true");
        var (ok, parked) = await ClusterCommands.GetAsync(http, output, "/api/admin/parked" + (query.Count > 0 ? "?" + string.Join('&', query) : ""));
        if (!ok) return Cli.Refused;
        if (output.Json)
        {
            output.Document(parked);
            return Cli.Ok;
        }
        var rows = parked!.AsArray();
        Output.Table(["DELIVERY ID", "ORDER", "STATE", "STATUS", "ATTEMPTS", "PARKED AT", "ERROR"], rows.Select(p => (IReadOnlyList<string>)
        [
            $"{p!["deliveryId"]}", $"{p["orderId"]}", $"{p["state"]}", $"{p["status"]}", $"{p["attempts"]}", $"{p["parkedAt"]}", $"{p["error"]}",
        ]));
        output.Error($"{rows.Count} {(archived ? "archived" : "parked")} order{(rows.Count == 1 ? "" : "s")}");
        return Cli.Ok;
    }

    /// <summary>Retries or archives parked orders of a unit: the given deliveryIds, or every one (<paramref name="all"/>).</summary>
    public static Task<int> ParkedActAsync(HttpClient http, Output output, string action, string unit, IReadOnlyList<string> ids, bool all)
    {
        if (ids.Count == 0 && !all) throw new UsageException($"name the deliveryIds to {action} (e.g. {unit}:2:17), or give --all for every parked order of {unit}");
        if (ids.Count > 0 && all) throw new UsageException("give deliveryIds or --all, not both");
        var body = new JsonObject { ["unit"] = unit };
        if (ids.Count > 0) body["deliveryIds"] = new JsonArray(ids.Select(i => (JsonNode)i).ToArray());
        return ClusterCommands.SendAsync(http, output, HttpMethod.Post, $"/api/admin/parked/{action}", body, reply =>
        {
            var (applied, skipped) = (reply["applied"]!.AsArray(), reply["skipped"]!.AsArray());
            var verb = action == "retry" ? "sent again" : "archived";
            return $"{unit}: {applied.Count} {verb}{(applied.Count > 0 ? $" ({string.Join(", ", applied)})" : "")}" +
                   (skipped.Count > 0 ? $"; not parked: {string.Join(", ", skipped)}" : "");
        });
    }
}
