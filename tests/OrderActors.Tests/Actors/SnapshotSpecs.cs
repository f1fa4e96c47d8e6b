using OrderActors.Domain.Inventory;
using Akka.Actor;
using Akka.Event;
using OrderActors.Actors.Catalog;
using OrderActors.Actors.Ingest;
using OrderActors.Actors.Inventory;
using OrderActors.Actors.Routing;
using OrderActors.Actors.Sharding;
using OrderActors.Actors.Units;
using OrderActors.Domain.Catalog;
using OrderActors.Domain.Ingest;
using Xunit.Abstractions;

namespace OrderActors.Tests.Actors;

// Each snapshotting entity on a real SQLite journal and snapshot store: it crosses its snapshot threshold, and
// either the snapshot is stored (the events it covers are then deleted from the journal table, so a restart can
// only have its state from the snapshot) or the database refuses it (the entity goes on, and a restart has its
// state from every event, and snapshots again once the store takes writes). Either way the restarted entity holds
// exactly the state it had.

public sealed class FirstQueueSnapshotSpecs(ITestOutputHelper output) : SqliteSpec(output)
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_first_queue_restarts_with_its_whole_state_from_its_snapshot_or_after_a_failed_one_from_its_events(bool snapshotWriteFails)
    {
        var warnings = SnapshotWarnings();
        if (snapshotWriteFails) RefuseSnapshotWrites();
        var router = CreateTestProbe();
        var props = IngestActor.PropsFor(FirstQueueId.Parse("ingest-0"), router, TestData.Settings(TimeSpan.Zero) with { RetainDelivered = 5, SnapshotEvery = 20 });
        var ingest = Sys.ActorOf(props);
        string Id(int offset) => $"q{offset:D3}";
        void Submit(int from, int to)
        {
            ingest.Tell(new IngestProtocol.SubmitOrders("ingest-0", Enumerable.Range(from, to - from + 1).Select(i => IngestActorSpecs.Submit(Id(i))).ToList()));
            var outcomes = ExpectMsg<IngestProtocol.SubmitResults>(TimeSpan.FromSeconds(10)).Outcomes;
            Assert.Equal(Enumerable.Range(from, to - from + 1).Select(i => (Id(i), AdmitDecision.Accept)), outcomes.Select(o => (o.OrderId, o.Decision)));
        }

        Submit(1, 80); // a snapshot is due: 80 orders, none delivered
        var delivery = router.ExpectMsg<RouterProtocol.RouteOrders>(TimeSpan.FromSeconds(10));
        Assert.Equal((1L, 80L), (delivery.Orders[0].Offset, delivery.Orders[^1].Offset));
        router.Reply(new RouterProtocol.RoutePlan(delivery.DeliveryId, ["erp-0"]));
        ingest.Tell(new UnitProtocol.OrdersEnqueued("erp-0", delivery.DeliveryId), router);
        AwaitAssert(() =>
        {
            ingest.Tell(new IngestProtocol.GetIngestStats("ingest-0"));
            Assert.Equal(0, ExpectMsg<IngestProtocol.IngestStats>().Pending); // delivered: all but the latest 5 leave memory
        });
        Submit(81, 110); // due again (at least a quarter of all it holds): 110 orders, 80 delivered
        router.ExpectMsg<RouterProtocol.RouteOrders>(TimeSpan.FromSeconds(10)); // never confirmed
        Submit(111, 115); // not due: after the snapshot

        if (snapshotWriteFails)
        {
            warnings.FishForMessage<Warning>(IsSnapshotFailure, TimeSpan.FromSeconds(10));
            warnings.FishForMessage<Warning>(IsSnapshotFailure, TimeSpan.FromSeconds(10));
            Assert.Null(LatestSnapshot("ingest-0"));
        }
        else
        {
            var snapshot = AwaitSnapshot("ingest-0", atLeast: 2);
            var state = ((IngestProtocol.IngestSnapshot)snapshot.Snapshot).State;
            Assert.Equal((110L, 80L, 76L, 35), (state.LastOffset, state.DeliveredUpTo, state.TailStart, state.Tail.Count));
            DeleteEventsUpTo("ingest-0", snapshot.Metadata.SequenceNr);
        }
        ingest.Tell(StopEntity.Instance); // as in a hand-off: stores the delivery marker first
        Watch(ingest);
        ExpectTerminated(ingest, TimeSpan.FromSeconds(10));

        var revivedRouter = CreateTestProbe();
        var revived = Sys.ActorOf(IngestActor.PropsFor(FirstQueueId.Parse("ingest-0"), revivedRouter, TestData.Settings(TimeSpan.Zero) with { RetainDelivered = 5, SnapshotEvery = 20 }));
        revived.Tell(new IngestProtocol.GetIngestStats("ingest-0"));
        var stats = ExpectMsg<IngestProtocol.IngestStats>(TimeSpan.FromSeconds(10));
        Assert.Equal(new IngestProtocol.IngestStats("ingest-0", 115, 80, 35), stats with { Cuts = null });
        Assert.Empty(stats.Cuts!);
        // what was not confirmed is delivered again, from where confirmation stopped
        var redelivered = revivedRouter.ExpectMsg<RouterProtocol.RouteOrders>(TimeSpan.FromSeconds(10));
        Assert.Equal(Enumerable.Range(81, 35).Select(Id), redelivered.Orders.Select(o => o.OrderId));
        // every order it ever accepted is known: sent again, a duplicate; other content under its id, a conflict
        revived.Tell(new IngestProtocol.SubmitOrders("ingest-0", Enumerable.Range(1, 115).Select(i => IngestActorSpecs.Submit(Id(i))).ToList()));
        Assert.All(ExpectMsg<IngestProtocol.SubmitResults>(TimeSpan.FromSeconds(10)).Outcomes, o => Assert.Equal(AdmitDecision.Duplicate, o.Decision));
        revived.Tell(new IngestProtocol.SubmitOrders("ingest-0", [IngestActorSpecs.Submit(Id(3), "B2B"), IngestActorSpecs.Submit(Id(116))]));
        Assert.Equal([AdmitDecision.Conflict, AdmitDecision.Accept], ExpectMsg<IngestProtocol.SubmitResults>(TimeSpan.FromSeconds(10)).Outcomes.Select(o => o.Decision));
        revived.Tell(new IngestProtocol.GetAcceptedOrder("ingest-0", Id(116)));
        Assert.Equal(116, ExpectMsg<IngestProtocol.AcceptedOrderReply>().Order!.Offset);

        if (snapshotWriteFails)
        {
            // order 116 made a snapshot due, refused too; once the store takes writes, the next one due is stored
            AcceptSnapshotWrites();
            revived.Tell(new IngestProtocol.SubmitOrders("ingest-0", Enumerable.Range(117, 50).Select(i => IngestActorSpecs.Submit(Id(i))).ToList()));
            ExpectMsg<IngestProtocol.SubmitResults>(TimeSpan.FromSeconds(10));
            AwaitAssert(() => Assert.Equal(166, ((IngestProtocol.IngestSnapshot)LatestSnapshot("ingest-0")!.Snapshot).State.LastOffset), TimeSpan.FromSeconds(10));
        }
    }
}

