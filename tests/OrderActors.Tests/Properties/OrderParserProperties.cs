using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using OrderActors.Domain.Orders;

namespace OrderActors.Tests.Properties;

/// <summary>The order parser over generated input: it never throws, it judges ids by the documented rule, and what it accepts it reads back exactly.</summary>
public class OrderParserProperties
{
    private static readonly IReadOnlySet<string> Codes = new HashSet<string>(["B2B", "RETURN"], StringComparer.Ordinal);

    private static JsonElement Element(JsonNode? node) => JsonDocument.Parse(node?.ToJsonString() ?? "null").RootElement;

    [Property(MaxTest = 500)]
    public Property Any_JSON_value_is_an_order_or_a_refusal_with_its_reasons_never_an_exception() =>
        Prop.ForAll(Generators.Json.ToArbitrary(), node =>
        {
            var result = OrderParser.Parse(Element(node), Codes);
            return result.IsValid ? result.Errors.IsEmpty && result.Rejection is null
                : !result.Errors.IsEmpty && result.Rejection is RejectionKind.Invalid or RejectionKind.Unprocessable;
        });

    [Property(MaxTest = 500)]
    public Property Bytes_that_parse_as_JSON_are_judged_and_bytes_that_do_not_raise_only_JsonException() =>
        Prop.ForAll(Gen.OneOf(Generators.Bytes, Generators.Damaged(Valid("d-1").ToJsonString())).ToArbitrary(), bytes =>
        {
            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = 32, AllowDuplicateProperties = false });
            }
            catch (JsonException)
            {
                return true; // the HTTP layer answers 400 "body: is not well-formed JSON"
            }
            using (document)
            {
                var result = OrderParser.Parse(document.RootElement, Codes);
                return result.IsValid || !result.Errors.IsEmpty;
            }
        });

    [Property(MaxTest = 1000)]
    public Property An_order_id_is_accepted_exactly_when_the_documented_rule_allows_it_and_then_read_back_in_NFC() =>
        Prop.ForAll(Generators.HostileText.ToArbitrary(), id =>
        {
            // written by hand, every character escaped: a JSON writer would replace a lone surrogate, a client need not
            var json = Valid("x").ToJsonString().Replace("\"orderId\":\"x\"", "\"orderId\":" + Escaped(id));
            var result = OrderParser.Parse(JsonDocument.Parse(json).RootElement, Codes);
            // characters are scalar values of the NFC form (docs/API.md, "Orders")
            var printable = OrderParser.NotAllowedInIdentifier(id) is null;
            var canonical = printable ? OrderIds.Canonical(id) : id;
            var allowed = printable && !string.IsNullOrWhiteSpace(id)
                          && OrderParser.ScalarCount(canonical) is > 0 and <= OrderParser.MaxOrderIdLength;
            return allowed == result.IsValid && (!allowed || result.Order!.OrderId == canonical)
                   && (allowed || result.Errors.ToDictionary().ContainsKey("orderId"));
        });

    [Property(MaxTest = 300)]
    public Property A_valid_order_reads_back_field_for_field() =>
        Prop.ForAll(ValidOrders.ToArbitrary(), sent =>
        {
            var node = new JsonObject
            {
                ["orderId"] = sent.OrderId, ["businessCode"] = sent.BusinessCode, ["customerId"] = sent.CustomerId,
                ["placedAt"] = sent.PlacedAt?.ToString("O"),
                ["lines"] = new JsonArray(sent.Lines.Select(l => (JsonNode)new JsonObject
                {
                    ["sku"] = l.Sku, ["quantity"] = l.Quantity, ["unitPrice"] = l.UnitPrice,
                }).ToArray()),
            };
            var parsed = OrderParser.Parse(Element(node), Codes);
            Assert.True(parsed.IsValid, parsed.Errors.Summary());
            var read = parsed.Order!;
            Assert.Equal(sent.OrderId, read.OrderId);
            Assert.Equal(sent.BusinessCode, read.BusinessCode);
            Assert.Equal(sent.CustomerId, read.CustomerId);
            Assert.Equal(sent.PlacedAt, read.PlacedAt);
            if (read.PlacedAt is { } at) Assert.Equal(TimeSpan.Zero, at.Offset); // the instant, kept in UTC
            Assert.Equal(sent.Lines, read.Lines);
            return true;
        });

    internal static Gen<Order> ValidOrders { get; } =
        from id in Generators.Printable
        from code in Gen.Elements("B2B", "RETURN")
        from customer in Gen.OneOf(Gen.Constant<string?>(null), Generators.Printable.Select(s => (string?)s))
        from placedAt in Gen.OneOf(Gen.Constant<DateTimeOffset?>(null),
            Gen.Zip(Gen.Choose(0, 2_000_000_000), Gen.Choose(-14 * 4, 14 * 4))
                .Select(t => (DateTimeOffset?)new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero).AddSeconds(t.Item1).ToOffset(TimeSpan.FromMinutes(t.Item2 * 15))))
        from lines in (from sku in Generators.Printable
                       from quantity in Gen.Choose(1, int.MaxValue)
                       from cents in Gen.OneOf(Gen.Constant<long?>(null), Gen.Choose(0, int.MaxValue).Select(c => (long?)c))
                       select new OrderLine(sku, quantity, cents is { } c ? c / 100m : null)).NonEmptyListOf()
        select new Order(id, code, customer, placedAt, lines.Take(OrderParser.MaxLines).ToList());

    private static string Escaped(string text) =>
        "\"" + string.Concat(text.Select(c => $"\\u{(int)c:X4}")) + "\"";

    private static JsonObject Valid(string id) => new()
    {
        ["orderId"] = id, ["businessCode"] = "B2B",
        ["lines"] = new JsonArray(new JsonObject { ["sku"] = "11", ["quantity"] = 1 }),
    };
}
