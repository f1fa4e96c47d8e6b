using System.Buffers;
using System.Runtime.Serialization;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Akka.Actor;
using Akka.Configuration;
using Akka.Serialization;
using OrderActors.Actors.Catalog;
using OrderActors.Actors.Delivery;
using OrderActors.Actors.Ingest;
using OrderActors.Actors.Inventory;
using OrderActors.Actors.Routing;
using OrderActors.Actors.Security;
using OrderActors.Actors.Sharding;
using OrderActors.Actors.Units;

using OrderActors.Actors.Serialization;

namespace OrderActors.Actors;

/// <summary>
/// Our serializer for every persisted or remote message, with short, stable manifests. The messages that carry whole
/// orders (the bulk of what the journals store) are written in a compact binary form (<see cref="OrderCodec"/>);
/// everything else is System.Text.Json with source-generated metadata (no reflection on the hot path). Each feature
/// declares its rows (<see cref="SerializationRows"/>) beside its protocol; this class only combines them. A manifest,
/// once used, is never changed or reused: stored events are read by it for as long as the journal lives, so the JSON
/// manifests of the order-carrying messages stay readable.
/// <para><c>orderactors.serialization.binary-orders = off</c> writes those messages as JSON again: set it during a
/// rolling upgrade from a version that cannot read the binary form, until every node runs this one.
/// <c>orderactors.serialization.binary-format</c> names the binary format written (<see cref="BinaryCodec.Version"/>, or
/// an older one during a rolling upgrade from a version that reads only that: what it lacks is left out).</para>
/// </summary>
public sealed class OrderActorsSerializer : SerializerWithStringManifest
{
    public const int SerializerId = 4711;
    public const string Name = "orderactors";

    /// <summary>Every feature's rows; the serializer only combines them.</summary>
    private static readonly SerializationRows[] Features =
    [
        ShardingSerialization.Rows,
        IngestSerialization.Rows,
        RoutingSerialization.Rows,
        UnitsSerialization.Rows,
        CatalogSerialization.Rows,
        InventorySerialization.Rows,
        DeliverySerialization.Rows,
        SecuritySerialization.Rows,
    ];

    private static readonly JsonRow[] JsonRows = Features.SelectMany(f => f.Json).ToArray();
    private static readonly BinaryRow[] BinaryRows = Features.SelectMany(f => f.Binary).ToArray();

    private static readonly Dictionary<Type, JsonRow> ByType = JsonRows.ToDictionary(b => b.Type);
    private static readonly Dictionary<string, JsonRow> ByManifest = JsonRows.ToDictionary(b => b.Manifest, StringComparer.Ordinal);
    private static readonly Dictionary<Type, BinaryRow> BinaryByType = BinaryRows.ToDictionary(b => b.Type);
    private static readonly Dictionary<string, BinaryRow> BinaryByManifest = BinaryRows.ToDictionary(b => b.Manifest, StringComparer.Ordinal);

    private const int ScratchKeepLimit = 256 * 1024;
    [ThreadStatic] private static ArrayBufferWriter<byte>? _scratch;

    private readonly bool _binaryOrders;
    private readonly byte _binaryFormat;

    public OrderActorsSerializer(ExtendedActorSystem system)
        : this(system, system.Settings.Config.GetBoolean("orderactors.serialization.binary-orders", true),
            BinaryFormat(system.Settings.Config))
    {
    }

    /// <param name="binaryOrders">Write the order-carrying messages in binary form (else as JSON); both are always read.</param>
    /// <param name="binaryFormat">The binary format to write (every one is read).</param>
    public OrderActorsSerializer(ExtendedActorSystem system, bool binaryOrders, byte binaryFormat = BinaryCodec.Version) : base(system)
    {
        _binaryOrders = binaryOrders;
        _binaryFormat = binaryFormat;
    }

    /// <summary>The binary format <c>orderactors.serialization.binary-format</c> names (the newest when unset): one this node writes.</summary>
    public static byte BinaryFormat(Config config)
    {
        var format = config.GetInt("orderactors.serialization.binary-format", BinaryCodec.Version);
        return format is >= BinaryCodec.FirstVersion and <= BinaryCodec.Version
            ? (byte)format
            : throw new ArgumentOutOfRangeException("orderactors.serialization.binary-format", format,
                $"orderactors.serialization.binary-format is {format}; this node writes formats {BinaryCodec.FirstVersion} to {BinaryCodec.Version}");
    }

    public override int Identifier => SerializerId;

    /// <summary>Every message type this serializer knows, for tests and for binding.</summary>
    public static IEnumerable<Type> BoundTypes => JsonRows.Select(b => b.Type);

    public override byte[] ToBinary(object obj)
    {
        if (_binaryOrders && BinaryByType.TryGetValue(obj.GetType(), out var binary))
        {
            // one scratch buffer per thread, reused; a rare large one (a snapshot, a delivery of 1,000 long orders) is not kept
            var output = _scratch ??= new ArrayBufferWriter<byte>(16 * 1024);
            output.ResetWrittenCount();
            var writer = new BinaryCodec.Writer(output, _binaryFormat);
            writer.Byte(_binaryFormat);
            binary.Write(obj, ref writer);
            var bytes = output.WrittenSpan.ToArray();
            if (output.Capacity > ScratchKeepLimit) _scratch = null;
            return bytes;
        }
        if (!ByType.TryGetValue(obj.GetType(), out var binding))
            throw new SerializationException($"{nameof(OrderActorsSerializer)} cannot serialize {obj.GetType()}: add it to its bindings");
        var stored = binding.ToStored?.Invoke(obj) ?? obj;
        if (!binding.Large)
            return JsonSerializer.SerializeToUtf8Bytes(stored, binding.Info);

        // Snapshots run to megabytes. SerializeToUtf8Bytes would rent a buffer of their whole size from the shared
        // array pool, which keeps it afterwards, and a growing buffer leaves a trail of large arrays behind: they are
        // written to pooled 64 kB segments instead, and copied once into the array the journal stores.
        using var buffer = new SegmentedBufferWriter();
        using (var writer = new Utf8JsonWriter(buffer))
            JsonSerializer.Serialize(writer, stored, binding.Info);
        return buffer.ToArray();
    }

    public override object FromBinary(byte[] bytes, string manifest)
    {
        if (BinaryByManifest.TryGetValue(manifest, out var binary))
        {
            var reader = new BinaryCodec.Reader(bytes);
            reader.ExpectVersion(manifest);
            var message = binary.Read(ref reader);
            reader.ExpectEnd(manifest);
            return message;
        }
        if (!ByManifest.TryGetValue(manifest, out var row))
            throw new SerializationException($"{nameof(OrderActorsSerializer)} does not know manifest '{manifest}'");
        var read = JsonSerializer.Deserialize(bytes, row.Info) ?? throw new SerializationException($"manifest '{manifest}' decoded to null");
        return row.FromStored?.Invoke(read) ?? read;
    }

    public override string Manifest(object o)
    {
        if (_binaryOrders && BinaryByType.TryGetValue(o.GetType(), out var binary)) return binary.Manifest;
        return ByType.TryGetValue(o.GetType(), out var binding)
            ? binding.Manifest
            : throw new SerializationException($"{nameof(OrderActorsSerializer)} has no manifest for {o.GetType()}");
    }
}
