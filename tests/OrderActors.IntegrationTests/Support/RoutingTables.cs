namespace OrderActors.IntegrationTests.Support;

/// <summary>
/// A second routing version as an integration engineer would publish it, written down independently of the product's
/// code: a CRM unit (2 queues) takes B2C beside the ERP and WMS, PRESALE moves to it from the ERP, and GIFT is new.
/// </summary>
public static class RoutingTables
{
    public const string WithCrm = """
        {"units": {"erp": {"queues": 4}, "wms": {"queues": 4}, "crm": {"queues": 2}},
         "codes": {
           "B2C": {"units": ["erp", "wms", "crm"], "stockEffect": "ship", "description": "consumer sale"},
           "B2B": {"units": ["erp", "wms"], "stockEffect": "ship"},
           "PRESALE": {"units": ["crm"]},
           "SERVICE": {"units": ["erp"]},
           "TRANSFER": {"units": ["wms"]},
           "RETURN": {"units": ["erp", "wms"], "stockEffect": "restock"},
           "GIFT": {"units": ["crm"], "description": "gift card, the CRM only"}},
         "unknownCode": "reject"}
        """;

    /// <summary>The units each code goes to under <see cref="WithCrm"/>.</summary>
    public static readonly IReadOnlyDictionary<string, string[]> CrmUnitsByCode = new Dictionary<string, string[]>(Expected.UnitsByCode)
    {
        ["B2C"] = ["erp", "wms", "crm"], ["PRESALE"] = ["crm"], ["GIFT"] = ["crm"],
    };

    /// <summary>The units each code goes to under version <paramref name="version"/> (1: the configured table, 2: <see cref="WithCrm"/>).</summary>
    public static string[] UnitsOf(string code, int version) => version == 1 ? Expected.UnitsByCode[code] : CrmUnitsByCode[code];

    public sealed record FeedItem(string Unit, int Queue, long Seq, string OrderId, int RoutingVersion);

    /// <summary>Every item of every queue of erp, wms and crm, by cursor; null when a queue answered 503 (moving between nodes: read again).</summary>
    public static async Task<List<FeedItem>?> ReadFeedsAsync(HttpClient http)
    {
        var items = new List<FeedItem>();
        foreach (var (unit, queues) in new[] { ("erp", 4), ("wms", 4), ("crm", 2) })
            for (var queue = 0; queue < queues; queue++)
            {
                long after = 0;
                while (true)
                {
                    var page = await http.GetJsonAsync($"/api/units/{unit}/queues/{queue}/orders?after={after}&limit=1000");
                    if (page.Code == 503) return null;
                    Assert.True(page.Code == 200, $"feed {unit}-{queue}: {page}");
                    var orders = page.Body!["orders"]!.AsArray();
                    if (orders.Count == 0) break;
                    items.AddRange(orders.Select(o => new FeedItem(unit, queue, (long)o!["seq"]!, (string)o["orderId"]!, (int)o["routingVersion"]!)));
                    after = (long)page.Body["next"]!;
                }
            }
        return items;
    }
}
