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
        Output.Table(["UNIT", "QUEUE", "MODE", "DELIVERED", "PROCESSED", "LAG", "IN FLIGHT", "ATTEMPTS", "LAST ERROR", "PAUSED"],
            queues!.AsArray().Select(q => (IReadOnlyList<string>)
            [
                $"{q!["unit"]}", $"{q["queue"]}", $"{q["mode"]}", $"{q["deliveredUpTo"]}", $"{q["processedSeq"]}", $"{q["lag"]}",
                q["inFlightUpTo"] is { } f ? $"..{f}" : "", $"{q["attempts"]}", $"{q["lastError"]}", $"{q["paused"]}",
            ]));
        return Cli.Ok;
    }

    /// <summary>Sets a unit's delivery: <c>pull</c>, or <c>webhook</c> with its URL and secret(s).</summary>
    public static async Task<int> SetAsync(HttpClient http, Output output, string unit, string mode, string? url, IReadOnlyList<string> secrets,
        int? batch, string? timeout, string? onFailure)
    {
        var body = new JsonObject { ["mode"] = mode };
        if (url is not null) body["url"] = url;
        if (secrets.Count > 0) body["secrets"] = new JsonArray(secrets.Select(s => (JsonNode)s).ToArray());
        if (batch is not null) body["batch"] = batch;
        if (timeout is not null) body["timeout"] = timeout;
        if (onFailure is not null) body["onFailure"] = onFailure;
        using var content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        using var response = await http.PutAsync($"/api/admin/units/{Uri.EscapeDataString(unit)}/delivery", content);
        var text = await response.Content.ReadAsStringAsync();
        var reply = text.Length == 0 ? null : JsonNode.Parse(text);
        if (output.Json) output.Document(reply);
        else if (response.IsSuccessStatusCode)
            output.Line($"{unit}: {reply!["mode"]}{(reply["url"] is { } u ? $" to {u}, batch {reply["batch"]}, timeout {reply["timeout"]}, on failure {reply["onFailure"]}" : "")} (version {reply["version"]})");
        else
        {
            output.Error($"orderctl: {(int)response.StatusCode} {reply?["detail"]}");
            if (reply?["errors"] is JsonObject errors)
                foreach (var (field, messages) in errors)
                    foreach (var message in messages!.AsArray()) output.Error($"  {field}: {message}");
        }
        return response.IsSuccessStatusCode ? Cli.Ok : Cli.Refused;
    }
}
