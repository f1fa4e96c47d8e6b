using System.Globalization;
using System.Text.Json;

namespace OrderActors.Domain.Orders;

/// <summary>Why an order was refused: a malformed/invalid body (400) or a code or SKU we do not know (422).</summary>
public enum RejectionKind
{
    Invalid = 400,
    Unprocessable = 422,
}

/// <summary>The result of reading one order: either an <see cref="Order"/> or the reasons it was refused.</summary>
/// <param name="OrderId">the id as the order is known (NFC, see <see cref="OrderIds"/>), when it could be read</param>
/// <param name="SentOrderId">the id exactly as sent (differs from <see cref="Order"/>'s when it was not in NFC)</param>
public sealed record OrderParseResult(Order? Order, RejectionKind? Rejection, ValidationErrors Errors, string? OrderId, string? SentOrderId = null)
{
    public bool IsValid => Order is not null;
}

/// <summary>
/// Reads and validates an order from JSON by hand, so that every refusal names the field and the reason
/// (a plain deserializer stops at the first type error with a message meant for programmers).
/// Rules are those of API.md: orderId 1–64 chars; businessCode required and known; 1–1,000 lines;
/// sku required; quantity an integer &gt; 0; unitPrice ≥ 0 when given.
/// </summary>
public static partial class OrderParser
{
    public const int MaxOrderIdLength = 64;
    public const int MaxLines = 1000;
    public const int MaxTextLength = 64;

    public static OrderParseResult Parse(JsonElement json, IReadOnlySet<string> knownCodes)
    {
        var errors = new ValidationErrors();
        if (json.ValueKind != JsonValueKind.Object)
        {
            errors.Add("", $"an order must be a JSON object, not {Describe(json.ValueKind)}");
            return new OrderParseResult(null, RejectionKind.Invalid, errors, null);
        }

        // the id's length is that of its NFC form, which it is stored as (shorter, or for a few characters such as U+0958 longer)
        var sentId = Identifier(ReadString(json, "orderId", errors, required: true, int.MaxValue), "orderId", errors);
        var orderId = sentId is null ? null : OrderIds.Canonical(sentId);
        if (orderId is not null && !WithinLength(orderId, MaxOrderIdLength, "orderId", errors)) (sentId, orderId) = (null, null);
        var code = ReadString(json, "businessCode", errors, required: true, MaxTextLength);
        var customerId = ReadString(json, "customerId", errors, required: false, MaxTextLength);
        var placedAt = ReadTimestamp(json, "placedAt", errors);
        var lines = ReadLines(json, errors);

        if (!errors.IsEmpty)
            return new OrderParseResult(null, RejectionKind.Invalid, errors, orderId);

        if (!knownCodes.Contains(code!))
        {
            errors.Add("businessCode",
                $"unknown business code '{code}'; known codes: {string.Join(", ", knownCodes.Order(StringComparer.Ordinal))}");
            return new OrderParseResult(null, RejectionKind.Unprocessable, errors, orderId);
        }

        return new OrderParseResult(new Order(orderId!, code!, customerId, placedAt, lines!), null, errors, orderId, sentId);
    }

    private static string? ReadString(JsonElement json, string name, ValidationErrors errors, bool required, int maxLength,
        string? path = null)
    {
        var field = path ?? name;
        if (!json.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            if (required) errors.Add(field, "is required");
            return null;
        }
        if (value.ValueKind != JsonValueKind.String)
        {
            errors.Add(field, $"must be a string, not {Describe(value.ValueKind)}");
            return null;
        }
        if (Text(value, field, errors) is not { } text) return null;
        if (text.Length == 0 || string.IsNullOrWhiteSpace(text))
        {
            if (required) errors.Add(field, "must not be empty");
            return null;
        }
        return WithinLength(text, maxLength, field, errors) ? text : null;
    }

    /// <summary>
    /// Whether <paramref name="text"/> holds at most <paramref name="maxLength"/> characters, else an error. Characters
    /// are Unicode scalar values: an emoji is one, as a person counts it, not the two UTF-16 units it takes.
    /// </summary>
    private static bool WithinLength(string text, int maxLength, string field, ValidationErrors errors)
    {
        if (text.Length <= maxLength || ScalarCount(text) is var count && count <= maxLength) return true;
        errors.Add(field, $"must be at most {maxLength} characters (got {count})");
        return false;
    }

    /// <summary>
    /// The first character that an id or SKU may not hold, as U+XXXX, or null. Ids go into URLs and logs and are read
    /// back by people: printable characters only (no control, format such as bidi overrides and zero-width
    /// characters, or lone surrogates), and no '/', which a path could not carry.
    /// </summary>
    public static string? NotAllowedInIdentifier(string text) => FirstRefused(text, static c =>
        c == '/' || char.IsControl(c) || char.IsSurrogate(c)
        || CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.Format or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator);

    /// <summary>The first control character or lone surrogate in a name, as U+XXXX, or null (names may hold any other character).</summary>
    public static string? ControlOrLoneSurrogate(string text) => FirstRefused(text, static c => char.IsControl(c) || char.IsSurrogate(c));

