using OrderActors.Domain.Catalog;
using OrderActors.Domain.Orders;

namespace OrderActors.Tests.Domain;

public class CatalogImportTests
{
    private static readonly CatalogSnapshot Existing = CatalogSnapshot.Empty.With(1, [new Manufacturer("8", "Specialty Biscuits")], []);

    [Fact]
    public void A_products_csv_is_read_with_defaults_and_quoted_fields()
    {
        var csv = """
            sku,name,manufacturerId,unitPrice,stockOnHand,onOrder,reorderLevel,targetLevel,discontinued
            1,Chai,8,18.0,39,0,10,,true
            2,"Sir Rodney's ""Scones"", large",8,10,3,40,5,12,false

            """;
        var result = CatalogImport.Parse(csv, isJson: false, Existing);
        Assert.True(result.IsValid, string.Join("; ", result.Errors));
        Assert.Equal(new Product("1", "Chai", "8", 18.0m, 39, 0, 10, null, true), result.Products[0]);
        Assert.Equal("Sir Rodney's \"Scones\", large", result.Products[1].Name);
        Assert.Equal(12, result.Products[1].TargetLevel);
    }

    [Fact]
    public void A_manufacturers_csv_is_recognised_by_its_header()
    {
        var result = CatalogImport.Parse("id,name,country\n1,Exotic Liquids,UK\n", isJson: false, CatalogSnapshot.Empty);
        Assert.Equal([new Manufacturer("1", "Exotic Liquids", "UK")], result.Manufacturers);
    }

    [Fact]
    public void Every_bad_row_is_reported_with_its_line_and_nothing_is_imported()
    {
        var csv = "sku,name,manufacturerId,unitPrice\n1,Chai,8,18\n2,,8,1\n3,\"multi\nline\",99,1\n4,Tea,8,cheap\n1,Chai again,8,1\n5,Ok,8,-1\n";
        var result = CatalogImport.Parse(csv, isJson: false, Existing);
        Assert.False(result.IsValid);
        Assert.Empty(result.Products);
        var byLine = result.Errors.GroupBy(e => e.Line).ToDictionary(g => g.Key, g => g.Select(e => e.Field).ToList());
        Assert.Equal([3, 4, 6, 7, 8], byLine.Keys.Order());
        Assert.Equal(["name"], byLine[3]);
        Assert.Equal(["name", "manufacturerId"], byLine[4]); // the quoted field spans lines 4-5; a line break is no part of a name
        Assert.Equal(["unitPrice"], byLine[6]);
        Assert.Equal(["sku"], byLine[7]);           // duplicate of line 2
        Assert.Equal(["unitPrice"], byLine[8]);
    }

    [Fact]
    public void A_row_with_the_wrong_number_of_fields_is_refused() =>
        Assert.Contains(CatalogImport.Parse("id,name\n1,A,extra\n", isJson: false, CatalogSnapshot.Empty).Errors, e => e.Line == 2 && e.Field == "row");

    [Fact]
    public void A_json_import_takes_manufacturers_and_products_and_a_product_may_use_a_manufacturer_of_the_same_import()
    {
        var json = """
            {
              "manufacturers": [ { "id": "1", "name": "Exotic Liquids", "country": "UK" } ],
              "products": [ { "sku": "2", "name": "Chang", "manufacturerId": "1", "unitPrice": 19, "stockOnHand": 17,
                              "onOrder": 40, "reorderLevel": 25, "targetLevel": null, "discontinued": true } ]
            }
            """;
        var result = CatalogImport.Parse(json, isJson: true, CatalogSnapshot.Empty);
        Assert.True(result.IsValid, string.Join("; ", result.Errors));
        Assert.Equal(new Product("2", "Chang", "1", 19m, 17, 40, 25, null, true), result.Products.Single());
    }

    [Fact]
    public void Json_errors_carry_the_line_where_the_item_opens()
    {
        var json = "{\n \"products\": [\n  { \"sku\": \"1\", \"name\": \"A\", \"manufacturerId\": \"8\", \"unitPrice\": 1 },\n" +
                   "  {\n   \"sku\": \"2\", \"name\": \"B\", \"manufacturerId\": \"8\", \"unitPrice\": \"x\" },\n" +
                   "  { \"sku\": \"3\", \"name\": \"C\", \"manufacturerId\": \"nope\", \"unitPrice\": 1, \"reorderLevel\": 2.5 }\n ]\n}";
        var result = CatalogImport.Parse(json, isJson: true, Existing);
        Assert.Equal([(4, "unitPrice"), (6, "manufacturerId"), (6, "reorderLevel")],
            result.Errors.Select(e => (e.Line, e.Field)).OrderBy(x => x.Line).ThenBy(x => x.Field).ToList());
    }

