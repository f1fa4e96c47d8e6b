using System.Globalization;
using System.Text.Json.Nodes;
using OrderActors.IntegrationTests.Support;
using Xunit.Abstractions;

namespace OrderActors.IntegrationTests;

/// <summary>
/// Claims 5–6 end to end: a node with the sample catalog, the 830 Northwind orders replayed with orderctl, and the
/// replenishment form compared with one this test computes by itself from the sample files and API.md's formula.
/// </summary>
public class NorthwindTests(ITestOutputHelper output)
{
    private sealed record ExpectedLine(string ManufacturerId, string ManufacturerName, string Sku, long OnHand, long OnOrder,
        long ReorderLevel, long TargetLevel, long Quantity, decimal Value);

    private static List<ExpectedLine> ExpectedForm()
    {
        var catalog = JsonNode.Parse(File.ReadAllText(Repo.Sample("catalog.json")))!;
        var manufacturers = catalog["manufacturers"]!.AsArray().ToDictionary(m => (string)m!["id"]!, m => (string)m!["name"]!);
        var onHand = new Dictionary<string, long>();
        foreach (var line in File.ReadLines(Repo.Sample("orders.ndjson")).Where(l => l.Length > 0))
        {
            var order = JsonNode.Parse(line)!;
            var sign = Expected.StockSign[(string)order["businessCode"]!];
            foreach (var l in order["lines"]!.AsArray())
                onHand[(string)l!["sku"]!] = onHand.GetValueOrDefault((string)l["sku"]!) + sign * (long)l["quantity"]!;
        }

        var lines = new List<ExpectedLine>();
        foreach (var p in catalog["products"]!.AsArray())
        {
            var sku = (string)p!["sku"]!;
            var hand = (long)p["stockOnHand"]! + onHand.GetValueOrDefault(sku);
            var onOrder = (long)p["onOrder"]!;
            var reorder = (long)p["reorderLevel"]!;
            var target = p["targetLevel"] is null ? 2 * reorder : (long)p["targetLevel"]!;
            var position = hand + onOrder;
            if ((bool)p["discontinued"]! || position > reorder || target - position <= 0) continue;
            var quantity = target - position;
            var manufacturer = (string)p["manufacturerId"]!;
            lines.Add(new ExpectedLine(manufacturer, manufacturers[manufacturer], sku, hand, onOrder, reorder, target, quantity,
                quantity * (decimal)p["unitPrice"]!));
        }
        return lines
            .OrderBy(l => l.ManufacturerName, StringComparer.Ordinal).ThenBy(l => l.ManufacturerId, StringComparer.Ordinal)
            .ThenBy(l => l.Sku, StringComparer.Ordinal).ToList();
    }

    private static List<ExpectedLine> Actual(JsonNode form) =>
        form["manufacturers"]!.AsArray().SelectMany(m => m!["lines"]!.AsArray().Select(l => new ExpectedLine(
            (string)m["id"]!, (string)m["name"]!, (string)l!["sku"]!, (long)l["onHand"]!, (long)l["onOrder"]!,
            (long)l["reorderLevel"]!, (long)l["targetLevel"]!, (long)l["quantity"]!, (decimal)l["value"]!))).ToList();

