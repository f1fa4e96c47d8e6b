using System.Buffers;
using System.Text.Json;
using OrderActors.Domain.Orders;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;

namespace OrderActors.Node.Http;

/// <summary>
/// Reads a JSON request body under a size limit, refusing with a clear problem: 415 when it is not JSON, 413 when it
/// is larger than the limit (checked on Content-Length and again while reading), 400 when it does not parse.
/// </summary>
public static class JsonBody
{
    public const int OrderLimit = 1024 * 1024;
    public const int BatchLimit = 16 * 1024 * 1024;

    // the web defaults read "5" as 5: intake refuses a number sent as a string, and so does every other body
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web)
    {
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.Strict,
        Converters = { new UtcTimestampConverter() }, // a time without its offset is refused, as in intake
    };

    /// <param name="duplicateKeysPerItem">
    /// a batch: a key given twice fails only the item that holds it (<see cref="DuplicateKey"/>), not the whole body
    /// </param>
    public static async Task<(JsonDocument? Document, JsonHttpResult<ProblemBody>? Error)> ReadAsync(HttpRequest request, int limit, CancellationToken ct,
        bool duplicateKeysPerItem = false)
    {
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var media) || !IsJson(media))
            return (null, Problems.Field(415, "Content-Type",
                $"must be application/json (got '{request.ContentType ?? "none"}')"));
        if (media.Charset.HasValue && media.Charset.Value!.Trim('"') is var charset
                                   && !charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase) && !charset.Equals("utf8", StringComparison.OrdinalIgnoreCase))
            return (null, Problems.Field(415, "Content-Type", $"charset must be utf-8, as JSON is (got '{charset}')"));
        if (request.Headers.ContentEncoding.ToString() is { Length: > 0 } encoding && !encoding.Equals("identity", StringComparison.OrdinalIgnoreCase))
            return (null, Problems.Field(415, "Content-Encoding", $"is not supported (got '{encoding}'): send the body uncompressed"));
        var (bytes, error) = await ReadBytesAsync(request, limit, ct);
        if (error is not null) return (null, error);
        if (bytes.Span.StartsWith(Utf8Bom)) bytes = bytes[Utf8Bom.Length..]; // RFC 8259 §8.1: a parser may ignore it
        if (bytes.Length == 0)
            return (null, Problems.Result(400, "The request body is empty: send a JSON order."));
        try
        {
            // a key given twice would be read as the last one by us and maybe the first by a proxy or a log reader
            return (JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = 32, AllowDuplicateProperties = duplicateKeysPerItem }), null);
        }
        catch (JsonException e)
        {
            return (null, Problems.Field(400, "body", $"is not well-formed JSON: {e.Message}"));
        }
    }

    private static ReadOnlySpan<byte> Utf8Bom => [0xEF, 0xBB, 0xBF];

    /// <summary>The first key given twice in one object of <paramref name="element"/> (at any depth), as a path, or null.</summary>
    public static string? DuplicateKey(JsonElement element, string path = "")
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var seen = new HashSet<string>(StringComparer.Ordinal);
                foreach (var property in element.EnumerateObject())
                {
                    var at = path.Length == 0 ? property.Name : $"{path}.{property.Name}";
                    if (!seen.Add(property.Name)) return at;
                    if (DuplicateKey(property.Value, at) is { } inner) return inner;
                }
                return null;
            case JsonValueKind.Array:
                var i = 0;
                foreach (var item in element.EnumerateArray())
                    if (DuplicateKey(item, $"{path}[{i++}]") is { } inner) return inner;
                return null;
            default:
                return null;
        }
    }

    /// <summary>Reads a JSON body into <typeparamref name="T"/> (web naming); a wrong shape is a 400 naming the member.</summary>
    public static async Task<(T? Body, JsonHttpResult<ProblemBody>? Error)> ReadAsAsync<T>(HttpRequest request, int limit, CancellationToken ct) where T : class
    {
        var (document, error) = await ReadAsync(request, limit, ct);
        if (error is not null) return (null, error);
        using var _ = document;
        try
        {
            return (document!.RootElement.Deserialize<T>(Web) ?? throw new JsonException("the body is null"), null);
        }
        catch (JsonException e)
        {
            var field = e.Path is { Length: > 2 } path ? path.TrimStart('$', '.') : "body";
            return (null, Problems.Field(400, field, $"has the wrong type: {e.Message}"));
        }
    }

    /// <summary>The raw body, at most <paramref name="limit"/> bytes (checked on Content-Length and while reading), else 413.</summary>
    public static async Task<(ReadOnlyMemory<byte> Bytes, JsonHttpResult<ProblemBody>? Error)> ReadBytesAsync(HttpRequest request, int limit, CancellationToken ct)
    {
        if (request.ContentLength > limit)
            return (default, TooLarge(request.ContentLength.Value, limit));

        if (request.ContentLength is { } length)
        {
            // The usual case: read into an array of exactly that size (the server ends the body at Content-Length).
            // An order is a few hundred bytes: a 16 kB read buffer per request was most of what intake allocated.
            var bytes = new byte[length];
            var filled = 0;
            while (filled < bytes.Length)
            {
                var read = await request.Body.ReadAsync(bytes.AsMemory(filled), ct);
                if (read == 0) break;
                filled += read;
            }
            return (bytes.AsMemory(0, filled), null);
        }

        // chunked: no length given, grow as it comes
        var buffer = new ArrayBufferWriter<byte>(4 * 1024);
        while (true)
        {
            var read = await request.Body.ReadAsync(buffer.GetMemory(4 * 1024), ct);
            if (read == 0) break;
            buffer.Advance(read);
            if (buffer.WrittenCount > limit)
                return (default, TooLarge(null, limit));
        }
        return (buffer.WrittenMemory, null);
    }

    private static bool IsJson(MediaTypeHeaderValue media) =>
        media.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase) ||
        media.MediaType.Value?.EndsWith("+json", StringComparison.OrdinalIgnoreCase) == true;

    private static JsonHttpResult<ProblemBody> TooLarge(long? length, int limit) =>
        Problems.Result(413, length is { } l
            ? $"The body is {l:N0} bytes; the limit is {limit:N0} bytes."
            : $"The body is larger than the limit of {limit:N0} bytes.");
}
