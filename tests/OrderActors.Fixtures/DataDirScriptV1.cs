using System.Text.Json.Nodes;

namespace OrderActors.Fixtures;

/// <summary>
/// What the v1 data dir fixture (<c>tests/fixtures/datadir/v1</c>) holds: the calls <see cref="DataDirWriter"/> made,
/// in this order, to a fresh node with the Northwind sample catalog. Plain JSON and constants (no product types), so
/// the integration tests, which read the data dir with a node of today's build, compile it too. Frozen, like the data
/// dir it describes.
/// </summary>
public static class DataDirScriptV1
{
    public const string Version = "v1";

    /// <summary>Posted one by one (first), then as <see cref="BatchSize"/>-order batches.</summary>
    public const int SingleOrders = 60;
    public const int BatchSize = 20;
    public const int BatchOrders = 40;

    /// <summary>After every order above was processed: product 11's price changes, then the late orders are posted.</summary>
    public const string RepricedSku = "11";
    public const decimal NewPrice = 22.5m;

    /// <summary>Orders of product 11 with no price of their own: enriched with <see cref="NewPrice"/>.</summary>
    public const int LateOrders = 5;

    /// <summary>Then, once every order was processed: a goods receipt and a stock count.</summary>
    public const string ReceiptSku = "12";
    public const int ReceiptQuantity = 100;
    public const string CountedSku = "11";
    public const int CountedOnHand = 40;

    private static readonly string[] Codes = ["B2C", "B2B", "PRESALE", "SERVICE", "TRANSFER", "RETURN"];

    /// <summary>The orders before the price change, as sent: every code, several lines, some without a price.</summary>
    public static IReadOnlyList<JsonObject> EarlyOrders() =>
        Enumerable.Range(1, SingleOrders + BatchOrders).Select(i =>
        {
            var lines = new JsonArray();
            for (var l = 0; l < 1 + i % 3; l++)
            {
                var line = new JsonObject { ["sku"] = ((i * 5 + l * 13) % 77 + 1).ToString(), ["quantity"] = 1 + (i + l) % 9 };
                if ((i + l) % 4 != 0) line["unitPrice"] = Math.Round(1 + (i * 31 + l * 17) % 400 / 4.0m, 2);
                lines.Add(line);
            }
            var order = new JsonObject
            {
                ["orderId"] = i % 17 == 0 ? $"dd-ü-{i:D3}" : $"dd-{i:D3}",
                ["businessCode"] = Codes[i % Codes.Length],
                ["lines"] = lines,
            };
            if (i % 5 != 0) order["customerId"] = "VINET";
            if (i % 2 == 0) order["placedAt"] = $"1996-07-{1 + i % 28:D2}T0{i % 10}:30:00Z";
            return order;
        }).ToList();

    public static IReadOnlyList<JsonObject> LateOrdersSent() =>
        Enumerable.Range(1, LateOrders).Select(i => new JsonObject
        {
            ["orderId"] = $"dd-late-{i}",
            ["businessCode"] = Codes[i % Codes.Length],
            ["customerId"] = "ALFKI",
            ["lines"] = new JsonArray(new JsonObject { ["sku"] = RepricedSku, ["quantity"] = i }),
        }).ToList();
}