    [Fact]
    public void Malformed_json_is_one_error_with_its_line() =>
        Assert.Equal(2, CatalogImport.Parse("{\n \"products\": [ }", isJson: true, CatalogSnapshot.Empty).Errors.Single().Line);

    [Fact]
    public void The_shipped_northwind_catalog_is_valid()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(dir.FullName, "OrderActors.sln"))) dir = dir.Parent!;
        var samples = Path.Combine(dir.FullName, "samples", "northwind");

        var json = CatalogImport.Parse(File.ReadAllText(Path.Combine(samples, "catalog.json")), isJson: true, CatalogSnapshot.Empty);
        Assert.True(json.IsValid);
        Assert.Equal((29, 77), (json.Manufacturers.Count, json.Products.Count));

        var manufacturers = CatalogImport.Parse(File.ReadAllText(Path.Combine(samples, "manufacturers.csv")), isJson: false, CatalogSnapshot.Empty);
        var catalog = CatalogSnapshot.Empty.With(1, manufacturers.Manufacturers, []);
        var products = CatalogImport.Parse(File.ReadAllText(Path.Combine(samples, "products.csv")), isJson: false, catalog);
        Assert.Equal(json.Products, products.Products);
        Assert.Equal(json.Manufacturers, manufacturers.Manufacturers);
    }
}

public class EnrichmentTests
{
    private static readonly CatalogSnapshot Catalog = CatalogSnapshot.Empty.With(1,
        [new Manufacturer("5", "Cooperativa de Quesos 'Las Cabras'")],
        [new Product("11", "Queso Cabrales", "5", 21m, 22, 30, 30, null, false)]);

    [Fact]
    public void Lines_get_product_manufacturer_and_the_catalog_price_when_none_is_given()
    {
        var order = TestData.Order("1") with { Lines = [new OrderLine("11", 12, null), new OrderLine("11", 1, 14m)] };
        var (enriched, unknown) = Enrichment.Enrich(order, Catalog);
        Assert.Empty(unknown);
        Assert.Equal(new OrderLine("11", 12, 21m, new ProductInfo("Queso Cabrales"), new ManufacturerInfo("5", "Cooperativa de Quesos 'Las Cabras'")),
            enriched!.Lines[0]);
        Assert.Equal(14m, enriched.Lines[1].UnitPrice);
    }

    [Fact]
    public void Every_unknown_sku_is_named_once()
    {
        var order = TestData.Order("1") with { Lines = [new OrderLine("99", 1, null), new OrderLine("11", 1, null), new OrderLine("98", 1, null), new OrderLine("99", 2, null)] };
        var (enriched, unknown) = Enrichment.Enrich(order, Catalog);
        Assert.Null(enriched);
        Assert.Equal(["99", "98"], unknown);
    }

    [Fact]
    public void The_fingerprint_is_that_of_what_was_sent_not_of_the_enriched_order()
    {
        var sent = TestData.Order("1") with { Lines = [new OrderLine("11", 12, null)] };
        var (enriched, _) = Enrichment.Enrich(sent, Catalog);
        Assert.NotEqual(OrderFingerprint.Compute(sent), OrderFingerprint.Compute(enriched!));
    }
}

public class CatalogValidatorTests
{
    [Theory]
    [InlineData("a\u202Eb", "U+202E at 1")]   // bidi override
    [InlineData("a\u200Bb", "U+200B at 1")]   // zero-width space
    [InlineData("a\u0000b", "U+0000 at 1")]
    [InlineData("\\uD800x", "U+D800 at 0")]   // lone surrogate (escaped: a test case's arguments cannot carry one)
    public void A_sku_or_manufacturer_id_of_unprintable_characters_is_refused_naming_the_character(string id, string found)
    {
        id = System.Text.RegularExpressions.Regex.Unescape(id);
        var errors = new ValidationErrors();
        CatalogValidator.Validate(new Product(id, "Name", "1", 1m, 0, 0, 0, null, false), _ => true, errors);
        Assert.Contains(errors.ToDictionary()["sku"], m => m.Contains(found));
        errors = new ValidationErrors();
        CatalogValidator.Validate(new Manufacturer(id, "Name"), errors);
        Assert.Contains(errors.ToDictionary()["id"], m => m.Contains(found));
    }

    [Fact]
    public void A_name_with_a_control_character_is_refused_and_one_with_an_emoji_is_not()
    {
        var errors = new ValidationErrors();
        CatalogValidator.Validate(new Manufacturer("m1", "Tea\nhouse"), errors);
        Assert.Contains(errors.ToDictionary()["name"], m => m.Contains("U+000A at 3"));
        errors = new ValidationErrors();
        CatalogValidator.Validate(new Manufacturer("m1", "Tea house \U0001F375"), errors);
        Assert.True(errors.IsEmpty, string.Join(";", errors.ToDictionary().SelectMany(e => e.Value)));
    }
}

