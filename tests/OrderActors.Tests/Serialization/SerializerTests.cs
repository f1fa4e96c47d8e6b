using OrderActors.Actors;
using OrderActors.Actors.Security;
using Akka.Actor;
using Akka.Configuration;
using OrderActors.Actors.Catalog;
using OrderActors.Actors.Delivery;
using OrderActors.Fixtures;
using OrderActors.Actors.Ingest;
using OrderActors.Actors.Inventory;
using OrderActors.Actors.Routing;
using OrderActors.Actors.Serialization;
using OrderActors.Actors.Sharding;
using OrderActors.Actors.Units;
using OrderActors.Domain.Catalog;
using System.Runtime.Serialization;
using OrderActors.Domain.Ingest;
using OrderActors.Domain.Orders;
using OrderActors.Domain.Units;
using OrderActors.Domain.Routing;

namespace OrderActors.Tests.Serialization;

public class SerializerTests : Akka.TestKit.Xunit2.TestKit
{
    public SerializerTests() : base(ActorSpecConfig.Config) { }

    public static TheoryData<object> Messages()
    {
        var accepted = TestData.Accepted("10248", "B2B", firstQueue: 2, offset: 7);
        var manufacturer = new Manufacturer("5", "Cooperativa de Quesos 'Las Cabras'", "Spain", "Antonio del Valle Saavedra", "(98) 598 76 54");
        var product = new Product("11", "Queso Cabrales", "5", 21.0m, 22, 30, 30, 70, false);
        var entry = new FeedEntry(3, accepted, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddSeconds(1));
        var data = new TheoryData<object>
        {
            new Wake("ingest-1"),
            StopEntity.Instance,
            new IngestProtocol.SubmitOrders("ingest-2", [new Submission(accepted.Order, accepted.Fingerprint)]),
            new IngestProtocol.SubmitOrders("ingest-2", [new Submission(accepted.Order, accepted.Fingerprint)], 3),
            new IngestProtocol.SubmitResults([new IngestProtocol.SubmitOutcome("10248", AdmitDecision.Conflict, 2)]),
            new IngestProtocol.GetAcceptedOrder("ingest-2", "10248"),
            new IngestProtocol.AcceptedOrderReply(accepted),
            new IngestProtocol.AcceptedOrderReply(null),
            new IngestProtocol.AcceptedOrderReply(accepted, 4),
            new IngestProtocol.RoutingCutRecorded(101, 2),
            new IngestProtocol.GetRecentOrders("ingest-2", 10_000),
            new IngestProtocol.GetRecentOrders("ingest-2", 500, DateTimeOffset.UnixEpoch),
            new IngestProtocol.RecentOrders([new RecentOrder("10248", "B2B", 2, 7, DateTimeOffset.UnixEpoch, 3)], true),
            new IngestProtocol.GetIngestStats("ingest-2"),
            new IngestProtocol.IngestStats("ingest-2", 10, 7, 3),
            new IngestProtocol.IngestStats("ingest-2", 10, 7, 3, [new RoutingCut(4, 2)]),
            new IngestProtocol.OrdersAccepted([accepted]),
            new IngestProtocol.DeliveryConfirmed(7),
            new RouterProtocol.RouteOrders(2, 7, [accepted]),
            new RouterProtocol.RouteOrders(2, 7, [accepted], [new StoredBatch(6, 3), new StoredBatch(7, 4)]),
            new RouterProtocol.RouteOrders(2, 7, [accepted], [new StoredBatch(7, 4)], 5),
            new RouterProtocol.RoutePlan(7, ["erp-2", "wms-2"]),
            new UnitProtocol.EnqueueOrders("erp-2", 2, 7, [accepted]),
            new UnitProtocol.EnqueueOrders("erp-2", 2, 7, [accepted], [new StoredBatch(7, 4)]),
            new UnitProtocol.EnqueueOrders("erp-2", 2, 7, [accepted], [new StoredBatch(7, 4)], 5),
            new UnitProtocol.OrdersEnqueued("erp-2", 7),
            new UnitProtocol.OrdersHeld("erp-2", 8),
            new UnitProtocol.GetUnitOrderStatus("erp-2", "10248", 2, 7),
            new UnitProtocol.UnitOrderStatus("erp-2", entry),
            new UnitProtocol.GetFeed("erp-2", 0, 100),
            new UnitProtocol.FeedPage("erp-2", [entry], 3, 3),
            new UnitProtocol.GetUnitStats("erp-2"),
            new UnitProtocol.UnitQueueStats("erp-2", 3, 2, 1),
            new UnitProtocol.DeliveryProgress("erp-2", 2),
            new UnitProtocol.OrdersQueued([entry with { ProcessedAt = null }]),
            new UnitProtocol.OrderRefsQueued(new QueuedRefs(3, DateTimeOffset.UnixEpoch, null, [new OrderRef(2, 7, 4), new OrderRef(2, 9, 5)])),
            new UnitProtocol.OrderRefsQueued(new QueuedRefs(5, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddSeconds(1), [new OrderRef(0, 1, 1)])),
            new UnitProtocol.OrderRefsQueued(new QueuedRefs(6, DateTimeOffset.UnixEpoch, null, [new OrderRef(0, 2, 2)], 3)),
            new UnitProtocol.OrdersQueued([entry with { ProcessedAt = null, RoutingVersion = 3 }]),
            new UnitProtocol.OrdersProcessed(3, DateTimeOffset.UnixEpoch),
            new UnitProtocol.OrdersProcessed(3, DateTimeOffset.UnixEpoch, NextBatchEnd: 9),
            new UnitProtocol.UnitQueueSnapshot(UnitStateSample(entry)),
            new IngestProtocol.IngestSnapshot(IngestStateSample(accepted)),
            new IngestProtocol.IngestSnapshot(IngestStateSample(accepted), [new RoutingCut(3, 2), new RoutingCut(7, 4)]),
            // a snapshot stored before the compact id index: the index as parallel lists
            new IngestProtocol.IngestSnapshot(new IngestState(7, 6, 5, [accepted], [7], [3],
                OrderIds: ["10248"], Offsets: [7], FingerprintsHigh: [ulong.MaxValue], FingerprintsLow: [42])),
            new CatalogProtocol.UpsertCatalog([manufacturer], [product], OnlyIfEmpty: true),
            new CatalogProtocol.GetCatalog(3),
            new CatalogProtocol.CatalogChanged(4, [manufacturer], [product]),
            new CatalogProtocol.CatalogUnchanged(4),
            new CatalogProtocol.CatalogState(4, [manufacturer], [product, product with { Sku = "12", TargetLevel = null }]),
            new InventoryProtocol.ApplyStockMoves("stock-3", "wms-2", 9, [new InventoryProtocol.SkuMove("11", -12, new InventoryProtocol.Opening(22, 30))]),
            new InventoryProtocol.StockMovesApplied("stock-3", "wms-2", 9),
            new InventoryProtocol.GetTally("stock-3", "11", new InventoryProtocol.Opening(22, 30)),
            new InventoryProtocol.GetTallies("stock-3"),
            new InventoryProtocol.Tallies("stock-3", [new InventoryProtocol.TallyState("11", -3, 30)]),
            new InventoryProtocol.RecordReceipt("stock-3", "11", 5, new InventoryProtocol.Opening(22, 30)),
            new InventoryProtocol.RecordCount("stock-3", "11", 7, new InventoryProtocol.Opening(22, 30)),
            new InventoryProtocol.TallyState("11", -3, 30),
            new InventoryProtocol.StockMoved("wms-2", 9, [new InventoryProtocol.SkuDelta("11", -12)], [new InventoryProtocol.TallyOpening("11", 22, 30)]),
            new InventoryProtocol.ReceiptRecorded("11", 5, []),
            new InventoryProtocol.StockCounted("11", 7, []),
            new InventoryProtocol.InventorySnapshot([new InventoryProtocol.TallyState("11", -3, 30)], new Dictionary<string, long> { ["wms-2"] = 9 }),
            new DeliveryProtocol.Ack("erp-2", 10, 12),
            new DeliveryProtocol.AckResult("erp-2", OrderActors.Domain.Delivery.AckOutcome.Advanced, 10),
            new DeliveryProtocol.GetDelivered("erp-2", 7),
            new DeliveryProtocol.Delivered("erp-2", 7, DateTimeOffset.UnixEpoch, 10),
            new DeliveryProtocol.OrdersDelivered(10, DateTimeOffset.UnixEpoch),
            new DeliveryProtocol.DeliverySnapshot([new DeliveryProtocol.OrdersDelivered(10, DateTimeOffset.UnixEpoch)]),
            new DeliveryProtocol.GetUnitDelivery("erp"),
            new DeliveryProtocol.SetUnitDelivery("erp", new OrderActors.Domain.Delivery.UnitDeliverySettings(OrderActors.Domain.Delivery.DeliveryMode.Webhook,
                "https://erp.example/o", ["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"], 10, TimeSpan.FromSeconds(3))),
            new DeliveryProtocol.UnitDelivery("erp", OrderActors.Domain.Delivery.UnitDeliverySettings.Pull, 2),
            new DeliveryProtocol.GetDeliveryStatus("erp-1"),
            new DeliveryProtocol.DeliveryStatus("erp-1", OrderActors.Domain.Delivery.DeliveryMode.Webhook, 7, 9, 2, "500 Internal Server Error", DateTimeOffset.UnixEpoch, null),
            new DeliveryProtocol.UnitDeliverySet("erp", OrderActors.Domain.Delivery.UnitDeliverySettings.Pull, 1),
            new DeliveryProtocol.ListParked("erp-1", new OrderActors.Domain.Delivery.ParkedFilter("400", DateTimeOffset.UnixEpoch, null, Archived: true)),
            new DeliveryProtocol.ParkedList("erp-1", [SamplesV4.Parked]),
            new DeliveryProtocol.RetryParked("erp-1", [3L, 4L]),
            new DeliveryProtocol.RetryParked("erp-1", null),
            new DeliveryProtocol.ArchiveParked("erp-1", [3L]),
            new DeliveryProtocol.ParkedChanged("erp-1", [3L]),
            new DeliveryProtocol.Replay("erp-1", 12),
            new DeliveryProtocol.ReplayResult("erp-1", true, 11),
            new DeliveryProtocol.ReportStatus("erp-1", 7, SamplesV4.Shipped),
            new DeliveryProtocol.StatusReported("erp-1", 7, [SamplesV4.Shipped]),
            new DeliveryProtocol.PauseUnitDelivery("erp", "maintenance until 14:00", ByReceiver: false),
            new DeliveryProtocol.UnitDelivery("erp", OrderActors.Domain.Delivery.UnitDeliverySettings.Pull, 3,
                new DeliveryProtocol.UnitPause("410 Gone", true, DateTimeOffset.UnixEpoch)),
            new DeliveryProtocol.Delivered("erp-2", 7, null, 10, 3, SamplesV4.Parked, [SamplesV4.Shipped]),
            new DeliveryProtocol.Delivered("erp-2", 12, null, 10, 2, Waiting: "302 Found: a redirect to http://elsewhere/, not followed"),
        };
        foreach (var (_, message) in SamplesV4.All) data.Add(message);
        foreach (var (_, message) in SamplesV5.All) data.Add(message);
        foreach (var (_, message) in SamplesV6.All) data.Add(message);
        foreach (var (_, message) in SamplesV7.All) data.Add(message);
        foreach (var (_, message) in SamplesV8.All) data.Add(message);
        foreach (var (_, message) in SamplesV9.All) data.Add(message);
        foreach (var (_, message) in SamplesV10.All) data.Add(message);
        foreach (var (_, message) in SamplesV11.All) data.Add(message);
        data.Add(new OrderActors.Actors.Routing.RouterProtocol.GetRoutingTables());
        data.Add(new OrderActors.Actors.Routing.RouterProtocol.SetRoutingDraft(SamplesV10.WithCrm, "ops-key"));
        data.Add(new OrderActors.Actors.Routing.RouterProtocol.RoutingDraftRefused([new OrderActors.Domain.Routing.RoutingFieldError("units.erp.queues", "is 4 in the live table")]));
        data.Add(new OrderActors.Actors.Routing.RouterProtocol.PublishRouting(2, "ops-key", "connect the CRM"));
        data.Add(new OrderActors.Actors.Routing.RouterProtocol.RoutingTablesState(SamplesV10.WithCrm, [SamplesV10.Version1, SamplesV10.Version2]));
        data.Add(new OrderActors.Actors.Routing.RouterProtocol.RoutingPublishOutcome(OrderActors.Domain.Routing.PublishVerdict.Invalid,
            [new OrderActors.Domain.Routing.RoutingFieldError("codes.B2C.units[1]", "names unit 'crm', which is not under units")],
            new OrderActors.Actors.Routing.RouterProtocol.RoutingTablesState(null, [SamplesV10.Version1])));
        data.Add(new OrderActors.Actors.Routing.RouterProtocol.RouteOrders(2, 9, [SamplesV8.Traced, SamplesV8.Untraced]));
        data.Add(new UnitProtocol.EnqueueOrders("erp-2", 2, 9, [SamplesV8.Traced, SamplesV8.Untraced]));
        data.Add(new DeliveryProtocol.Delivered("erp-2", 44, null, 40, 2, Failed: [SamplesV7.Refused, SamplesV7.NoAnswer]));
        data.Add(new SecurityProtocol.AddKey(SamplesV5.Consumer));
        data.Add(new SecurityProtocol.RevokeKey("p3r8t6vy2zcd"));
        data.Add(new SecurityProtocol.GetKeys(-1));
        data.Add(new SecurityProtocol.KeysState(2, [SamplesV5.Consumer, SamplesV5.Producer]));
        data.Add(new SecurityProtocol.KeyRevokeResult(true, new SecurityProtocol.KeysState(3, [SamplesV5.Producer])));
        data.Add(new SecurityProtocol.KeysUnchanged(3));
        return data;
    }

