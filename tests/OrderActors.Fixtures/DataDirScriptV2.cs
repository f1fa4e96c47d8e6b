using System.Text.Json.Nodes;

namespace OrderActors.Fixtures;

/// <summary>
/// What the v2 data dir fixture (<c>tests/fixtures/datadir/v2</c>) holds: orders whose ids are not in Unicode NFC,
/// posted one by one to a node of the last build that stored ids as sent (2026-12-07, before ids were normalised to
/// NFC). Two of them are one id in two spellings, which that build took as two orders. Frozen, like the data dir.
/// </summary>
public static class DataDirScriptV2
{
    public const string Version = "v2";

    /// <summary>Decomposed only: e + U+0301.</summary>
    public const string Decomposed = "v2-cafe\u0301-1";
    /// <summary>One id in two spellings, two orders then: precomposed (U+00E9, NFC)...</summary>
    public const string TwinComposed = "v2-caf\u00e9-2";
    /// <summary>...and decomposed.</summary>
    public const string TwinDecomposed = "v2-cafe\u0301-2";
    /// <summary>U+212B ANGSTROM SIGN, whose NFC is U+00C5.</summary>
    public const string Angstrom = "v2-\u212B-3";
    public const string Plain = "v2-plain-4";

    /// <summary>Each id with its business code (every one different, so that a view tells which order it is).</summary>
    public static readonly IReadOnlyList<(string Id, string Code)> Ids =
    [
        (Decomposed, "B2C"), (TwinComposed, "PRESALE"), (TwinDecomposed, "SERVICE"), (Angstrom, "RETURN"), (Plain, "B2B"),
    ];

    public static IReadOnlyList<JsonObject> Orders() => Ids.Select((o, i) => new JsonObject
    {
        ["orderId"] = o.Id,
        ["businessCode"] = o.Code,
        ["customerId"] = "VINET",
        ["lines"] = new JsonArray(new JsonObject { ["sku"] = (11 + i).ToString(), ["quantity"] = 1 + i, ["unitPrice"] = 10 + i }),
    }).ToList();
}
