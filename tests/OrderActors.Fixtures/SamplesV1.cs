using OrderActors.Actors.Catalog;
using OrderActors.Actors.Ingest;
using OrderActors.Actors.Inventory;
using OrderActors.Actors.Units;
using OrderActors.Domain.Catalog;
using OrderActors.Domain.Ingest;
using OrderActors.Domain.Orders;
using OrderActors.Domain.Units;

namespace OrderActors.Fixtures;

/// <summary>
/// The values of the v1 golden fixtures (<c>tests/fixtures/messages/v1</c>): one or more of every persisted event and
/// snapshot, as the build of 2026-12-02 wrote them. Frozen: the bytes on disk were written from these values, and
/// every later build must read those bytes back into exactly these values. A later version that changes a stored
/// form adds a <c>SamplesV2</c> and a <c>v2</c> folder beside them; it never edits this file or those bytes.
/// </summary>
public static class SamplesV1
{
    public const string Version = "v1";

    /// <summary>Every type the journals and snapshot stores hold: each must have a fixture in every form it is written in.</summary>
    public static readonly Type[] PersistedTypes =
    [
        typeof(IngestProtocol.OrdersAccepted), typeof(IngestProtocol.DeliveryConfirmed), typeof(IngestProtocol.IngestSnapshot),
        typeof(UnitProtocol.OrdersQueued), typeof(UnitProtocol.OrdersProcessed), typeof(UnitProtocol.UnitQueueSnapshot),
        typeof(CatalogProtocol.CatalogChanged), typeof(CatalogProtocol.CatalogState),
        typeof(InventoryProtocol.StockMoved), typeof(InventoryProtocol.ReceiptRecorded), typeof(InventoryProtocol.StockCounted),
        typeof(InventoryProtocol.InventorySnapshot),
    ];

    private static readonly DateTimeOffset At = new(2026, 11, 24, 15, 39, 41, 33, TimeSpan.Zero);

    /// <summary>A plain, enriched order, as most are.</summary>
    public static AcceptedOrder Plain { get; } = new(
        new Order("10248", "B2B", "VINET", new DateTimeOffset(1996, 7, 4, 0, 0, 0, TimeSpan.Zero),
        [
            new OrderLine("11", 12, 14.0m, new ProductInfo("Queso Cabrales"), new ManufacturerInfo("5", "Cooperativa de Quesos 'Las Cabras'")),
            new OrderLine("42", 10, 9.80m, new ProductInfo("Singaporean Hokkien Fried Mee"), new ManufacturerInfo("20", "Leka Trading")),
        ]),
        FirstQueue: 2, Offset: 1, AcceptedAt: At, Fingerprint: "D7985311390D9F860802D303E0EBD669");

    /// <summary>Every optional part unset or at an edge: text beyond ASCII, offsets other than UTC, extreme numbers.</summary>
    public static AcceptedOrder Varied { get; } = new(
        new Order("ÅÄÖ-中文-🚚", "RETURN", null, new DateTimeOffset(2026, 11, 24, 9, 30, 15, 123, TimeSpan.FromHours(-5.5)),
        [
            new OrderLine("11", -3, null),
            new OrderLine("12", int.MaxValue, 0.0001m, new ProductInfo(""), null),
            new OrderLine("13", 1, decimal.MaxValue, null, new ManufacturerInfo("7", "Pavlova, Ltd.")),
        ]),
        FirstQueue: 3, Offset: long.MaxValue, AcceptedAt: new DateTimeOffset(2026, 11, 24, 14, 0, 0, TimeSpan.FromHours(14)),
        Fingerprint: "4577B2D81294013BB3569FB9CB75DBAE");

    /// <summary>The orders of a queue in the sample snapshots: offsets gapless from 1, a few ids beyond ASCII.</summary>
    public static AcceptedOrder Numbered(int firstQueue, int offset)
    {
        string[] codes = ["B2C", "B2B", "PRESALE", "SERVICE", "TRANSFER", "RETURN"];
        var id = offset % 25 == 0 ? $"Ω-{firstQueue}-{offset}" : $"o-{firstQueue}-{offset:D3}";
        var order = new Order(id, codes[offset % codes.Length], offset % 3 == 0 ? null : "ALFKI",
            At.AddHours(-offset), [new OrderLine((offset % 77 + 1).ToString(), offset % 9 + 1, offset % 4 == 0 ? null : offset * 1.25m)]);
        return new AcceptedOrder(order, firstQueue, offset, At.AddMilliseconds(offset), $"{firstQueue:X8}{offset:X24}");
    }

    public static IngestState IngestState { get; } = BuildIngestState();

    private static IngestState BuildIngestState()
    {
        // 80 orders in three events, 75 delivered: the oldest are trimmed from memory (retain 2), the index holds all
        var ledger = new IngestLedger(retainDelivered: 2);
        ledger.Accept(Enumerable.Range(1, 30).Select(i => Numbered(1, i)).ToList(), sequenceNr: 1);
        ledger.Accept(Enumerable.Range(31, 40).Select(i => Numbered(1, i)).ToList(), sequenceNr: 2);
        ledger.ConfirmDelivered(60);
        ledger.Accept(Enumerable.Range(71, 10).Select(i => Numbered(1, i)).ToList(), sequenceNr: 4);
        ledger.ConfirmDelivered(75);
        return ledger.ToState();
    }