    private static IngestState IngestStateSample(OrderActors.Domain.Orders.AcceptedOrder accepted)
    {
        var ledger = new IngestLedger(TestData.RetainDelivered);
        ledger.Accept([accepted with { Offset = 1 }], 1);
        return ledger.ToState();
    }

    private static UnitQueueState UnitStateSample(FeedEntry entry)
    {
        var ledger = new UnitQueueLedger(TestData.Units.RetainProcessed);
        ledger.Record(ledger.Admit([entry.Order], DateTimeOffset.UnixEpoch), 4);
        ledger.MarkProcessed(1, DateTimeOffset.UnixEpoch);
        return ledger.ToState();
    }

    [Theory]
    [MemberData(nameof(Messages))]
    public void Every_message_is_bound_to_our_serializer_and_round_trips(object message)
    {
        var serializer = Sys.Serialization.FindSerializerFor(message);
        Assert.IsType<OrderActorsSerializer>(serializer);

        var bytes = serializer.ToBinary(message);
        var manifest = Akka.Serialization.Serialization.ManifestFor(serializer, message);
        var back = Sys.Serialization.Deserialize(bytes, serializer.Identifier, manifest);

        // field by field: a field dropped on both the writing and the reading side fails here
        DeepEquality.AssertEqual(message, back);
    }