public sealed class UnitQueueSnapshotSpecs(ITestOutputHelper output) : SqliteSpec(output)
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_unit_queue_restarts_with_its_whole_state_from_its_snapshot_or_after_a_failed_one_from_its_events(bool snapshotWriteFails)
    {
        var warnings = SnapshotWarnings();
        if (snapshotWriteFails) RefuseSnapshotWrites();
        var props = TestData.UnitQueue("erp-1", retainProcessed: 5, snapshotEvery: 20);
        var unit = Sys.ActorOf(props);
        string Id(int firstQueue, int offset) => $"u{firstQueue}-{offset:D3}";
        void Deliver(IActorRef to, int firstQueue, int from, int to_, long deliveryId)
        {
            to.Tell(new UnitProtocol.EnqueueOrders("erp-1", firstQueue, deliveryId,
                Enumerable.Range(from, to_ - from + 1).Select(i => TestData.Accepted(Id(firstQueue, i), firstQueue: firstQueue, offset: i)).ToList()));
            Assert.Equal(new UnitProtocol.OrdersEnqueued("erp-1", deliveryId), ExpectMsg<UnitProtocol.OrdersEnqueued>(TimeSpan.FromSeconds(10)));
        }
        // seq 1-90 from first queue 1, then 91-100 from first queue 3
        Deliver(unit, 1, 1, 30, 1);
        Deliver(unit, 1, 31, 60, 2);
        Deliver(unit, 1, 61, 90, 3);
        Deliver(unit, 3, 1, 10, 1);
        AwaitAssert(() =>
        {
            unit.Tell(new UnitProtocol.GetUnitStats("erp-1"));
            Assert.Equal(new UnitProtocol.UnitQueueStats("erp-1", 100, 100, 0), ExpectMsg<UnitProtocol.UnitQueueStats>());
        }, TimeSpan.FromSeconds(10));

        if (snapshotWriteFails)
        {
            warnings.FishForMessage<Warning>(IsSnapshotFailure, TimeSpan.FromSeconds(10));
            Assert.Null(LatestSnapshot("unit-erp-1"));
        }
        else
        {
            var snapshot = AwaitSnapshot("unit-erp-1", atLeast: 1);
            Assert.InRange(((UnitProtocol.UnitQueueSnapshot)snapshot.Snapshot).State.LastSeq, 20, 100);
            // the latest: the queue takes no more orders below, so none can follow it
            DeleteEventsUpTo("unit-erp-1", snapshot.Metadata.SequenceNr);
        }
        StopAndWait(unit);

        var revived = Sys.ActorOf(props);
        revived.Tell(new UnitProtocol.GetUnitStats("erp-1"));
        Assert.Equal(new UnitProtocol.UnitQueueStats("erp-1", 100, 100, 0), ExpectMsg<UnitProtocol.UnitQueueStats>(TimeSpan.FromSeconds(10)));
        revived.Tell(new UnitProtocol.GetFeed("erp-1", 95, 100));
        var page = ExpectMsg<UnitProtocol.FeedPage>();
        Assert.Equal(Enumerable.Range(6, 5).Select(i => Id(3, i)), page.Entries.Select(e => e.OrderId));
        Assert.Equal(Enumerable.Range(96, 5).Select(i => (long)i), page.Entries.Select(e => e.Seq));
        Assert.All(page.Entries, e => Assert.NotNull(e.ProcessedAt));
        if (snapshotWriteFails)
        {
            // nothing was deleted: the oldest page is read back from the journal
            revived.Tell(new UnitProtocol.GetFeed("erp-1", 0, 100));
            Assert.Equal(Enumerable.Range(1, 90).Select(i => Id(1, i)).Concat(Enumerable.Range(1, 10).Select(i => Id(3, i))),
                ExpectMsg<UnitProtocol.FeedPage>(TimeSpan.FromSeconds(10)).Entries.Select(e => e.OrderId));
        }
        revived.Tell(new UnitProtocol.GetUnitOrderStatus("erp-1", Id(3, 10), 3, 10));
        Assert.Equal(100, ExpectMsg<UnitProtocol.UnitOrderStatus>().Entry!.Seq);

        // what it recorded from each first queue is known: a redelivery records only what is new, after seq 100
        Deliver(revived, 3, 1, 10, 1);
        Deliver(revived, 1, 85, 95, 4);
        revived.Tell(new UnitProtocol.GetUnitStats("erp-1"));
        Assert.Equal(105, ExpectMsg<UnitProtocol.UnitQueueStats>().LastSeq);

        if (snapshotWriteFails)
        {
            AcceptSnapshotWrites();
            Deliver(revived, 1, 96, 125, 5);
            AwaitAssert(() => Assert.NotNull(LatestSnapshot("unit-erp-1")), TimeSpan.FromSeconds(10));
        }
    }
}

