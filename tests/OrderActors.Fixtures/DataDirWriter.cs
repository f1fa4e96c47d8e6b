using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;

namespace OrderActors.Fixtures;

/// <summary>
/// Writes a data dir fixture: starts the node NODE_DLL on an empty data dir, makes the calls of a script
/// (<see cref="DataDirScriptV1"/>, <see cref="DataDirScriptV2"/>), waits until each order is processed by every unit it
/// routes to, stops the node with SIGTERM and folds the SQLite write-ahead logs into the database files, so the
/// fixture is the files alone.
/// </summary>
public static class DataDirWriter
{
    public static Task<int> WriteAsync(string nodeDll, string dir, string version) => version switch
    {
        DataDirScriptV1.Version => WriteAsync(nodeDll, dir, V1Async),
        DataDirScriptV2.Version => WriteAsync(nodeDll, dir, V2Async),
        _ => throw new ArgumentException($"no data dir script {version}"),
    };

    private static async Task V2Async(HttpClient http)
    {
        var orders = DataDirScriptV2.Orders();
        foreach (var order in orders) Expect(202, await http.PostAsJsonAsync("/api/orders", order), order);
        await AllProcessed(http, orders);
    }

    private static async Task<int> WriteAsync(string nodeDll, string dir, Func<HttpClient, Task> script)
    {
        var (httpPort, clusterPort) = OrderActors.Harness.LoopbackPorts.TwoFree();
        var info = new ProcessStartInfo("dotnet") { UseShellExecute = false };
        foreach (var arg in new[] { Path.GetFullPath(nodeDll), "--urls", $"http://127.0.0.1:{httpPort}", "--cluster-port", $"{clusterPort}", "--data-dir", dir })
            info.ArgumentList.Add(arg);
        using var node = Process.Start(info)!;
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}"), Timeout = TimeSpan.FromSeconds(30) };
        try
        {
            await Until("the node is ready", async () => (await http.GetAsync("/healthz/ready")).IsSuccessStatusCode);
            await script(http);
            Process.Start("kill", ["-TERM", node.Id.ToString()])!.WaitForExit();
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await node.WaitForExitAsync(stop.Token);
            if (node.ExitCode != 0) throw new InvalidOperationException($"the node exited with {node.ExitCode}");
        }
        finally
        {
            if (!node.HasExited) node.Kill(entireProcessTree: true);
        }

        foreach (var file in Directory.GetFiles(dir, "*.db"))
        {
            using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Pooling = false }.ConnectionString);
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA wal_checkpoint(TRUNCATE); PRAGMA journal_mode=DELETE;";
            command.ExecuteNonQuery();
        }
        foreach (var lockFile in new[] { "node.lock", "node.pid" }) File.Delete(Path.Combine(dir, lockFile)); // the node's, not data
        Console.WriteLine($"data dir written to {dir}: {string.Join(", ", Directory.GetFiles(dir).Select(Path.GetFileName))}");
        return 0;
    }

    private static async Task V1Async(HttpClient http)
    {
        var early = DataDirScriptV1.EarlyOrders();
        foreach (var order in early.Take(DataDirScriptV1.SingleOrders))
            Expect(202, await http.PostAsJsonAsync("/api/orders", order), order);
        foreach (var batch in early.Skip(DataDirScriptV1.SingleOrders).Chunk(DataDirScriptV1.BatchSize))
        {
            var reply = await http.PostAsJsonAsync("/api/orders/batch", batch);
            var body = JsonNode.Parse(await reply.Content.ReadAsStringAsync())!;
            if ((int?)body["accepted"] != batch.Length) throw new InvalidOperationException($"batch not all accepted: {body}");
        }
        await AllProcessed(http, early);

        var product = JsonNode.Parse(await http.GetStringAsync($"/api/catalog/products/{DataDirScriptV1.RepricedSku}"))!.AsObject();
        product["unitPrice"] = DataDirScriptV1.NewPrice;
        Expect(200, await http.PutAsJsonAsync($"/api/catalog/products/{DataDirScriptV1.RepricedSku}", product), product);
        var late = DataDirScriptV1.LateOrdersSent();
        // the change reaches this node's replica at once or within its sync interval
        await Until("the new price is in use", async () =>
            JsonNode.Parse(await http.GetStringAsync($"/api/catalog/products/{DataDirScriptV1.RepricedSku}"))!["unitPrice"]!.GetValue<decimal>() == DataDirScriptV1.NewPrice);
        foreach (var order in late) Expect(202, await http.PostAsJsonAsync("/api/orders", order), order);
        await AllProcessed(http, late);

        Expect(200, await http.PostAsJsonAsync($"/api/inventory/{DataDirScriptV1.ReceiptSku}/receipts", new { quantity = DataDirScriptV1.ReceiptQuantity }), null);
        Expect(200, await http.PutAsJsonAsync($"/api/inventory/{DataDirScriptV1.CountedSku}/count", new { onHand = DataDirScriptV1.CountedOnHand }), null);
    }

    private static async Task AllProcessed(HttpClient http, IEnumerable<JsonObject> orders)
    {
        foreach (var order in orders)
        {
            var id = (string)order["orderId"]!;
            await Until($"order {id} is processed", async () =>
                JsonNode.Parse(await http.GetStringAsync($"/api/orders/{Uri.EscapeDataString(id)}"))!["status"]!.GetValue<string>() == "processed");
        }
    }

    private static void Expect(int status, HttpResponseMessage reply, JsonNode? sent)
    {
        if ((int)reply.StatusCode != status)
            throw new InvalidOperationException($"{reply.RequestMessage!.Method} {reply.RequestMessage.RequestUri}: {(int)reply.StatusCode}, not {status} ({sent?.ToJsonString()})");
    }

    private static async Task Until(string what, Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (true)
        {
            try
            {
                if (await condition()) return;
            }
            catch (HttpRequestException) { } // not listening yet
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"waited 90 s for: {what}");
            await Task.Delay(100);
        }
    }
}