    [Fact]
    public void Every_bound_type_is_covered_by_the_round_trip_test()
    {
        var tested = ((IEnumerable<object[]>)Messages()).Select(row => row[0].GetType()).ToHashSet();
        Assert.All(OrderActorsSerializer.BoundTypes, type => Assert.Contains(type, tested));
    }

    [Fact]
    public void Manifests_are_stable()
    {
        // A stored event is read back by its manifest for as long as the journal lives: never change these.
        var serializer = new OrderActorsSerializer((ExtendedActorSystem)Sys);
        Assert.Equal("ia.b", serializer.Manifest(new IngestProtocol.OrdersAccepted([])));
        Assert.Equal("idc", serializer.Manifest(new IngestProtocol.DeliveryConfirmed(1)));
        Assert.Equal("uq.b", serializer.Manifest(new UnitProtocol.OrdersQueued([])));
        var json = new OrderActorsSerializer((ExtendedActorSystem)Sys, binaryOrders: false);
        Assert.Equal("ia", json.Manifest(new IngestProtocol.OrdersAccepted([])));
        Assert.Equal("uq", json.Manifest(new UnitProtocol.OrdersQueued([])));
        Assert.Equal("up", serializer.Manifest(new UnitProtocol.OrdersProcessed(1, default)));
        Assert.Equal("vsm2", serializer.Manifest(new InventoryProtocol.StockMoved("wms-0", 1, [], [])));
        Assert.Equal("vsn2", serializer.Manifest(new InventoryProtocol.InventorySnapshot([], new Dictionary<string, long>())));
    }

