using System.Text.Json;
using OrderActors.Domain.Orders;

namespace OrderActors.Tests.Domain;

public class OrderParserTests
{
    private static readonly IReadOnlySet<string> Codes = TestData.DefaultRouting().KnownCodes;

    private static OrderParseResult Parse(string json) => OrderParser.Parse(JsonDocument.Parse(json).RootElement, Codes);

    [Fact]
    public void A_valid_order_is_read_with_every_field()
    {
        var result = Parse("""
            { "orderId": "10248", "businessCode": "B2B", "customerId": "VINET", "placedAt": "1996-07-04T00:00:00Z",
              "lines": [ { "sku": "11", "quantity": 12, "unitPrice": 14.0 }, { "sku": "42", "quantity": 10 } ] }
            """);
        Assert.True(result.IsValid);
        var order = result.Order!;
        Assert.Equal("10248", order.OrderId);
        Assert.Equal("B2B", order.BusinessCode);
        Assert.Equal("VINET", order.CustomerId);
        Assert.Equal(new DateTimeOffset(1996, 7, 4, 0, 0, 0, TimeSpan.Zero), order.PlacedAt);
        Assert.Equal([new OrderLine("11", 12, 14.0m), new OrderLine("42", 10, null)], order.Lines);
    }

    [Theory]
    [InlineData("""{ "businessCode": "B2C", "lines": [ { "sku": "1", "quantity": 1 } ] }""", "orderId", "is required")]
    [InlineData("""{ "orderId": "", "businessCode": "B2C", "lines": [ { "sku": "1", "quantity": 1 } ] }""", "orderId", "must not be empty")]
    [InlineData("""{ "orderId": 7, "businessCode": "B2C", "lines": [ { "sku": "1", "quantity": 1 } ] }""", "orderId", "must be a string")]
    [InlineData("""{ "orderId": "1", "lines": [ { "sku": "1", "quantity": 1 } ] }""", "businessCode", "is required")]
    [InlineData("""{ "orderId": "1", "businessCode": "B2C" }""", "lines", "is required")]
    [InlineData("""{ "orderId": "1", "businessCode": "B2C", "lines": [] }""", "lines", "at least one")]
    [InlineData("""{ "orderId": "1", "businessCode": "B2C", "lines": {} }""", "lines", "must be an array")]
    [InlineData("""{ "orderId": "1", "businessCode": "B2C", "lines": [ { "quantity": 1 } ] }""", "lines[0].sku", "is required")]
    [InlineData("""{ "orderId": "1", "businessCode": "B2C", "lines": [ { "sku": "1" } ] }""", "lines[0].quantity", "is required")]
    [InlineData("""{ "orderId": "1", "businessCode": "B2C", "lines": [ { "sku": "1", "quantity": 0 } ] }""", "lines[0].quantity", "greater than 0")]
    [InlineData("""{ "orderId": "1", "businessCode": "B2C", "lines": [ { "sku": "1", "quantity": 1.5 } ] }""", "lines[0].quantity", "whole number")]
    [InlineData("""{ "orderId": "1", "businessCode": "B2C", "lines": [ { "sku": "1", "quantity": "2" } ] }""", "lines[0].quantity", "whole number")]
    [InlineData("""{ "orderId": "1", "businessCode": "B2C", "lines": [ { "sku": "1", "quantity": 2147483648 } ] }""", "lines[0].quantity", "at most 2,147,483,647 (got 2147483648)")]
    [InlineData("""{ "orderId": "1", "businessCode": "B2C", "lines": [ { "sku": "1", "quantity": 1, "unitPrice": -0.01 } ] }""", "lines[0].unitPrice", "0 or more")]
    [InlineData("""{ "orderId": "1", "businessCode": "B2C", "placedAt": "yesterday", "lines": [ { "sku": "1", "quantity": 1 } ] }""", "placedAt", "ISO 8601")]
    [InlineData("""{ "orderId": "1", "businessCode": "B2C", "placedAt": "1996-07-04T00:00:00", "lines": [ { "sku": "1", "quantity": 1 } ] }""", "placedAt", "must carry its offset")]
    [InlineData("""{ "orderId": "1", "businessCode": "B2C", "placedAt": "1996-07-04", "lines": [ { "sku": "1", "quantity": 1 } ] }""", "placedAt", "must carry its offset")]
    [InlineData("""{ "orderId": "a\u0000b", "businessCode": "B2C", "lines": [ { "sku": "1", "quantity": 1 } ] }""", "orderId", "found U+0000 at 1")]
    [InlineData("""{ "orderId": "10248/1", "businessCode": "B2C", "lines": [ { "sku": "1", "quantity": 1 } ] }""", "orderId", "without '/'")]
    [InlineData("""{ "orderId": "10248\r\nX-Injected: 1", "businessCode": "B2C", "lines": [ { "sku": "1", "quantity": 1 } ] }""", "orderId", "found U+000D")]
    [InlineData("""{ "orderId": "abc\u202Efdp.exe", "businessCode": "B2C", "lines": [ { "sku": "1", "quantity": 1 } ] }""", "orderId", "found U+202E")]
    [InlineData("""{ "orderId": "10\u200B248", "businessCode": "B2C", "lines": [ { "sku": "1", "quantity": 1 } ] }""", "orderId", "found U+200B")]
    [InlineData("""{ "orderId": "x\uD800", "businessCode": "B2C", "lines": [ { "sku": "1", "quantity": 1 } ] }""", "orderId", "lone surrogate")]
    [InlineData("""{ "orderId": "1", "businessCode": "B2C", "lines": [ { "sku": "1\t", "quantity": 1 } ] }""", "lines[0].sku", "found U+0009")]
    [InlineData("""{ "orderId": "1", "businessCode": "B2C", "placedAt": "1996-07-04T00:00:00\uDC00", "lines": [ { "sku": "1", "quantity": 1 } ] }""", "placedAt", "lone surrogate")]
    [InlineData("""[ 1 ]""", "", "must be a JSON object")]
    public void An_invalid_order_is_refused_with_the_field_and_the_reason(string json, string field, string reason)
    {
        var result = Parse(json);
        Assert.False(result.IsValid);
        Assert.Equal(RejectionKind.Invalid, result.Rejection);
        var errors = result.Errors.ToDictionary();
        Assert.True(errors.ContainsKey(field), $"expected an error for '{field}', got: {result.Errors.Summary()}");
        Assert.Contains(errors[field], m => m.Contains(reason));
    }

