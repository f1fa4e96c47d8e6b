using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace OrderActors.Cli;

/// <summary>Cluster operations over the admin endpoints (API.md, "Operations").</summary>
public static class ClusterCommands
{
    public static async Task<int> ShowAsync(HttpClient http, Output output)
    {
        var (ok, members) = await GetAsync(http, output, "/api/admin/cluster/members");
        if (!ok) return 1;
        if (output.Json)
        {
            output.Document(members);
            return 0;
        }
        Output.Table(["ADDRESS", "STATUS", "ROLES", "LEADER", "REACHABLE"], members!.AsArray().Select(m => (IReadOnlyList<string>)
        [
            $"{m!["address"]}", $"{m["status"]}", string.Join(",", m["roles"]!.AsArray().Select(r => $"{r}")),
            (bool)m["leader"]! ? "yes" : "", (bool)m["reachable"]! ? "yes" : "NO",
        ]));
        return 0;
    }

    public static async Task<int> CommandAsync(HttpClient http, Output output, string verb, string address)
    {
        using var response = await http.PostAsJsonAsync($"/api/admin/cluster/{verb}", new { address });
        if (response.IsSuccessStatusCode)
        {
            if (output.Json) output.Document(new { address, verb, accepted = true });
            else output.Line($"{verb}: {address} (accepted; `orderctl cluster tail` shows it happen)");
            return 0;
        }
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync());
        output.Error($"orderctl: {(int)response.StatusCode} {body?["detail"]}");
        return 1;
    }

    /// <summary>Prints member changes as they happen (polling the members once a second) until interrupted.</summary>
    public static async Task<int> TailAsync(HttpClient http, Output output, CancellationToken ct)
    {
        var known = new Dictionary<string, string>();
        while (!ct.IsCancellationRequested)
        {
            var (ok, members) = await GetAsync(http, output, "/api/admin/cluster/members");
            if (ok)
            {
                var now = members!.AsArray().ToDictionary(m => (string)m!["address"]!,
                    m => $"{m!["status"]}{((bool)m["reachable"]! ? "" : " (unreachable)")}");
                foreach (var (address, state) in now.Where(kv => known.GetValueOrDefault(kv.Key) != kv.Value))
                    Event(output, address, known.ContainsKey(address) ? $"{known[address]} -> {state}" : state);
                foreach (var gone in known.Keys.Except(now.Keys))
                    Event(output, gone, $"{known[gone]} -> Removed");
                known = now;
            }
            try { await Task.Delay(1000, ct); }
            catch (OperationCanceledException) { break; }
        }
        return 0;
    }

    private static void Event(Output output, string address, string change)
    {
        if (output.Json) Console.WriteLine(new JsonObject { ["at"] = DateTimeOffset.UtcNow.ToString("O"), ["address"] = address, ["change"] = change }.ToJsonString());
        else output.Line($"{DateTimeOffset.Now:HH:mm:ss}  {address}  {change}");
    }

    public static async Task<int> ShardingAsync(HttpClient http, Output output, bool perShard)
    {
        var (ok, regions) = await GetAsync(http, output, "/api/admin/sharding");
        if (!ok) return 1;
        if (output.Json)
        {
            output.Document(regions);
            return 0;
        }
        var shards = regions!.AsArray().SelectMany(r => r!["shards"]!.AsArray().Select(s => (Region: (string)r["typeName"]!,
            Shard: (string)s!["shardId"]!, Node: (string)s["node"]!, Entities: (int)s["entities"]!))).ToList();
        if (perShard)
            Output.Table(["REGION", "SHARD", "NODE", "ENTITIES"], shards.Select(s => (IReadOnlyList<string>)[s.Region, s.Shard, s.Node, $"{s.Entities}"]));
        else
            Output.Table(["REGION", "NODE", "SHARDS", "ENTITIES"], shards.GroupBy(s => (s.Region, s.Node)).OrderBy(g => g.Key)
                .Select(g => (IReadOnlyList<string>)[g.Key.Region, g.Key.Node, $"{g.Count()}", $"{g.Sum(s => s.Entities)}"]));
        return 0;
    }

    public static async Task<int> QueuesAsync(HttpClient http, Output output)
    {
        var (ok, queues) = await GetAsync(http, output, "/api/admin/queues");
        if (!ok) return 1;
        if (output.Json)
        {
            output.Document(queues);
            return 0;
        }
        Output.Table(["QUEUE", "NODE", "DEPTH", "LAST SEQ"], queues!.AsArray().Select(q => (IReadOnlyList<string>)
            [$"{q!["name"]}", $"{q["node"]}", $"{q["depth"]}", $"{q["lastSeq"]}"]));
        return 0;
    }

    internal static async Task<(bool Ok, JsonNode? Body)> GetAsync(HttpClient http, Output output, string path)
    {
        using var response = await http.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        var body = text.Length == 0 ? null : JsonNode.Parse(text);
        if (response.IsSuccessStatusCode) return (true, body);
        output.Error($"orderctl: {(int)response.StatusCode} {body?["detail"]}");
        return (false, body);
    }

    internal static async Task<int> SendAsync(HttpClient http, Output output, HttpMethod method, string path, JsonObject? body, Func<JsonNode, string> describe)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json") };
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var reply = text.Length == 0 ? null : JsonNode.Parse(text);
        if (output.Json) output.Document(reply);
        else if (response.IsSuccessStatusCode) output.Line(describe(reply!)); // a 204 (a revoke) has none: its describe takes none
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
