using System.Buffers.Binary;
using System.Text;

namespace OrderActors.Receiver;

/// <summary>One span as an OTLP exporter sent it: ids in lowercase hex, attributes as text.</summary>
public sealed record ReceivedSpan(string Scope, string Name, int Kind, string TraceId, string SpanId, string? ParentSpanId,
    IReadOnlyDictionary<string, string> Attributes, IReadOnlyList<ReceivedLink> Links, int StatusCode);

/// <summary>A span's link to another context.</summary>
public sealed record ReceivedLink(string TraceId, string SpanId);

/// <summary>
/// The spans of OTLP/HTTP trace exports (<c>POST /v1/traces</c>, protobuf: <c>ExportTraceServiceRequest</c> of
/// opentelemetry-proto), read field by field from the wire format, so that one can see what a node sends without a
/// collector. Only what a span says about the trace is kept (scope, name, kind, ids, attributes, links, status).
/// </summary>
public sealed class OtlpTraces
{
    private readonly object _gate = new();
    private readonly List<ReceivedSpan> _spans = new();

    public IReadOnlyList<ReceivedSpan> Spans
    {
        get
        {
            lock (_gate) return _spans.ToList();
        }
    }

    public void Add(ReadOnlySpan<byte> request)
    {
        var spans = new List<ReceivedSpan>();
        foreach (var resourceSpans in Fields(request, 1))
            foreach (var scopeSpans in Fields(resourceSpans, 2))
            {
                var scope = Fields(scopeSpans, 1).Select(s => Text(s, 1)).FirstOrDefault() ?? "";
                foreach (var span in Fields(scopeSpans, 2)) spans.Add(Span(scope, span));
            }
        lock (_gate) _spans.AddRange(spans);
    }

    private static ReceivedSpan Span(string scope, byte[] span)
    {
        string? traceId = null, spanId = null, parent = null, name = null;
        int kind = 0, status = 0;
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        var links = new List<ReceivedLink>();
        foreach (var (field, value) in Read(span))
        {
            switch (field)
            {
                case 1: traceId = Convert.ToHexStringLower(value.Bytes); break;
                case 2: spanId = Convert.ToHexStringLower(value.Bytes); break;
                case 4 when value.Bytes.Length > 0: parent = Convert.ToHexStringLower(value.Bytes); break;
                case 5: name = Encoding.UTF8.GetString(value.Bytes); break;
                case 6: kind = (int)value.Number; break;
                case 9:
                    var (key, text) = Attribute(value.Bytes);
                    attributes[key] = text;
                    break;
                case 13:
                    links.Add(new ReceivedLink(Convert.ToHexStringLower(Fields(value.Bytes, 1).FirstOrDefault() ?? []),
                        Convert.ToHexStringLower(Fields(value.Bytes, 2).FirstOrDefault() ?? [])));
                    break;
                case 15:
                    status = (int)Read(value.Bytes).Where(f => f.Field == 3).Select(f => f.Value.Number).FirstOrDefault();
                    break;
            }
        }
        return new ReceivedSpan(scope, name ?? "", kind, traceId ?? "", spanId ?? "", parent, attributes, links, status);
    }

    /// <summary>A <c>KeyValue</c>: its key, and its <c>AnyValue</c> as text (string, bool, int or double).</summary>
    private static (string Key, string Value) Attribute(byte[] keyValue)
    {
        var key = Text(keyValue, 1) ?? "";
        var any = Fields(keyValue, 2).FirstOrDefault() ?? [];
        foreach (var (field, value) in Read(any))
            return field switch
            {
                1 => (key, Encoding.UTF8.GetString(value.Bytes)),
                2 => (key, value.Number != 0 ? "true" : "false"),
                3 => (key, ((long)value.Number).ToString(System.Globalization.CultureInfo.InvariantCulture)),
                4 => (key, BitConverter.UInt64BitsToDouble(value.Number).ToString(System.Globalization.CultureInfo.InvariantCulture)),
                _ => (key, ""),
            };
        return (key, "");
    }

    private static string? Text(byte[] message, int field) => Fields(message, field).Select(b => Encoding.UTF8.GetString(b)).FirstOrDefault();

    private static IEnumerable<byte[]> Fields(ReadOnlySpan<byte> message, int field) =>
        Read(message).Where(f => f.Field == field).Select(f => f.Value.Bytes).ToList();

    private readonly record struct WireValue(ulong Number, byte[] Bytes);

    /// <summary>A message's fields in order: varints and fixed numbers as numbers, length-delimited ones as bytes.</summary>
    private static List<(int Field, WireValue Value)> Read(ReadOnlySpan<byte> message)
    {
        var fields = new List<(int, WireValue)>();
        while (!message.IsEmpty)
        {
            var tag = Varint(ref message);
            var (field, wire) = ((int)(tag >> 3), (int)(tag & 7));
            switch (wire)
            {
                case 0: fields.Add((field, new WireValue(Varint(ref message), []))); break;
                case 1:
                    fields.Add((field, new WireValue(BinaryPrimitives.ReadUInt64LittleEndian(message), [])));
                    message = message[8..];
                    break;
                case 2:
                    var length = (int)Varint(ref message);
                    fields.Add((field, new WireValue(0, message[..length].ToArray())));
                    message = message[length..];
                    break;
                case 5:
                    fields.Add((field, new WireValue(BinaryPrimitives.ReadUInt32LittleEndian(message), [])));
                    message = message[4..];
                    break;
                default: throw new InvalidDataException($"protobuf wire type {wire} is not one OTLP uses");
            }
        }
        return fields;
    }

    private static ulong Varint(ref ReadOnlySpan<byte> message)
    {
        ulong value = 0;
        for (var shift = 0; ; shift += 7)
        {
            var b = message[0];
            message = message[1..];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80) return value;
        }
    }
}