    [Fact]
    public async Task Replaying_northwind_with_orderctl_gives_the_independently_computed_replenishment_form()
    {
        await using var node = await NodeProcess.StartAsync();
        var url = $"http://127.0.0.1:{node.HttpPort}";

        var (code, stdout, stderr) = await Repo.OrderCtlAsync("--node", url, "--json", "orders", "replay", Repo.Sample("orders.ndjson"));
        Assert.True(code == 0, $"orderctl exited {code}: {stdout}\n{stderr}");
        var summary = JsonNode.Parse(stdout)!;
        Assert.Equal(830, (int)summary["accepted"]!);
        Assert.Equal(0, (int)summary["rejected"]!);

        var expected = ExpectedForm();
        List<ExpectedLine> actual = [];
        try
        {
            await Poll.UntilAsync(async () => (actual = Actual((await node.Http.GetJsonAsync("/api/reports/replenishment")).Body!)).SequenceEqual(expected),
                "the form the test computed", seconds: 60);
        }
        catch (TimeoutException)
        {
            Assert.Equal(expected, actual); // names the difference
        }
        output.WriteLine($"form: {expected.Count} lines, {expected.Select(l => l.ManufacturerId).Distinct().Count()} manufacturers");

        var form = (await node.Http.GetJsonAsync("/api/reports/replenishment")).Body!;
        Assert.Equal(expected.Sum(l => l.Quantity), (long)form["totalQuantity"]!);
        Assert.Equal(expected.Sum(l => l.Value), (decimal)form["totalValue"]!);
        foreach (var m in form["manufacturers"]!.AsArray())
            Assert.Equal(m!["lines"]!.AsArray().Sum(l => (long)l!["quantity"]!), (long)m["totalQuantity"]!);

        // the CSV, read as RFC 4180 (quoted fields may hold commas: "Pavlova, Ltd."), row for row the same form
        var csv = await node.Http.GetStringAsync("/api/reports/replenishment?format=csv");
        var rows = ParseCsv(csv);
        Assert.Equal(["manufacturerId", "manufacturerName", "sku", "name", "onHand", "onOrder", "reorderLevel", "targetLevel", "quantity", "unitPrice", "value"], rows[0]);
        Assert.Equal(expected.Count, rows.Count - 1);
        for (var i = 0; i < expected.Count; i++)
        {
            var (e, r) = (expected[i], rows[i + 1]);
            Assert.Equal(11, r.Length);
            Assert.Equal((e.ManufacturerId, e.ManufacturerName, e.Sku), (r[0], r[1], r[2]));
            Assert.Equal((e.OnHand, e.OnOrder, e.ReorderLevel, e.TargetLevel, e.Quantity),
                (long.Parse(r[4], CultureInfo.InvariantCulture), long.Parse(r[5], CultureInfo.InvariantCulture), long.Parse(r[6], CultureInfo.InvariantCulture),
                 long.Parse(r[7], CultureInfo.InvariantCulture), long.Parse(r[8], CultureInfo.InvariantCulture)));
            Assert.Equal(e.Value.ToString("0.00", CultureInfo.InvariantCulture), r[10]);
        }
        Assert.Contains(rows, r => r[1].Contains(',')); // the sample has such a name on the form: quoting is exercised

        // an order of the stream, as a unit sees it: enriched
        var (showCode, show, _) = await Repo.OrderCtlAsync("--node", url, "orders", "show", "10248");
        Assert.Equal(0, showCode);
        Assert.Contains("Queso Cabrales", show);
        Assert.Contains("processed", show);
    }

    /// <summary>RFC 4180: fields split by commas, a quoted field may hold commas, quotes (doubled) and line breaks.</summary>
    private static List<string[]> ParseCsv(string text)
    {
        var rows = new List<string[]>();
        var fields = new List<string>();
        var field = new System.Text.StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"') { field.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else field.Append(c);
            }
            else if (c == '"') quoted = true;
            else if (c == ',') { fields.Add(field.ToString()); field.Clear(); }
            else if (c is '\n' or '\r')
            {
                if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n') i++;
                fields.Add(field.ToString());
                field.Clear();
                rows.Add(fields.ToArray());
                fields.Clear();
            }
            else field.Append(c);
        }
        if (field.Length > 0 || fields.Count > 0) { fields.Add(field.ToString()); rows.Add(fields.ToArray()); }
        return rows;
    }

    [Fact]
    public async Task Orderctl_imports_a_catalog_and_reports_every_bad_row_with_its_line()
    {
        await using var node = await NodeProcess.StartAsync(null, "--no-sample-data");
        var url = $"http://127.0.0.1:{node.HttpPort}";
        var bad = Path.Combine(node.DataDir, "bad.csv");
        Directory.CreateDirectory(node.DataDir);
        await File.WriteAllTextAsync(bad, "sku,name,manufacturerId,unitPrice\n1,Chai,8,18\n2,,8,19\n3,Aniseed Syrup,8,cheap\n");

        var (code, _, stderr) = await Repo.OrderCtlAsync("--node", url, "catalog", "import", bad);
        Assert.Equal(1, code);
        Assert.Contains("line 2: manufacturerId", stderr); // no manufacturer 8 yet: the catalog is empty
        Assert.Contains("line 3: name", stderr);
        Assert.Contains("line 4: unitPrice", stderr);
        Assert.Empty((await node.Http.GetJsonAsync("/api/catalog/products")).Body!.AsArray());

        Assert.Equal(0, (await Repo.OrderCtlAsync("--node", url, "catalog", "import", Repo.Sample("manufacturers.csv"))).ExitCode);
        var (ok, stdout, _) = await Repo.OrderCtlAsync("--node", url, "catalog", "import", Repo.Sample("products.csv"));
        Assert.Equal(0, ok);
        Assert.Contains("77 products", stdout);
        Assert.Equal(77, (await node.Http.GetJsonAsync("/api/catalog/products")).Body!.AsArray().Count);

        var (unreachable, _, _) = await Repo.OrderCtlAsync("--node", "http://127.0.0.1:1", "orders", "show", "1");
        Assert.Equal(3, unreachable);
    }
}
