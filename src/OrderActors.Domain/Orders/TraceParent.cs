namespace OrderActors.Domain.Orders;

/// <summary>
/// The W3C Trace Context <c>traceparent</c> header (https://www.w3.org/TR/trace-context/#traceparent-header):
/// <c>version-traceid-parentid-flags</c> in lowercase hex. An invalid one is ignored, as the recommendation asks of
/// a receiver (the order is still taken: its trace context is an aid, not part of it); a later version's value is
/// read for its first four fields and passed on as version 00, the one this node speaks.
/// </summary>
public static class TraceParent
{
    private const int Length = 55; // 2 + 1 + 32 + 1 + 16 + 1 + 2

    /// <summary>The header's value in its version-00 form, or null when it is missing or invalid.</summary>
    public static string? Normalize(string? value)
    {
        if (value is null) return null;
        var span = value.AsSpan().Trim();
        if (span.Length < Length || span[2] != '-' || span[35] != '-' || span[52] != '-') return null;
        var version = span[..2];
        if (!IsHex(version) || version.SequenceEqual("ff")) return null;
        // version 00 is exactly this long; a later one may add fields after a dash
        if (version.SequenceEqual("00") ? span.Length != Length : span.Length > Length && span[Length] != '-') return null;
        var traceId = span.Slice(3, 32);
        var parentId = span.Slice(36, 16);
        var flags = span.Slice(53, 2);
        if (!IsHex(traceId) || !IsHex(parentId) || !IsHex(flags) || IsZero(traceId) || IsZero(parentId)) return null;
        return $"00-{traceId}-{parentId}-{flags}";
    }

    /// <summary>The 32-hex-digit trace id of a normalized value.</summary>
    public static string TraceId(string traceParent) => traceParent.Substring(3, 32);

    private static bool IsHex(ReadOnlySpan<char> s)
    {
        foreach (var c in s)
            if (c is not (>= '0' and <= '9' or >= 'a' and <= 'f')) return false;
        return true;
    }

    private static bool IsZero(ReadOnlySpan<char> s) => !s.ContainsAnyExcept('0');
}
