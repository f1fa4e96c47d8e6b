using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace OrderActors.Domain.Orders;

/// <summary>
/// Writes timestamps as UTC with millisecond precision and a Z, as API.md shows (<c>2026-11-24T10:00:00.123Z</c>).
/// Reads only a time that carries its offset (Z or ±hh:mm), as intake does for placedAt: one without is ambiguous.
/// </summary>
public sealed class UtcTimestampConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String && reader.GetString() is { } text && !OrderParser.HasOffset(text))
            throw new JsonException($"a time needs its offset, Z or ±hh:mm (got '{text}')");
        return reader.GetDateTimeOffset();
    }

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
}