    /// <summary>How many Unicode scalar values <paramref name="text"/> holds (a surrogate pair is one).</summary>
    public static int ScalarCount(string text)
    {
        var count = 0;
        foreach (var _ in text.EnumerateRunes()) count++;
        return count;
    }

    /// <summary>Whether a timestamp's text carries its offset (Z or ±hh:mm): one without is ambiguous.</summary>
    public static bool HasOffset(string text) => Offset().IsMatch(text);

    // a valid surrogate pair (an emoji, a rare CJK character) is one character, never refused
    private static string? FirstRefused(string text, Func<char, bool> refused)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
                continue;
            }
            if (refused(c)) return $"U+{(int)c:X4} at {i}";
        }
        return null;
    }

    /// <summary>A JSON string's text, or null with an error: JSON may escape half of a surrogate pair (\uD800 alone), which is not text and cannot be stored.</summary>
    private static string? Text(JsonElement value, string field, ValidationErrors errors)
    {
        try
        {
            return value.GetString()!;
        }
        catch (InvalidOperationException)
        {
            errors.Add(field, "is not valid text: it holds a lone surrogate (U+D800–U+DFFF without its pair) or bytes that are not UTF-8");
            return null;
        }
    }

    private static string? Identifier(string? text, string field, ValidationErrors errors)
    {
        if (text is null || NotAllowedInIdentifier(text) is not { } found) return text;
        errors.Add(field, $"must be printable characters only, without '/' (found {found})");
        return null;
    }

    private static DateTimeOffset? ReadTimestamp(JsonElement json, string name, ValidationErrors errors)
    {
        if (!json.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            return null;
        var text = value.ValueKind == JsonValueKind.String ? Text(value, name, errors) : "";
        if (text is null) return null; // not text: said so
        if (value.ValueKind != JsonValueKind.String
            || !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at))
            errors.Add(name, "must be an ISO 8601 timestamp such as 1996-07-04T00:00:00Z");
        else if (!HasOffset(text))
            errors.Add(name, "must carry its offset (Z or ±hh:mm), e.g. 1996-07-04T00:00:00Z: without one the time is ambiguous");
        else return at;
        return null;
    }

    private static List<OrderLine>? ReadLines(JsonElement json, ValidationErrors errors)
    {
        if (!json.TryGetProperty("lines", out var lines) || lines.ValueKind == JsonValueKind.Null)
        {
            errors.Add("lines", "is required");
            return null;
        }
        if (lines.ValueKind != JsonValueKind.Array)
        {
            errors.Add("lines", $"must be an array, not {Describe(lines.ValueKind)}");
            return null;
        }
        var count = lines.GetArrayLength();
        if (count == 0)
        {
            errors.Add("lines", "must hold at least one line");
            return null;
        }
        if (count > MaxLines)
        {
            errors.Add("lines", $"must hold at most {MaxLines} lines (got {count})");
            return null;
        }

        var result = new List<OrderLine>(count);
        var index = 0;
        foreach (var line in lines.EnumerateArray())
        {
            var prefix = $"lines[{index++}]";
            if (line.ValueKind != JsonValueKind.Object)
            {
                errors.Add(prefix, $"must be an object, not {Describe(line.ValueKind)}");
                continue;
            }
            var sku = Identifier(ReadString(line, "sku", errors, required: true, MaxTextLength, prefix + ".sku"), prefix + ".sku", errors);
            var quantity = ReadQuantity(line, prefix, errors);
            var price = ReadPrice(line, prefix, errors);
            if (sku is not null && quantity is not null && !price.failed)
                result.Add(new OrderLine(sku, quantity.Value, price.value));
        }
        return result.Count == count ? result : null;
    }

    private static int? ReadQuantity(JsonElement line, string prefix, ValidationErrors errors)
    {
        var field = prefix + ".quantity";
        if (!line.TryGetProperty("quantity", out var value) || value.ValueKind == JsonValueKind.Null)
        {
            errors.Add(field, "is required");
            return null;
        }
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out var quantity))
        {
            errors.Add(field, value.ValueKind == JsonValueKind.Number && value.TryGetDecimal(out var big) && big > int.MaxValue && big == decimal.Truncate(big)
                ? $"must be at most 2,147,483,647 (got {value.GetRawText()})"
                : "must be a whole number greater than 0");
            return null;
        }
        if (quantity <= 0)
        {
            errors.Add(field, $"must be greater than 0 (got {quantity})");
            return null;
        }
        return quantity;
    }

    private static (decimal? value, bool failed) ReadPrice(JsonElement line, string prefix, ValidationErrors errors)
    {
        var field = prefix + ".unitPrice";
        if (!line.TryGetProperty("unitPrice", out var value) || value.ValueKind == JsonValueKind.Null)
            return (null, false);
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDecimal(out var price))
        {
            errors.Add(field, "must be a number");
            return (null, true);
        }
        if (price < 0)
        {
            errors.Add(field, $"must be 0 or more (got {price.ToString(CultureInfo.InvariantCulture)})");
            return (null, true);
        }
        return (price, false);
    }

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };

    [System.Text.RegularExpressions.GeneratedRegex(@"T.*(Z|z|[+-]\d{2}(:?\d{2})?)$")]
    private static partial System.Text.RegularExpressions.Regex Offset();
}