    [Theory]
    [InlineData("Bücher-ü-10248")]
    [InlineData("注文-10248")]
    [InlineData("order-😀-1")]
    [InlineData("A B:C.D_E~F+G@H")]
    public void An_order_id_of_printable_characters_beyond_ascii_is_accepted(string id)
    {
        var result = Parse($$"""{ "orderId": {{System.Text.Json.JsonSerializer.Serialize(id)}}, "businessCode": "B2C", "placedAt": "1996-07-04T02:00:00+02:00", "lines": [ { "sku": "1", "quantity": 1 } ] }""");
        Assert.True(result.IsValid, result.Errors.Summary());
        Assert.Equal(id, result.Order!.OrderId);
    }

    [Fact]
    public void Lengths_count_unicode_scalar_values_so_64_emoji_are_an_id_and_65_are_not()
    {
        string Id(int n) => string.Concat(Enumerable.Repeat("\U0001F600", n));
        Assert.True(Parse($$"""{ "orderId": "{{Id(64)}}", "businessCode": "B2C", "lines": [ { "sku": "1", "quantity": 1 } ] }""").Order is not null);
        var refused = Parse($$"""{ "orderId": "{{Id(65)}}", "businessCode": "B2C", "lines": [ { "sku": "1", "quantity": 1 } ] }""");
        Assert.Equal("must be at most 64 characters (got 65)", refused.Errors.ToDictionary()["orderId"][0]);
    }

