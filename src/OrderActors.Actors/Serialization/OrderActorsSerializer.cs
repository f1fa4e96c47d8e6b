using System.Buffers;
using System.Runtime.Serialization;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Akka.Actor;
using Akka.Serialization;
using OrderActors.Actors.Catalog;
using OrderActors.Actors.Ingest;
using OrderActors.Actors.Inventory;
using OrderActors.Actors.Routing;
using OrderActors.Actors.Sharding;
using OrderActors.Actors.Units;

namespace OrderActors.Actors.Serialization;

/// <summary>
/// Our serializer for every persisted or remote message, with short, stable manifests. The messages that carry whole
/// orders (the bulk of what the journals store) are written in a compact binary form (<see cref="OrderBinaryCodec"/>);
/// everything else is System.Text.Json with source-generated metadata (no reflection on the hot path). A manifest,
/// once used, is never changed or reused: stored events are read by it for as long as the journal lives, so the JSON
/// manifests of the order-carrying messages stay readable.
/// <para><c>orderactors.serialization.binary-orders = off</c> writes those messages as JSON again: set it during a
/// rolling upgrade from a version that cannot read the binary form, until every node runs this one.</para>
/// </summary>
public sealed class OrderActorsSerializer : SerializerWithStringManifest
{
    public const int SerializerId = 4711;
    public const string Name = "orderactors";

    private static readonly OrderActorsJsonContext Json = OrderActorsJsonContext.Default;

    private static readonly (Type Type, string Manifest, JsonTypeInfo Info)[] Bindings =
    [
        (typeof(Wake), "w", Json.Wake),
        (typeof(StopEntity), "stop", Json.StopEntity),
        (typeof(IngestProtocol.SubmitOrders), "is", Json.SubmitOrders),
        (typeof(IngestProtocol.SubmitResults), "isr", Json.SubmitResults),
        (typeof(IngestProtocol.GetAcceptedOrder), "iga", Json.GetAcceptedOrder),
        (typeof(IngestProtocol.AcceptedOrderReply), "iar", Json.AcceptedOrderReply),
        (typeof(IngestProtocol.GetIngestStats), "igs", Json.GetIngestStats),
        (typeof(IngestProtocol.IngestStats), "ist", Json.IngestStats),
        (typeof(IngestProtocol.OrdersAccepted), "ia", Json.OrdersAccepted),
        (typeof(IngestProtocol.DeliveryConfirmed), "idc", Json.DeliveryConfirmed),
        (typeof(IngestProtocol.IngestSnapshot), "isn", Json.IngestSnapshot),
        (typeof(RouterProtocol.RouteOrders), "rr", Json.RouteOrders),
        (typeof(RouterProtocol.RoutePlan), "rp", Json.RoutePlan),
        (typeof(UnitProtocol.EnqueueOrders), "ue", Json.EnqueueOrders),
        (typeof(UnitProtocol.OrdersEnqueued), "uea", Json.OrdersEnqueued),
        (typeof(UnitProtocol.OrdersHeld), "ueh", Json.OrdersHeld),
        (typeof(UnitProtocol.GetUnitOrderStatus), "ugo", Json.GetUnitOrderStatus),
        (typeof(UnitProtocol.UnitOrderStatus), "uos", Json.UnitOrderStatus),
        (typeof(UnitProtocol.GetFeed), "ugf", Json.GetFeed),
        (typeof(UnitProtocol.FeedPage), "ufp", Json.FeedPage),
        (typeof(UnitProtocol.GetUnitStats), "ugs", Json.GetUnitStats),
        (typeof(UnitProtocol.UnitQueueStats), "ust", Json.UnitQueueStats),
        (typeof(UnitProtocol.OrdersQueued), "uq", Json.OrdersQueued),
        (typeof(UnitProtocol.OrdersProcessed), "up", Json.OrdersProcessed),
        (typeof(UnitProtocol.UnitQueueSnapshot), "usn", Json.UnitQueueSnapshot),
        (typeof(CatalogProtocol.UpsertCatalog), "cu", Json.UpsertCatalog),
        (typeof(CatalogProtocol.GetCatalog), "cg", Json.GetCatalog),
        (typeof(CatalogProtocol.CatalogChanged), "cc", Json.CatalogChanged),
        (typeof(CatalogProtocol.CatalogUnchanged), "cn", Json.CatalogUnchanged),
        (typeof(CatalogProtocol.CatalogState), "cs", Json.CatalogState),
        // inventory partitions (v2: one entity per partition of SKUs; v1 had one per SKU)
        (typeof(InventoryProtocol.ApplyStockMoves), "vms2", Json.ApplyStockMoves),
        (typeof(InventoryProtocol.StockMovesApplied), "vma2", Json.StockMovesApplied),
        (typeof(InventoryProtocol.GetTally), "vg2", Json.GetTally),
        (typeof(InventoryProtocol.GetTallies), "vgs2", Json.GetTallies),
        (typeof(InventoryProtocol.Tallies), "vts2", Json.Tallies),
        (typeof(InventoryProtocol.RecordReceipt), "vr2", Json.RecordReceipt),
        (typeof(InventoryProtocol.RecordCount), "vc2", Json.RecordCount),
        (typeof(InventoryProtocol.TallyState), "vs2", Json.TallyState),
        (typeof(InventoryProtocol.StockMoved), "vsm2", Json.StockMoved),
        (typeof(InventoryProtocol.ReceiptRecorded), "vrr2", Json.ReceiptRecorded),
        (typeof(InventoryProtocol.StockCounted), "vsc2", Json.StockCounted),
        (typeof(InventoryProtocol.InventorySnapshot), "vsn2", Json.InventorySnapshot),
    ];