    /// <summary>Orders with every optional part set and unset, offsets other than UTC, and text beyond ASCII.</summary>
    private static IReadOnlyList<AcceptedOrder> VariedOrders()
    {
        var plain = TestData.Accepted("10248", "B2B", firstQueue: 2, offset: 7);
        var varied = new AcceptedOrder(
            new Order("ÅÄÖ-中文-🚚", "RETURN", null, new DateTimeOffset(2026, 11, 24, 9, 30, 15, 123, TimeSpan.FromHours(-5.5)),
            [
                new OrderLine("11", -3, null),
                new OrderLine("12", int.MaxValue, 0.0001m, new ProductInfo("Queso Manchego La Pastora"), new ManufacturerInfo("5", "Cooperativa de Quesos 'Las Cabras'")),
                new OrderLine("13", 1, decimal.MaxValue, new ProductInfo(""), null),
            ]),
            FirstQueue: 3, Offset: long.MaxValue, AcceptedAt: new DateTimeOffset(2026, 11, 24, 14, 0, 0, TimeSpan.FromHours(14)), Fingerprint: "0123456789ABCDEF0123456789ABCDEF",
            Origin: new OrderOrigin("ノード-1.example:4053", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-00"));
        var untraced = plain with { Offset = 8, Origin = new OrderOrigin("127.0.0.1:4053", null) };
        return [plain, varied, untraced];
    }

    [Fact]
    public void Order_carrying_messages_are_binary_and_keep_every_value()
    {
        var serializer = new OrderActorsSerializer((ExtendedActorSystem)Sys);
        var orders = VariedOrders();
        var entries = orders.Select((o, i) => new FeedEntry(i + 1, o, o.AcceptedAt.AddSeconds(1), i == 0 ? null : o.AcceptedAt.AddSeconds(2))).ToList();

        var accepted = (IngestProtocol.OrdersAccepted)serializer.FromBinary(
            serializer.ToBinary(new IngestProtocol.OrdersAccepted(orders)), "ia.b");
        var queued = (UnitProtocol.OrdersQueued)serializer.FromBinary(serializer.ToBinary(new UnitProtocol.OrdersQueued(entries)), "uq.b");
        var delivery = (UnitProtocol.EnqueueOrders)serializer.FromBinary(
            serializer.ToBinary(new UnitProtocol.EnqueueOrders("wms-3", 3, 42, orders)), "ue.b");

        AssertSameOrders(orders, accepted.Orders);
        AssertSameOrders(orders, queued.Entries.Select(e => e.Order).ToList());
        AssertSameOrders(orders, delivery.Orders);
        Assert.Equal(("wms-3", 3, 42L), (delivery.EntityId, delivery.SourceQueue, delivery.DeliveryId));
        for (var i = 0; i < entries.Count; i++)
        {
            Assert.Equal(entries[i].Seq, queued.Entries[i].Seq);
            AssertSameInstant(entries[i].QueuedAt, queued.Entries[i].QueuedAt);
            Assert.Equal(entries[i].ProcessedAt.HasValue, queued.Entries[i].ProcessedAt.HasValue);
            if (entries[i].ProcessedAt is { } processed) AssertSameInstant(processed, queued.Entries[i].ProcessedAt!.Value);
        }
    }

    private static void AssertSameOrders(IReadOnlyList<AcceptedOrder> expected, IReadOnlyList<AcceptedOrder> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            var (e, a) = (expected[i], actual[i]);
            Assert.Equal((e.FirstQueue, e.Offset, e.Fingerprint), (a.FirstQueue, a.Offset, a.Fingerprint));
            AssertSameInstant(e.AcceptedAt, a.AcceptedAt);
            Assert.Equal((e.Order.OrderId, e.Order.BusinessCode, e.Order.CustomerId), (a.Order.OrderId, a.Order.BusinessCode, a.Order.CustomerId));
            Assert.Equal(e.Order.PlacedAt.HasValue, a.Order.PlacedAt.HasValue);
            if (e.Order.PlacedAt is { } placed) AssertSameInstant(placed, a.Order.PlacedAt!.Value);
            Assert.Equal(e.Order.Lines, a.Order.Lines); // records of values: compared by value
            Assert.Equal(e.Origin, a.Origin);
        }
    }

    /// <summary>The same instant and the same offset (DateTimeOffset's equality ignores the offset).</summary>
    private static void AssertSameInstant(DateTimeOffset expected, DateTimeOffset actual) =>
        Assert.Equal((expected.UtcTicks, expected.Offset), (actual.UtcTicks, actual.Offset));

    [Fact]
    public void Events_stored_as_JSON_by_earlier_versions_are_still_read()
    {
        var json = new OrderActorsSerializer((ExtendedActorSystem)Sys, binaryOrders: false);
        var current = new OrderActorsSerializer((ExtendedActorSystem)Sys);
        var orders = VariedOrders();
        var stored = json.ToBinary(new IngestProtocol.OrdersAccepted(orders));
        Assert.Equal((byte)'{', stored[0]);

        AssertSameOrders(orders, ((IngestProtocol.OrdersAccepted)current.FromBinary(stored, "ia")).Orders);
        var entry = new FeedEntry(1, orders[1], orders[1].AcceptedAt, null);
        var queued = (UnitProtocol.OrdersQueued)current.FromBinary(json.ToBinary(new UnitProtocol.OrdersQueued([entry])), "uq");
        AssertSameOrders([orders[1]], [queued.Entries[0].Order]);

        // a unit queue's snapshot in JSON, read and written again in binary, is the same state
        var snapshot = new UnitProtocol.UnitQueueSnapshot(UnitStateSample(entry));
        var fromJson = current.FromBinary(json.ToBinary(snapshot), "usn");
        Assert.Equal(current.ToBinary(snapshot), current.ToBinary(fromJson));
        Assert.Equal("usn.b", current.Manifest(snapshot));
    }

    [Fact]
    public void Format_1_for_a_rolling_upgrade_leaves_out_the_origin_and_every_format_is_read()
    {
        var current = new OrderActorsSerializer((ExtendedActorSystem)Sys);
        var first = new OrderActorsSerializer((ExtendedActorSystem)Sys, binaryOrders: true, binaryFormat: BinaryCodec.FirstVersion);
        var orders = VariedOrders();
        var message = new IngestProtocol.OrdersAccepted(orders);

        var old = first.ToBinary(message);
        Assert.Equal(BinaryCodec.FirstVersion, old[0]);
        AssertSameOrders(orders.Select(o => o with { Origin = null }).ToList(), ((IngestProtocol.OrdersAccepted)current.FromBinary(old, "ia.b")).Orders);

        var now = current.ToBinary(message);
        Assert.Equal(BinaryCodec.Version, now[0]);
        AssertSameOrders(orders, ((IngestProtocol.OrdersAccepted)first.FromBinary(now, "ia.b")).Orders);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    public void A_binary_format_this_node_does_not_write_is_refused_at_start(int format)
    {
        var config = ConfigurationFactory.ParseString($"orderactors.serialization.binary-format = {format}");
        Assert.Contains("writes formats 1 to 4", Assert.Throws<ArgumentOutOfRangeException>(() => OrderActorsSerializer.BinaryFormat(config)).Message);
        Assert.Equal(BinaryCodec.Version, OrderActorsSerializer.BinaryFormat(ConfigurationFactory.Empty));
    }

    [Fact]
    public void The_binary_form_of_an_order_is_less_than_half_its_JSON()
    {
        var json = new OrderActorsSerializer((ExtendedActorSystem)Sys, binaryOrders: false);
        var binary = new OrderActorsSerializer((ExtendedActorSystem)Sys);
        var batch = new IngestProtocol.OrdersAccepted(Enumerable.Range(0, 100).Select(i => VariedOrders()[1] with { Offset = i + 1 }).ToList());
        Assert.True(binary.ToBinary(batch).Length * 2 < json.ToBinary(batch).Length,
            $"binary {binary.ToBinary(batch).Length} B, JSON {json.ToBinary(batch).Length} B");
    }

    [Fact]
    public void A_damaged_binary_payload_is_an_error_not_a_wrong_order()
    {
        var serializer = new OrderActorsSerializer((ExtendedActorSystem)Sys);
        var bytes = serializer.ToBinary(new IngestProtocol.OrdersAccepted(VariedOrders()));

        Assert.Throws<SerializationException>(() => serializer.FromBinary(bytes[..^3], "ia.b"));     // truncated
        Assert.Throws<SerializationException>(() => serializer.FromBinary([.. bytes, 0], "ia.b"));   // trailing bytes
        // a count damaged into billions is refused, not allocated
        byte[] hugeCount = [BinaryCodec.Version, 0xFF, 0xFF, 0xFF, 0xFF, 0x07, 0x01];
        Assert.Throws<SerializationException>(() => serializer.FromBinary(hugeCount, "ia.b"));
        var future = (byte[])bytes.Clone();
        future[0] = BinaryCodec.Version + 1;
        Assert.Contains("newer", Assert.Throws<SerializationException>(() => serializer.FromBinary(future, "ia.b")).Message);
    }

    [Fact]
    public void An_unknown_manifest_is_an_error_not_a_silent_fallback()
    {
        var serializer = new OrderActorsSerializer((ExtendedActorSystem)Sys);
        Assert.Contains("'nope'", Assert.Throws<SerializationException>(() => serializer.FromBinary([], "nope")).Message);
    }
}