public sealed class StockPartitionSnapshotSpecs(ITestOutputHelper output) : SqliteSpec(output)
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_stock_partition_restarts_with_every_tally_from_its_snapshot_or_after_a_failed_one_from_its_events(bool snapshotWriteFails)
    {
        var warnings = SnapshotWarnings();
        if (snapshotWriteFails) RefuseSnapshotWrites();
        var partition = Sys.ActorOf(StockPartitionActor.PropsFor(new StockPartitionId(2), TestData.Inventory));
        var batches = TestData.Inventory.SnapshotEvery + 5;
        InventoryProtocol.ApplyStockMoves Batch(long upTo) => new("stock-2", "wms-0", upTo,
            upTo % 100 == 0
                ? [new("7", -1, new(5_000, 3)), new("9", 2, new(0, 0))]
                : [new InventoryProtocol.SkuMove("7", -1, new(5_000, 3))]);
        for (var upTo = 1; upTo <= batches; upTo++) partition.Tell(Batch(upTo));
        var acks = ReceiveN(batches, TimeSpan.FromSeconds(60)).Cast<InventoryProtocol.StockMovesApplied>().ToList();
        Assert.Equal(Enumerable.Range(1, batches).Select(i => (long)i), acks.Select(a => a.UpToSeq));
        partition.Tell(new InventoryProtocol.RecordReceipt("stock-2", "7", 10, new(0, 0)));
        partition.Tell(new InventoryProtocol.RecordCount("stock-2", "13", 4, new(1, 1)));
        Assert.Equal(new InventoryProtocol.TallyState("7", 5_000 - batches + 10, 0), ExpectMsg<InventoryProtocol.TallyState>());
        Assert.Equal(new InventoryProtocol.TallyState("13", 4, 1), ExpectMsg<InventoryProtocol.TallyState>());

        if (snapshotWriteFails)
        {
            warnings.FishForMessage<Warning>(IsSnapshotFailure, TimeSpan.FromSeconds(10));
            Assert.Null(LatestSnapshot("inventory-stock-2"));
        }
        else
        {
            var snapshot = AwaitSnapshot("inventory-stock-2", atLeast: TestData.Inventory.SnapshotEvery);
            var stored = (InventoryProtocol.InventorySnapshot)snapshot.Snapshot;
            Assert.Equal(TestData.Inventory.SnapshotEvery, snapshot.Metadata.SequenceNr);
            Assert.Equal([new InventoryProtocol.TallyState("7", 5_000 - 1_000, 3), new InventoryProtocol.TallyState("9", 20, 0)],
                stored.Tallies.OrderBy(t => t.Sku, StringComparer.Ordinal));
            Assert.Equal(1_000, stored.AppliedUpTo["wms-0"]);
            DeleteEventsUpTo("inventory-stock-2", snapshot.Metadata.SequenceNr);
        }
        StopAndWait(partition);

        var revived = Sys.ActorOf(StockPartitionActor.PropsFor(new StockPartitionId(2), TestData.Inventory));
        revived.Tell(new InventoryProtocol.GetTallies("stock-2"));
        Assert.Equal(
            [new InventoryProtocol.TallyState("13", 4, 1), new InventoryProtocol.TallyState("7", 5_000 - batches + 10, 0), new InventoryProtocol.TallyState("9", 20, 0)],
            ExpectMsg<InventoryProtocol.Tallies>(TimeSpan.FromSeconds(10)).States.OrderBy(t => t.Sku, StringComparer.Ordinal));
        // each batch it applied, before or after the snapshot, is applied once: sent again, it is only confirmed
        revived.Tell(Batch(500));
        revived.Tell(Batch(batches));
        revived.Tell(Batch(batches + 1));
        ReceiveN(3, TimeSpan.FromSeconds(10));
        revived.Tell(new InventoryProtocol.GetTally("stock-2", "7", new(0, 0)));
        Assert.Equal(new InventoryProtocol.TallyState("7", 5_000 - batches - 1 + 10, 0), ExpectMsg<InventoryProtocol.TallyState>());
    }
}