    private static readonly Dictionary<Type, (string Manifest, JsonTypeInfo Info)> ByType =
        Bindings.ToDictionary(b => b.Type, b => (b.Manifest, b.Info));

    private static readonly Dictionary<string, JsonTypeInfo> ByManifest =
        Bindings.ToDictionary(b => b.Manifest, b => b.Info, StringComparer.Ordinal);

    // The order-carrying messages in binary form: written under these manifests (their JSON ones above stay readable).
    private delegate void BinaryWrite(object message, ref OrderBinaryCodec.Writer writer);
    private delegate object BinaryRead(ref OrderBinaryCodec.Reader reader);

    private static readonly (Type Type, string Manifest, BinaryWrite Write, BinaryRead Read)[] BinaryBindings =
    [
        (typeof(IngestProtocol.OrdersAccepted), "ia.b",
            (object m, ref OrderBinaryCodec.Writer w) => w.Accepted(((IngestProtocol.OrdersAccepted)m).Orders),
            (ref OrderBinaryCodec.Reader r) => new IngestProtocol.OrdersAccepted(r.AcceptedList())),
        (typeof(UnitProtocol.OrdersQueued), "uq.b",
            (object m, ref OrderBinaryCodec.Writer w) => w.Entries(((UnitProtocol.OrdersQueued)m).Entries),
            (ref OrderBinaryCodec.Reader r) => new UnitProtocol.OrdersQueued(r.Entries())),
        (typeof(UnitProtocol.UnitQueueSnapshot), "usn.b",
            (object m, ref OrderBinaryCodec.Writer w) => w.UnitState(((UnitProtocol.UnitQueueSnapshot)m).State),
            (ref OrderBinaryCodec.Reader r) => new UnitProtocol.UnitQueueSnapshot(r.UnitState())),
        (typeof(UnitProtocol.EnqueueOrders), "ue.b", (object m, ref OrderBinaryCodec.Writer w) =>
            {
                var e = (UnitProtocol.EnqueueOrders)m;
                w.String(e.EntityId);
                w.Count(e.SourceQueue);
                w.VarLong((ulong)e.DeliveryId);
                w.Accepted(e.Orders);
            },
            (ref OrderBinaryCodec.Reader r) => new UnitProtocol.EnqueueOrders(r.String(), r.Count(), (long)r.VarLong(), r.AcceptedList())),
        (typeof(RouterProtocol.RouteOrders), "rr.b", (object m, ref OrderBinaryCodec.Writer w) =>
            {
                var e = (RouterProtocol.RouteOrders)m;
                w.Count(e.FirstQueue);
                w.VarLong((ulong)e.DeliveryId);
                w.Accepted(e.Orders);
            },
            (ref OrderBinaryCodec.Reader r) => new RouterProtocol.RouteOrders(r.Count(), (long)r.VarLong(), r.AcceptedList())),
    ];

