using System.Text.Json.Nodes;

namespace OrderActors.Cli;

/// <summary><c>orderctl keys</c>: create, list and revoke API keys (an admin's calls).</summary>
public static class KeyCommands
{
    public static async Task<int> CreateAsync(HttpClient http, Output output, string name, string role, IReadOnlyList<string> units)
    {
        var body = new JsonObject { ["name"] = name, ["role"] = role };
        if (units.Count > 0) body["units"] = new JsonArray(units.Select(u => (JsonNode)u).ToArray());
        var code = await ClusterCommands.SendAsync(http, output, HttpMethod.Post, "/api/admin/keys", body, reply => $"{reply["key"]}");
        if (code == Cli.Ok && !output.Json)
            output.Error("The key is shown this once (the node keeps only its hash): give it to its holder now. " +
                         "Clients send it as Authorization: Bearer <key>; orderctl takes it as --token.");
        return code;
    }

    public static async Task<int> ListAsync(HttpClient http, Output output)
    {
        var (ok, keys) = await ClusterCommands.GetAsync(http, output, "/api/admin/keys");
        if (!ok) return Cli.Refused;
        if (output.Json)
        {
            output.Document(keys);
            return Cli.Ok;
        }
        var rows = keys!.AsArray();
        Output.Table(["ID", "NAME", "ROLE", "UNITS", "CREATED", "REVOKED"], rows.Select(k => (IReadOnlyList<string>)
        [
            $"{k!["id"]}", $"{k["name"]}", $"{k["role"]}", string.Join(",", k["units"]!.AsArray().Select(u => (string)u!)), $"{k["createdAt"]}",
            $"{k["revokedAt"]}",
        ]));
        output.Error($"{rows.Count} key{(rows.Count == 1 ? "" : "s")}");
        return Cli.Ok;
    }

    public static Task<int> RevokeAsync(HttpClient http, Output output, string id) =>
        ClusterCommands.SendAsync(http, output, HttpMethod.Delete, $"/api/admin/keys/{Uri.EscapeDataString(id)}", null,
            _ => $"key {id} revoked: it stops working on every node within a few seconds");
}