public sealed class CatalogSnapshotSpecs(ITestOutputHelper output) : SqliteSpec(output)
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void The_catalog_restarts_with_every_change_from_its_snapshot_or_after_a_failed_one_from_its_events(bool snapshotWriteFails)
    {
        var warnings = SnapshotWarnings();
        if (snapshotWriteFails) RefuseSnapshotWrites();
        var catalog = Sys.ActorOf(CatalogActor.PropsFor(TestData.Catalog));
        var changes = TestData.Catalog.SnapshotEvery + 3;
        void Change(IActorRef to, int version)
        {
            to.Tell(new CatalogProtocol.UpsertCatalog([new Manufacturer($"m{version % 3}", $"Maker {version}", "Spain")],
                [new Product("11", "Queso Cabrales", $"m{version % 3}", version, 22, 30, 30, null, false), new Product($"p{version}", $"Product {version}", "m0", 1.5m, 0, 0, 0, 10, version % 2 == 0)]));
            Assert.Equal(version, ExpectMsg<CatalogProtocol.CatalogChanged>(TimeSpan.FromSeconds(10)).Version);
        }
        for (var version = 1; version <= changes; version++) Change(catalog, version);

        if (snapshotWriteFails)
        {
            warnings.FishForMessage<Warning>(IsSnapshotFailure, TimeSpan.FromSeconds(10));
            Assert.Null(LatestSnapshot("catalog"));
        }
        else
        {
            var snapshot = AwaitSnapshot("catalog", atLeast: TestData.Catalog.SnapshotEvery);
            Assert.Equal(TestData.Catalog.SnapshotEvery, ((CatalogProtocol.CatalogState)snapshot.Snapshot).Version);
            DeleteEventsUpTo("catalog", snapshot.Metadata.SequenceNr);
        }
        StopAndWait(catalog);

        var revived = Sys.ActorOf(CatalogActor.PropsFor(TestData.Catalog));
        revived.Tell(new CatalogProtocol.GetCatalog(0));
        var state = ExpectMsg<CatalogProtocol.CatalogState>(TimeSpan.FromSeconds(10));
        Assert.Equal(changes, state.Version);
        Assert.Equal(new Product("11", "Queso Cabrales", $"m{changes % 3}", changes, 22, 30, 30, null, false), state.Products.Single(p => p.Sku == "11"));
        Assert.Equal(Enumerable.Range(1, changes).Select(v => $"p{v}").Append("11").Order(StringComparer.Ordinal), state.Products.Select(p => p.Sku).Order(StringComparer.Ordinal));
        Assert.All(Enumerable.Range(1, changes), v => Assert.Equal(v % 2 == 0, state.Products.Single(p => p.Sku == $"p{v}").Discontinued));
        Assert.Equal(["m0", "m1", "m2"], state.Manufacturers.Select(m => m.Id).Order(StringComparer.Ordinal));
        Assert.Equal($"Maker {changes}", state.Manufacturers.Single(m => m.Id == $"m{changes % 3}").Name);
        revived.Tell(new CatalogProtocol.UpsertCatalog([], [new Product("1", "Chai", "m0", 18, 39, 0, 10, null, false)], OnlyIfEmpty: true));
        Assert.Equal(new CatalogProtocol.CatalogUnchanged(changes), ExpectMsg<CatalogProtocol.CatalogUnchanged>());

        if (snapshotWriteFails)
        {
            AcceptSnapshotWrites();
            for (var version = changes + 1; version <= 2 * TestData.Catalog.SnapshotEvery; version++) Change(revived, version);
            AwaitAssert(() => Assert.Equal(2 * TestData.Catalog.SnapshotEvery, ((CatalogProtocol.CatalogState)LatestSnapshot("catalog")!.Snapshot).Version),
                TimeSpan.FromSeconds(10));
        }
    }
}
