using System.Text;
using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;

namespace OrderActors.Tests.Properties;

/// <summary>Generators for the property suite: the hostile kinds of text and JSON an integration sees.</summary>
internal static class Generators
{
    /// <summary>Text that mixes what is allowed with what is not: control, format (bidi, zero-width), lone surrogates, '/', astral, spaces.</summary>
    public static Gen<string> HostileText { get; } =
        Gen.OneOf(
                Gen.Elements('a', 'Z', '7', '-', '_', '.', 'é', 'ß', '中', ' '),
                Gen.Elements('e', '\u0301', '\u0308', '\u212B', '\u1100', '\u1161', '\u0958'), // NFC changes these: combining marks, singletons, jamo, an exclusion
                Gen.Elements('\0', '\n', '\r', '\t', '\u001b', '\u007f', '\u0085'),
                Gen.Elements('\u202e', '\u200b', '\u200d', '\ufeff', '\u2028', '\u2029', '\u00ad'),
                Gen.Elements('\ud800', '\udfff'),
                Gen.Elements('/', '\\', '"', '%', '?', '#'))
            .ArrayOf()
            .Select(chars => new string(chars))
            .Select(s => s.Length > 0 && s[0] == 'a' ? s + "\U0001F600" : s) // now and then a valid surrogate pair
            .Select(s => s.Length > 0 && s[0] == 'Z' ? s + new string('x', 60) : s); // now and then near the length limit

    public static Gen<string> Printable { get; } =
        Gen.Elements("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_.:éß中".ToCharArray())
            .NonEmptyListOf().Select(cs => new string(cs.Take(40).ToArray()));

    /// <summary>Any JSON value, nesting limited, keys drawn from the order's own names and from noise.</summary>
    public static Gen<JsonNode?> Json { get; } = JsonOf(3);

    private static Gen<JsonNode?> JsonOf(int depth)
    {
        var leaf = Gen.OneOf(
            Gen.Constant<JsonNode?>(null),
            ArbMap.Default.GeneratorFor<bool>().Select(b => (JsonNode?)JsonValue.Create(b)),
            ArbMap.Default.GeneratorFor<long>().Select(n => (JsonNode?)JsonValue.Create(n)),
            ArbMap.Default.GeneratorFor<double>().Where(d => double.IsFinite(d)).Select(d => (JsonNode?)JsonValue.Create(d)),
            Gen.Elements(decimal.MaxValue, -1m, 0.1m, 1e-28m).Select(d => (JsonNode?)JsonValue.Create(d)),
            HostileText.Select(s => (JsonNode?)JsonValue.Create(s)),
            Gen.Elements("B2B", "RETURN", "11", "2026-01-01T00:00:00Z", "1996-07-04T00:00:00", "").Select(s => (JsonNode?)JsonValue.Create(s)));
        if (depth == 0) return leaf;
        var key = Gen.OneOf(Gen.Elements("orderId", "businessCode", "customerId", "placedAt", "lines", "sku", "quantity", "unitPrice",
            "manufacturers", "products", "id", "name", "manufacturerId", "stockOnHand"), HostileText);
        var inner = JsonOf(depth - 1);
        var obj = Gen.Zip(key, inner).ListOf().Select(pairs =>
        {
            var o = new JsonObject();
            foreach (var (k, v) in pairs) o[k] = v; // the last of a repeated key wins: a JsonObject holds each key once
            return (JsonNode?)o;
        });
        var array = inner.ListOf().Select(items => (JsonNode?)new JsonArray(items.ToArray()));
        return Gen.Frequency((3, leaf), (2, obj), (1, array));
    }

    public static Gen<byte[]> Bytes { get; } = ArbMap.Default.GeneratorFor<byte[]>();

    /// <summary>JSON text with its UTF-8 bytes hit here and there: the mis-encoded bodies a proxy or a bad client sends.</summary>
    public static Gen<byte[]> Damaged(string json) =>
        Gen.Zip(Gen.Choose(0, Math.Max(0, Encoding.UTF8.GetByteCount(json) - 1)).ListOf(), Gen.Elements<byte>(0x00, 0x80, 0xC0, 0xFF, 0xED, 0x22, 0x5C).ListOf())
            .Select(hits =>
            {
                var bytes = Encoding.UTF8.GetBytes(json);
                foreach (var (at, value) in hits.Item1.Zip(hits.Item2)) bytes[at] = value;
                return bytes;
            });
}
