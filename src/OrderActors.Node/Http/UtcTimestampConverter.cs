using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace OrderActors.Node.Http;

/// <summary>Writes timestamps as UTC with millisecond precision and a Z, as API.md shows (<c>2026-11-24T10:00:00.123Z</c>).</summary>
public sealed class UtcTimestampConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.GetDateTimeOffset();

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
}