    private static readonly Dictionary<Type, (string Manifest, BinaryWrite Write)> BinaryByType =
        BinaryBindings.ToDictionary(b => b.Type, b => (b.Manifest, b.Write));

    private static readonly Dictionary<string, BinaryRead> BinaryByManifest =
        BinaryBindings.ToDictionary(b => b.Manifest, b => b.Read, StringComparer.Ordinal);

    private const int ScratchKeepLimit = 256 * 1024;
    [ThreadStatic] private static ArrayBufferWriter<byte>? _scratch;

    private readonly bool _binaryOrders;

    public OrderActorsSerializer(ExtendedActorSystem system)
        : this(system, system.Settings.Config.GetBoolean("orderactors.serialization.binary-orders", true))
    {
    }

    /// <param name="binaryOrders">Write the order-carrying messages in binary form (else as JSON); both are always read.</param>
    public OrderActorsSerializer(ExtendedActorSystem system, bool binaryOrders) : base(system)
    {
        _binaryOrders = binaryOrders;
    }

    public override int Identifier => SerializerId;

    /// <summary>Every message type this serializer knows, for tests and for binding.</summary>
    public static IEnumerable<Type> BoundTypes => Bindings.Select(b => b.Type);

    public override byte[] ToBinary(object obj)
    {
        if (_binaryOrders && BinaryByType.TryGetValue(obj.GetType(), out var binary))
        {
            // one scratch buffer per thread, reused; a rare large one (a snapshot, a delivery of 1,000 long orders) is not kept
            var output = _scratch ??= new ArrayBufferWriter<byte>(16 * 1024);
            output.ResetWrittenCount();
            var writer = new OrderBinaryCodec.Writer(output);
            writer.Byte(OrderBinaryCodec.Version);
            binary.Write(obj, ref writer);
            var bytes = output.WrittenSpan.ToArray();
            if (output.Capacity > ScratchKeepLimit) _scratch = null;
            return bytes;
        }
        if (!ByType.TryGetValue(obj.GetType(), out var binding))
            throw new SerializationException($"{nameof(OrderActorsSerializer)} cannot serialize {obj.GetType()}: add it to its bindings");
        if (obj is not (IngestProtocol.IngestSnapshot or UnitProtocol.UnitQueueSnapshot))
            return JsonSerializer.SerializeToUtf8Bytes(obj, binding.Info);

        // Snapshots run to megabytes. SerializeToUtf8Bytes would rent a buffer of their whole size from the shared
        // array pool, which keeps it afterwards, and a growing buffer leaves a trail of large arrays behind: they are
        // written to pooled 64 kB segments instead, and copied once into the array the journal stores.
        using var buffer = new SegmentedBufferWriter();
        using (var writer = new Utf8JsonWriter(buffer))
            JsonSerializer.Serialize(writer, obj, binding.Info);
        return buffer.ToArray();
    }

    public override object FromBinary(byte[] bytes, string manifest)
    {
        if (BinaryByManifest.TryGetValue(manifest, out var read))
        {
            var reader = new OrderBinaryCodec.Reader(bytes);
            reader.ExpectVersion(manifest);
            var message = read(ref reader);
            reader.ExpectEnd(manifest);
            return message;
        }
        return ByManifest.TryGetValue(manifest, out var info)
            ? JsonSerializer.Deserialize(bytes, info) ?? throw new SerializationException($"manifest '{manifest}' decoded to null")
            : throw new SerializationException($"{nameof(OrderActorsSerializer)} does not know manifest '{manifest}'");
    }

