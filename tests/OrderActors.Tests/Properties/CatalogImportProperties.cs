using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using OrderActors.Domain.Catalog;

namespace OrderActors.Tests.Properties;

/// <summary>The catalog import over generated files: never an exception, every refusal on a line, and a valid file imports as written.</summary>
public class CatalogImportProperties
{
    private static readonly CatalogSnapshot Existing = CatalogSnapshot.Empty;

    private static bool Judged(ImportResult result) =>
        result.IsValid ? result.Errors.Count == 0 : result.Products.Count == 0 && result.Manufacturers.Count == 0 && result.Errors.All(e => e.Line >= 0 && e.Field.Length > 0);

    [Property(MaxTest = 500)]
    public Property Any_text_as_CSV_or_JSON_is_imported_or_refused_line_by_line_never_an_exception() =>
        Prop.ForAll(Gen.OneOf(Generators.HostileText, CsvLike, Generators.Json.Select(j => j?.ToJsonString() ?? "null")).ToArbitrary(), text =>
            Judged(CatalogImport.Parse(text, isJson: false, Existing)) && Judged(CatalogImport.Parse(text, isJson: true, Existing)));

    [Property(MaxTest = 300)]
    public Property Products_written_as_CSV_import_field_for_field() =>
        Prop.ForAll(Products.ToArbitrary(), products =>
        {
            var result = CatalogImport.Parse(ProductsCsv(products), isJson: false, Existing.With(1, [new Manufacturer("1", "Maker")], []));
            Assert.True(result.IsValid, string.Join("; ", result.Errors.Select(e => $"{e.Line} {e.Field} {e.Reason}")));
            Assert.Equal(products, result.Products);
            return true;
        });

    [Property(MaxTest = 300)]
    public Property Products_written_as_JSON_import_field_for_field() =>
        Prop.ForAll(Products.ToArbitrary(), products =>
        {
            var json = new JsonObject
            {
                ["manufacturers"] = new JsonArray(new JsonObject { ["id"] = "1", ["name"] = "Maker" }),
                ["products"] = new JsonArray(products.Select(p => (JsonNode)new JsonObject
                {
                    ["sku"] = p.Sku, ["name"] = p.Name, ["manufacturerId"] = p.ManufacturerId, ["unitPrice"] = p.UnitPrice,
                    ["stockOnHand"] = p.StockOnHand, ["onOrder"] = p.OnOrder, ["reorderLevel"] = p.ReorderLevel,
                    ["targetLevel"] = p.TargetLevel, ["discontinued"] = p.Discontinued,
                }).ToArray()),
            };
            var result = CatalogImport.Parse(json.ToJsonString(), isJson: true, Existing);
            Assert.True(result.IsValid, string.Join("; ", result.Errors.Select(e => $"{e.Line} {e.Field} {e.Reason}")));
            Assert.Equal(products, result.Products);
            return true;
        });

    [Property(MaxTest = 500)]
    public Property Escaped_hostile_text_in_a_JSON_import_is_refused_or_kept_as_sent() =>
        Prop.ForAll(Gen.Zip(Generators.HostileText, Generators.HostileText).ToArbitrary(), pair =>
        {
            static string Escaped(string text) => "\"" + string.Concat(text.Select(c => $"\\u{(int)c:X4}")) + "\"";
            var json = $$"""{"manufacturers":[{"id":"1","name":"Maker"}],"products":[{"sku":{{Escaped(pair.Item1)}},"name":{{Escaped(pair.Item2)}},"manufacturerId":"1","unitPrice":1}]}""";
            var result = CatalogImport.Parse(json, isJson: true, Existing);
            return Judged(result) && (!result.IsValid || (result.Products[0].Sku == pair.Item1.Trim() && result.Products[0].Name == pair.Item2.Trim()));
        });

    /// <summary>CSV-shaped noise: a product header, then rows of hostile fields, quotes and numbers out of range.</summary>
    private static Gen<string> CsvLike { get; } =
        Gen.OneOf(Generators.HostileText, Gen.Elements("\"", "\"\"", "1e400", "99999999999999999999", "-1", "2147483648", "NaN", "true", ""))
            .ListOf().Select(fields => string.Join(",", fields)).ListOf()
            .Select(rows => "sku,name,manufacturerId,unitPrice,stockOnHand,onOrder,reorderLevel,targetLevel,discontinued\n" + string.Join("\n", rows));

    private static Gen<List<Product>> Products { get; } =
        (from sku in Generators.Printable.Where(s => !s.Contains(' '))
         from name in Gen.OneOf(Generators.Printable, Gen.Elements("Côte de Blaye", "=cmd|' /C calc'!A0", "a \"quoted\", name", "\U0001F375 tea"))
         from cents in Gen.Choose(0, int.MaxValue)
         from stock in Gen.Choose(0, int.MaxValue)
         from onOrder in Gen.Choose(0, int.MaxValue)
         from reorder in Gen.Choose(0, CatalogValidator.MaxLevel)
         from target in Gen.OneOf(Gen.Constant<int?>(null), Gen.Choose(0, int.MaxValue).Select(t => (int?)t))
         from discontinued in ArbMap.Default.GeneratorFor<bool>()
         select new Product(sku, name, "1", cents / 100m, stock, onOrder, reorder, target, discontinued))
        .NonEmptyListOf().Select(list => list.DistinctBy(p => p.Sku).Take(50).ToList());

    private static string ProductsCsv(IEnumerable<Product> products)
    {
        static string Cell(string s) => s.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + s.Replace("\"", "\"\"") + "\"" : s;
        var csv = new StringBuilder("sku,name,manufacturerId,unitPrice,stockOnHand,onOrder,reorderLevel,targetLevel,discontinued\n");
        foreach (var p in products)
            csv.AppendJoin(',', Cell(p.Sku), Cell(p.Name), Cell(p.ManufacturerId), p.UnitPrice.ToString(CultureInfo.InvariantCulture),
                p.StockOnHand, p.OnOrder, p.ReorderLevel, p.TargetLevel?.ToString() ?? "", p.Discontinued ? "true" : "false").Append('\n');
        return csv.ToString();
    }
}