    [Theory]
    [InlineData("caf\u00e9-1", "caf\u00e9-1")]         // NFC already: as sent
    [InlineData("cafe\u0301-1", "caf\u00e9-1")]        // e + combining acute: composed
    [InlineData("\u212B-3", "\u00C5-3")]               // ANGSTROM SIGN: its canonical equivalent
    [InlineData("\uD55C\uAD6D-4", "\uD55C\uAD6D-4")]   // Hangul syllables stay
    public void Order_ids_are_normalised_to_NFC_and_the_id_as_sent_is_kept_beside(string sent, string stored)
    {
        var result = Parse($$"""{ "orderId": "{{sent}}", "businessCode": "B2C", "lines": [ { "sku": "1", "quantity": 1 } ] }""");
        Assert.Equal((stored, stored, sent), (result.Order!.OrderId, result.OrderId, result.SentOrderId));
    }

    [Fact]
    public void The_length_limit_counts_the_NFC_form_so_64_decomposed_letters_are_an_id()
    {
        var decomposed = string.Concat(Enumerable.Repeat("e\u0301", 64)); // 128 UTF-16 units, 64 characters once composed
        Assert.Equal(64, Parse($$"""{ "orderId": "{{decomposed}}", "businessCode": "B2C", "lines": [ { "sku": "1", "quantity": 1 } ] }""").Order!.OrderId.Length);
    }

    [Fact]
    public void An_id_whose_NFC_form_is_longer_than_64_characters_is_refused()
    {
        var id = new string('\u0958', 40); // DEVANAGARI LETTER QA: its NFC is two characters
        var refused = Parse($$"""{ "orderId": "{{id}}", "businessCode": "B2C", "lines": [ { "sku": "1", "quantity": 1 } ] }""");
        Assert.Equal("must be at most 64 characters (got 80)", refused.Errors.ToDictionary()["orderId"][0]);
    }

    [Fact]
    public void The_spellings_of_an_id_are_as_asked_then_NFC()
    {
        Assert.Equal(["cafe\u0301-1", "caf\u00e9-1"], OrderIds.Spellings("cafe\u0301-1"));
        Assert.Equal(["caf\u00e9-1"], OrderIds.Spellings("caf\u00e9-1"));
    }

    [Fact]
    public void An_order_id_over_64_characters_is_refused()
    {
        var result = Parse($$"""{ "orderId": "{{new string('x', 65)}}", "businessCode": "B2C", "lines": [ { "sku": "1", "quantity": 1 } ] }""");
        Assert.Contains("at most 64", result.Errors.ToDictionary()["orderId"][0]);
    }

    [Fact]
    public void More_than_1000_lines_are_refused()
    {
        var lines = string.Join(",", Enumerable.Repeat("""{ "sku": "1", "quantity": 1 }""", 1001));
        var result = Parse($$"""{ "orderId": "1", "businessCode": "B2C", "lines": [ {{lines}} ] }""");
        Assert.Contains("at most 1000", result.Errors.ToDictionary()["lines"][0]);
    }

    [Fact]
    public void An_unknown_code_is_unprocessable_and_lists_the_known_codes()
    {
        var result = Parse("""{ "orderId": "1", "businessCode": "WHOLESALE", "lines": [ { "sku": "1", "quantity": 1 } ] }""");
        Assert.Equal(RejectionKind.Unprocessable, result.Rejection);
        Assert.Equal("1", result.OrderId);
        var message = result.Errors.ToDictionary()["businessCode"].Single();
        foreach (var code in Codes) Assert.Contains(code, message);
    }

    [Fact]
    public void Every_fault_of_an_order_is_reported_at_once()
    {
        var result = Parse("""{ "orderId": "", "businessCode": "B2C", "lines": [ { "sku": "", "quantity": -1, "unitPrice": "x" } ] }""");
        Assert.Equal(["lines[0].quantity", "lines[0].sku", "lines[0].unitPrice", "orderId"], result.Errors.ToDictionary().Keys.Order());
    }
}
