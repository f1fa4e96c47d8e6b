using System.Text;

namespace OrderActors.IntegrationTests.Support;

/// <summary>
/// What API.md promises, written down independently of the product's code: the default routing table, and the
/// documented first-queue rule (FNV-1a 32-bit of the UTF-8 order id, mod the number of first queues).
/// </summary>
public static class Expected
{
    public static readonly IReadOnlyDictionary<string, string[]> UnitsByCode = new Dictionary<string, string[]>
    {
        ["B2C"] = ["erp", "wms"],
        ["B2B"] = ["erp", "wms"],
        ["PRESALE"] = ["erp"],
        ["SERVICE"] = ["erp"],
        ["TRANSFER"] = ["wms"],
        ["RETURN"] = ["erp", "wms"],
    };

    /// <summary>API.md's stock effect per code, in the WMS: on-hand changes by sign × quantity.</summary>
    public static readonly IReadOnlyDictionary<string, int> StockSign = new Dictionary<string, int>
    {
        ["B2C"] = -1, ["B2B"] = -1, ["PRESALE"] = 0, ["SERVICE"] = 0, ["TRANSFER"] = 0, ["RETURN"] = 1,
    };

    public static readonly string[] Codes = UnitsByCode.Keys.ToArray();
    public static readonly string[] Units = ["erp", "wms"];
    public const int QueuesPerUnit = 4;
    public const int FirstQueues = 4;

    public static int FirstQueue(string orderId) => (int)(Fnv1a(orderId) % FirstQueues);

    public static uint Fnv1a(string value)
    {
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            hash ^= b;
            hash *= 16777619;
        }
        return hash;
    }

    /// <summary>An order with 1-5 lines drawn from a generator seeded by its id: the same order in every run and process.</summary>
    public static object Order(string id, string code, int seed = 0)
    {
        var random = new Random((int)(Fnv1a(id) ^ (uint)seed));
        var lines = Enumerable.Range(0, random.Next(1, 6))
            .Select(_ => new { sku = random.Next(1, 78).ToString(), quantity = random.Next(1, 50), unitPrice = Math.Round(random.NextDouble() * 100, 2) })
            .ToArray();
        return new { orderId = id, businessCode = code, customerId = "VINET", placedAt = "1996-07-04T00:00:00Z", lines };
    }
}

/// <summary>A feed answered 503 (its queue is moving between nodes): try again later.</summary>
public sealed class FeedUnavailableException(string message) : Exception(message);

/// <summary>Reads every unit queue's feed by cursor, as a downstream system would.</summary>
public static class Feeds
{
    public sealed record Item(string Unit, int Queue, long Seq, string OrderId, string BusinessCode, int FirstQueue);

    public static async Task<List<Item>> ReadAllAsync(HttpClient http)
    {
        var items = new List<Item>();
        foreach (var unit in Expected.Units)
            for (var queue = 0; queue < Expected.QueuesPerUnit; queue++)
            {
                long after = 0;
                while (true)
                {
                    var page = await http.GetJsonAsync($"/api/units/{unit}/queues/{queue}/orders?after={after}&limit=1000");
                    if (page.Code == 503) throw new FeedUnavailableException($"feed {unit}-{queue}: {page}");
                    if (page.Code != 200) throw new InvalidOperationException($"feed {unit}-{queue}: {page}");
                    var orders = page.Body!["orders"]!.AsArray();
                    foreach (var o in orders)
                        items.Add(new Item(unit, queue, (long)o!["seq"]!, (string)o["orderId"]!, (string)o["businessCode"]!, (int)o["firstQueue"]!));
                    if (orders.Count == 0) break;
                    var next = (long)page.Body["next"]!;
                    if (next <= after) throw new InvalidOperationException($"feed {unit}-{queue}: the cursor did not move past {after}: {page}");
                    after = next;
                }
            }
        return items;
    }

    /// <summary>
    /// Waits until every expected order is in every unit queue its code routes to; then checks that each is there exactly
    /// once, nowhere else, and that every queue's seq runs 1, 2, 3, ... with no gap.
    /// </summary>
    public static async Task<TimeSpan> AssertDeliveredExactlyOnceAsync(HttpClient http, IReadOnlyDictionary<string, string> codeByOrder,
        TimeSpan timeout)
    {
        var started = DateTime.UtcNow;
        var deadline = started + timeout;
        List<Item> items;
        using var tick = new PeriodicTimer(TimeSpan.FromMilliseconds(250));
        while (true)
        {
            try
            {
                items = await ReadAllAsync(http);
            }
            catch (FeedUnavailableException e) when (DateTime.UtcNow < deadline)
            {
                // a queue is moving to another node (failover, hand-off): read again, as a downstream system would
                _ = e;
                await tick.WaitForNextTickAsync();
                continue;
            }
            var have = items.Select(i => (i.OrderId, i.Unit)).ToHashSet();
            var missing = codeByOrder.SelectMany(kv => Expected.UnitsByCode[kv.Value].Select(u => (kv.Key, u))).Count(x => !have.Contains(x));
            if (missing == 0) break;
            if (DateTime.UtcNow > deadline)
                throw new Xunit.Sdk.XunitException($"{missing} expected (order, unit) pairs are not processed after {timeout}");
            await tick.WaitForNextTickAsync();
        }

        foreach (var queue in items.GroupBy(i => (i.Unit, i.Queue)))
        {
            Assert.Equal(Enumerable.Range(1, queue.Count()).Select(i => (long)i), queue.Select(i => i.Seq));
            var duplicated = queue.GroupBy(i => i.OrderId).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
            Assert.True(duplicated.Count == 0, $"{queue.Key} holds {duplicated.Count} orders twice: {string.Join(",", duplicated.Take(5))}");
        }

        foreach (var item in items)
        {
            Assert.True(codeByOrder.TryGetValue(item.OrderId, out var code), $"unexpected order {item.OrderId} in {item.Unit}-{item.Queue}");
            Assert.Equal(code, item.BusinessCode);
            Assert.Contains(item.Unit, Expected.UnitsByCode[code]);
            Assert.Equal(Expected.FirstQueue(item.OrderId), item.FirstQueue);
            Assert.Equal(item.FirstQueue % Expected.QueuesPerUnit, item.Queue);
        }
        return DateTime.UtcNow - started;
    }
}