    public static UnitQueueState UnitQueueState { get; } = BuildUnitQueueState();

    private static UnitQueueState BuildUnitQueueState()
    {
        // orders from two first queues in four events; 70 processed (the oldest trimmed, retain 2), a batch in progress
        var ledger = new UnitQueueLedger(retainProcessed: 2);
        var sequenceNr = 0L;
        void Record(int firstQueue, int from, int count, int minute) =>
            ledger.Record(ledger.Admit(Enumerable.Range(from, count).Select(i => Numbered(firstQueue, i)).ToList(), At.AddMinutes(minute)), ++sequenceNr);
        Record(0, 1, 40, 1);
        Record(2, 1, 20, 2);
        ledger.MarkProcessed(50, At.AddMinutes(3), nextBatchEnd: 60);
        sequenceNr++; // the OrdersProcessed event
        Record(0, 41, 20, 4);
        ledger.MarkProcessed(70, At.AddMinutes(5), nextBatchEnd: 78);
        sequenceNr++;
        Record(2, 21, 10, 6);
        return ledger.ToState();
    }

    public static Manufacturer[] Manufacturers { get; } =
    [
        new("5", "Cooperativa de Quesos 'Las Cabras'", "Spain", "Antonio del Valle Saavedra", "(98) 598 76 54"),
        new("7", "Pavlova, Ltd.", "Australia", null, null),
        new("18", "Aux joyeux ecclésiastiques"),
    ];

    public static Product[] Products { get; } =
    [
        new("11", "Queso Cabrales", "5", 21.0m, 22, 30, 30, 70, false),
        new("12", "Queso Manchego La Pastora", "5", 38m, 86, 0, 0, null, false),
        new("17", "Alice Mutton", "7", 39.00m, 0, 0, 0, null, true),
        new("38", "Côte de Blaye", "18", 263.50m, 17, 0, 15, 30, false),
    ];

    /// <summary>Every fixture by name: the same value is written in each form its type is stored in.</summary>
    public static IReadOnlyList<(string Name, object Message)> All { get; } =
    [
        ("orders-accepted", new IngestProtocol.OrdersAccepted([Plain, Varied])),
        ("delivery-confirmed", new IngestProtocol.DeliveryConfirmed(75)),
        ("ingest-snapshot", new IngestProtocol.IngestSnapshot(IngestState)),
        // the form snapshots had before the compact id index (parallel lists), still read
        ("ingest-snapshot-list-index", new IngestProtocol.IngestSnapshot(new IngestState(3, 1, 1,
            [Numbered(1, 1), Numbered(1, 2), Numbered(1, 3)], [1, 3], [1, 2],
            OrderIds: ["o-1-002", "o-1-001", "o-1-003"], Offsets: [2, 1, 3],
            FingerprintsHigh: [0x1_0000_0000, 0x1_0000_0000, 0x1_0000_0000], FingerprintsLow: [2, 1, 3]))),
        ("orders-queued", new UnitProtocol.OrdersQueued(
        [
            new FeedEntry(1, Plain, At.AddSeconds(1), null),
            new FeedEntry(2, Varied, At.AddSeconds(2), new DateTimeOffset(2026, 11, 24, 16, 0, 0, TimeSpan.FromHours(1))),
        ])),
        ("orders-processed", new UnitProtocol.OrdersProcessed(3, At.AddSeconds(3))),
        ("orders-processed-next-batch", new UnitProtocol.OrdersProcessed(3, At.AddSeconds(3), NextBatchEnd: 9)),
        ("unit-queue-snapshot", new UnitProtocol.UnitQueueSnapshot(UnitQueueState)),
        ("catalog-changed", new CatalogProtocol.CatalogChanged(4, Manufacturers, Products)),
        ("catalog-changed-products-only", new CatalogProtocol.CatalogChanged(5, [], [Products[0] with { UnitPrice = 22.5m }])),
        ("catalog-state", new CatalogProtocol.CatalogState(5, Manufacturers, [Products[0] with { UnitPrice = 22.5m }, .. Products[1..]])),
        ("stock-moved", new InventoryProtocol.StockMoved("wms-2", 9,
            [new InventoryProtocol.SkuDelta("11", -12), new InventoryProtocol.SkuDelta("38", 4)],
            [new InventoryProtocol.TallyOpening("38", 17, 0)])),
        ("receipt-recorded", new InventoryProtocol.ReceiptRecorded("11", 100, [])),
        ("receipt-recorded-opening", new InventoryProtocol.ReceiptRecorded("12", 5, [new InventoryProtocol.TallyOpening("12", 86, 0)])),
        ("stock-counted", new InventoryProtocol.StockCounted("11", 40, [])),
        ("stock-counted-opening", new InventoryProtocol.StockCounted("17", -2, [new InventoryProtocol.TallyOpening("17", 0, 0)])),
        ("inventory-snapshot", new InventoryProtocol.InventorySnapshot(
            [new InventoryProtocol.TallyState("11", -3, 30), new InventoryProtocol.TallyState("38", 21, 0)],
            new Dictionary<string, long> { ["wms-2"] = 9, ["wms-0"] = 1_000_001 })),
    ];
}