    public override string Manifest(object o)
    {
        if (_binaryOrders && BinaryByType.TryGetValue(o.GetType(), out var binary)) return binary.Manifest;
        return ByType.TryGetValue(o.GetType(), out var binding)
            ? binding.Manifest
            : throw new SerializationException($"{nameof(OrderActorsSerializer)} has no manifest for {o.GetType()}");
    }
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UseStringEnumConverter = true)]
[JsonSerializable(typeof(Wake))]
[JsonSerializable(typeof(StopEntity))]
[JsonSerializable(typeof(IngestProtocol.SubmitOrders))]
[JsonSerializable(typeof(IngestProtocol.SubmitResults))]
[JsonSerializable(typeof(IngestProtocol.GetAcceptedOrder))]
[JsonSerializable(typeof(IngestProtocol.AcceptedOrderReply))]
[JsonSerializable(typeof(IngestProtocol.GetIngestStats))]
[JsonSerializable(typeof(IngestProtocol.IngestStats))]
[JsonSerializable(typeof(IngestProtocol.OrdersAccepted))]
[JsonSerializable(typeof(IngestProtocol.DeliveryConfirmed))]
[JsonSerializable(typeof(RouterProtocol.RouteOrders))]
[JsonSerializable(typeof(RouterProtocol.RoutePlan))]
[JsonSerializable(typeof(UnitProtocol.EnqueueOrders))]
[JsonSerializable(typeof(UnitProtocol.OrdersEnqueued))]
[JsonSerializable(typeof(UnitProtocol.OrdersHeld))]
[JsonSerializable(typeof(UnitProtocol.GetUnitOrderStatus))]
[JsonSerializable(typeof(UnitProtocol.UnitOrderStatus))]
[JsonSerializable(typeof(UnitProtocol.GetFeed))]
[JsonSerializable(typeof(UnitProtocol.FeedPage))]
[JsonSerializable(typeof(UnitProtocol.GetUnitStats))]
[JsonSerializable(typeof(UnitProtocol.UnitQueueStats))]
[JsonSerializable(typeof(UnitProtocol.OrdersQueued))]
[JsonSerializable(typeof(UnitProtocol.OrdersProcessed))]
[JsonSerializable(typeof(CatalogProtocol.UpsertCatalog))]
[JsonSerializable(typeof(CatalogProtocol.GetCatalog))]
[JsonSerializable(typeof(CatalogProtocol.CatalogChanged))]
[JsonSerializable(typeof(CatalogProtocol.CatalogUnchanged))]
[JsonSerializable(typeof(CatalogProtocol.CatalogState))]
[JsonSerializable(typeof(UnitProtocol.UnitQueueSnapshot))]
[JsonSerializable(typeof(IngestProtocol.IngestSnapshot))]
[JsonSerializable(typeof(InventoryProtocol.ApplyStockMoves))]
[JsonSerializable(typeof(InventoryProtocol.StockMovesApplied))]
[JsonSerializable(typeof(InventoryProtocol.GetTally))]
[JsonSerializable(typeof(InventoryProtocol.GetTallies))]
[JsonSerializable(typeof(InventoryProtocol.Tallies))]
[JsonSerializable(typeof(InventoryProtocol.RecordReceipt))]
[JsonSerializable(typeof(InventoryProtocol.RecordCount))]
[JsonSerializable(typeof(InventoryProtocol.TallyState))]
[JsonSerializable(typeof(InventoryProtocol.StockMoved))]
[JsonSerializable(typeof(InventoryProtocol.ReceiptRecorded))]
[JsonSerializable(typeof(InventoryProtocol.StockCounted))]
[JsonSerializable(typeof(InventoryProtocol.InventorySnapshot))]
internal sealed partial class OrderActorsJsonContext : JsonSerializerContext;
