using Akka.Actor;
using Akka.Persistence;
using OrderActors.Actors.Ingest;
using OrderActors.Domain.Ingest;
using OrderActors.Domain.Orders;
using OrderActors.Domain.Units;
using OrderActors.Actors.Routing;
using OrderActors.Actors.Units;
using OrderActors.Domain.Routing;
using Xunit.Abstractions;
using static OrderActors.Actors.Units.UnitProtocol;

namespace OrderActors.Tests.Actors;

public class RouterActorSpecs(ITestOutputHelper output) : Akka.TestKit.Xunit2.TestKit(ActorSpecConfig.Config, output: output)
{
    private static RoutingDefinition Definition(params (string Code, string[] Units)[] codes) => new(
        new Dictionary<string, UnitDefinition> { ["erp"] = new(4), ["wms"] = new(2) },
        codes.ToDictionary(c => c.Code, c => new CodeDefinition(c.Units)));

    [Fact]
    public void Each_order_fans_out_to_the_corresponding_queue_of_every_matched_unit()
    {
        var units = CreateTestProbe();
        var directory = new RoutingDirectory(Definition(("B2C", ["erp", "wms"]), ("PRESALE", ["erp"]), ("TRANSFER", ["wms"])));
        var router = Sys.ActorOf(RouterActor.PropsFor(directory, CreateTestProbe(), units));

        router.Tell(new RouterProtocol.RouteOrders(3, 42,
        [
            TestData.Accepted("sale", "B2C", firstQueue: 3, offset: 1),
            TestData.Accepted("pre", "PRESALE", firstQueue: 3, offset: 2),
            TestData.Accepted("move", "TRANSFER", firstQueue: 3, offset: 3),
        ]));

        var plan = ExpectMsg<RouterProtocol.RoutePlan>();
        Assert.Equal(42, plan.DeliveryId);
        Assert.Equal(["erp-3", "wms-1"], plan.Targets.Order());

        var sent = units.ReceiveN(2).Cast<EnqueueOrders>().ToDictionary(e => e.EntityId);
        Assert.Equal(["sale", "pre"], sent["erp-3"].Orders.Select(o => o.OrderId));
        Assert.Equal(["sale", "move"], sent["wms-1"].Orders.Select(o => o.OrderId));
        Assert.All(sent.Values, e => Assert.Equal(42, e.DeliveryId));
        // the units answer the first queue, not the router
        Assert.Equal(TestActor, units.LastSender);
    }

    [Fact]
    public void A_delivery_of_a_version_the_node_does_not_know_waits_for_it_with_what_follows_and_is_routed_by_it()
    {
        var units = CreateTestProbe();
        var tables = CreateTestProbe();
        var v1 = Definition(("B2C", ["erp"]), ("RETURN", ["wms"]));
        var v2 = Definition(("B2C", ["wms"]), ("RETURN", ["erp"]));
        var directory = new RoutingDirectory(v1);
        var router = Sys.ActorOf(RouterActor.PropsFor(directory, tables, units));

        router.Tell(new RouterProtocol.RouteOrders(1, 7, [TestData.Accepted("a", "B2C", firstQueue: 1, offset: 1)], RoutingVersion: 2));
        router.Tell(new RouterProtocol.RouteOrders(1, 8, [TestData.Accepted("b", "B2C", firstQueue: 1, offset: 2)], RoutingVersion: 2));
        tables.ExpectMsg<RouterProtocol.GetRoutingTables>();
        ExpectNoMsg(TimeSpan.FromMilliseconds(200)); // nothing routed by a version it does not have
        units.ExpectNoMsg(TimeSpan.Zero);

        var versions = new RoutingVersions(v1);
        versions.Apply(versions.Configured);
        versions.SetDraft(v2);
        var (verdict, published, _) = versions.Publish(1, "ops", DateTimeOffset.UtcNow, null);
        Assert.Equal(PublishVerdict.Published, verdict);
        versions.Apply(published!);
        tables.Reply(new RouterProtocol.RoutingTablesState(null, versions.Versions.ToList()));

        Assert.Equal(["wms-1"], ExpectMsg<RouterProtocol.RoutePlan>(p => p.DeliveryId == 7).Targets);
        Assert.Equal(["wms-1"], ExpectMsg<RouterProtocol.RoutePlan>(p => p.DeliveryId == 8).Targets);
        Assert.Equal(["a", "b"], units.ReceiveN(2).Cast<EnqueueOrders>().SelectMany(e => e.Orders.Select(o => o.OrderId)));
        Assert.Equal(2, directory.LiveVersion.Version);
    }
}

public class UnitQueueActorSpecs(ITestOutputHelper output) : Akka.TestKit.Xunit2.TestKit(ActorSpecConfig.Config, output: output)
{
    [Fact]
    public void A_unit_queue_records_in_order_processes_and_serves_its_feed()
    {
        var unit = Sys.ActorOf(TestData.UnitQueue("erp-0"));
        unit.Tell(new EnqueueOrders("erp-0", 0, 2, [TestData.Accepted("a", offset: 1), TestData.Accepted("b", offset: 2)]));
        Assert.Equal(new OrdersEnqueued("erp-0", 2), ExpectMsg<OrdersEnqueued>());

        AwaitAssert(() =>
        {
            unit.Tell(new GetFeed("erp-0", 0, 10));
            var page = ExpectMsg<FeedPage>();
            Assert.Equal(["a", "b"], page.Entries.Select(e => e.OrderId));
            Assert.Equal([1L, 2L], page.Entries.Select(e => e.Seq));
            Assert.All(page.Entries, e => Assert.NotNull(e.ProcessedAt));
        }, TimeSpan.FromSeconds(3));
    }

    [Fact]
    public void A_unit_queue_restarted_from_its_journal_keeps_its_seq_and_dedupes()
    {
        var unit = Sys.ActorOf(TestData.UnitQueue("wms-1"));
        unit.Tell(new EnqueueOrders("wms-1", 1, 3, [TestData.Accepted("a", firstQueue: 1, offset: 1), TestData.Accepted("b", firstQueue: 1, offset: 2),
            TestData.Accepted("c", firstQueue: 1, offset: 3)]));
        ExpectMsg<OrdersEnqueued>();
        Watch(unit);
        Sys.Stop(unit);
        ExpectTerminated(unit);

        var revived = Sys.ActorOf(TestData.UnitQueue("wms-1"));
        // a redelivery of b and c (as after a crash of the first queue) plus a new order d
        revived.Tell(new EnqueueOrders("wms-1", 1, 4, [TestData.Accepted("b", firstQueue: 1, offset: 2), TestData.Accepted("c", firstQueue: 1, offset: 3),
            TestData.Accepted("d", firstQueue: 1, offset: 4)]));
        ExpectMsg<OrdersEnqueued>();

        AwaitAssert(() =>
        {
            revived.Tell(new GetFeed("wms-1", 0, 100));
            var page = ExpectMsg<FeedPage>();
            Assert.Equal(["a", "b", "c", "d"], page.Entries.Select(e => e.OrderId));
            Assert.Equal([1L, 2L, 3L, 4L], page.Entries.Select(e => e.Seq));
        }, TimeSpan.FromSeconds(3));

        revived.Tell(new GetUnitOrderStatus("wms-1", "c", 1, 3));
        Assert.Equal(3, ExpectMsg<UnitOrderStatus>().Entry!.Seq);
    }

    [Fact]
    public void A_unit_queue_snapshots_its_state_and_recovers_from_the_snapshot_and_the_events_after_it()
    {
        var props = TestData.UnitQueue("erp-6", retainProcessed: 10, snapshotEvery: 25);
        var unit = Sys.ActorOf(props);
        for (var delivery = 0; delivery < 10; delivery++)
        {
            unit.Tell(new EnqueueOrders("erp-6", 2, delivery + 1,
                Enumerable.Range(1, 10).Select(i => TestData.Accepted($"u{delivery * 10 + i}", firstQueue: 2, offset: delivery * 10 + i)).ToList()));
            ExpectMsg<OrdersEnqueued>();
        }
        this.AwaitSnapshotThenStop("unit-erp-6", unit);
        var revived = Sys.ActorOf(props);
        revived.Tell(new GetFeed("erp-6", 0, 1000));
        var page = ExpectMsg<FeedPage>();
        Assert.Equal(Enumerable.Range(1, 100).Select(i => $"u{i}"), page.Entries.Select(e => e.OrderId));
        Assert.Equal(Enumerable.Range(1, 100).Select(i => (long)i), page.Entries.Select(e => e.Seq));
        revived.Tell(new GetUnitOrderStatus("erp-6", "u3", 2, 3));
        Assert.Equal(3, ExpectMsg<UnitOrderStatus>().Entry!.Seq);

        // a redelivery of an old order is still recognised; a new one continues the seq
        revived.Tell(new EnqueueOrders("erp-6", 2, 1, [TestData.Accepted("u1", firstQueue: 2, offset: 1), TestData.Accepted("u101", firstQueue: 2, offset: 101)]));
        ExpectMsg<OrdersEnqueued>();
        revived.Tell(new GetUnitStats("erp-6"));
        Assert.Equal(101, ExpectMsg<UnitQueueStats>().LastSeq);
    }

    [Fact]
    public void Old_feed_pages_and_old_orders_are_read_back_from_the_journal_once_out_of_memory()
    {
        var unit = Sys.ActorOf(TestData.UnitQueue("erp-7", retainProcessed: 10));
        for (var delivery = 0; delivery < 10; delivery++)
        {
            unit.Tell(new EnqueueOrders("erp-7", 3, delivery + 1,
                Enumerable.Range(1, 10).Select(i => TestData.Accepted($"o{delivery * 10 + i}", firstQueue: 3, offset: delivery * 10 + i)).ToList()));
            ExpectMsg<OrdersEnqueued>();
        }

        AwaitAssert(() =>
        {
            unit.Tell(new GetFeed("erp-7", 0, 1000));
            var page = ExpectMsg<FeedPage>();
            Assert.Equal(100, page.ProcessedSeq);
            Assert.Equal(Enumerable.Range(1, 100).Select(i => $"o{i}"), page.Entries.Select(e => e.OrderId));
            Assert.All(page.Entries, e => Assert.NotNull(e.ProcessedAt));
        }, TimeSpan.FromSeconds(3));

        unit.Tell(new GetFeed("erp-7", 17, 5));
        Assert.Equal([18L, 19L, 20L, 21L, 22L], ExpectMsg<FeedPage>().Entries.Select(e => e.Seq));

        unit.Tell(new GetUnitOrderStatus("erp-7", "o3", 3, 3));
        var status = ExpectMsg<UnitOrderStatus>().Entry!;
        Assert.Equal(("o3", 3L), (status.OrderId, status.Seq));
        Assert.NotNull(status.ProcessedAt);

        // redeliveries of old orders are still recognised
        unit.Tell(new EnqueueOrders("erp-7", 3, 1, [TestData.Accepted("o1", firstQueue: 3, offset: 1)]));
        ExpectMsg<OrdersEnqueued>();
        unit.Tell(new GetUnitStats("erp-7"));
        Assert.Equal(100, ExpectMsg<UnitQueueStats>().LastSeq);
    }

    [Fact]
    public void A_unit_queue_stores_each_order_once_as_a_reference_and_reads_the_bodies_back_for_old_pages_and_after_a_restart()
    {
        // first queue 4's journal: ten batches of ten orders, event sequence numbers 1..10
        var firstQueue = Sys.ActorOf(Props.Create(() => new FirstQueueJournal("ingest-4")));
        var orders = Enumerable.Range(1, 101).Select(i => TestData.Accepted($"r{i}", firstQueue: 4, offset: i)).ToList();
        for (var batch = 0; batch < 10; batch++)
        {
            firstQueue.Tell(new IngestProtocol.OrdersAccepted(orders.GetRange(batch * 10, 10)));
            Assert.Equal(batch + 1, ExpectMsg<long>());
        }

        var props = TestData.UnitQueue("erp-8", retainProcessed: 10);
        var unit = Sys.ActorOf(props);
        for (var batch = 0; batch < 10; batch++)
        {
            unit.Tell(new EnqueueOrders("erp-8", 4, batch + 1, orders.GetRange(batch * 10, 10), [new StoredBatch(batch * 10 + 1, batch + 1)]));
            ExpectMsg<OrdersEnqueued>();
        }

        // the unit queue's events hold references only
        var events = ReadJournal("unit-erp-8");
        Assert.DoesNotContain(events, e => e is OrdersQueued);
        Assert.Equal(orders.Take(100).Select(o => o.Offset), events.OfType<OrderRefsQueued>().SelectMany(e => e.Refs.Orders).Select(r => r.Offset));

        // an old page and an old order: the bodies come from the first queue's events
        AwaitAssert(() =>
        {
            unit.Tell(new GetFeed("erp-8", 17, 5));
            AssertBodies(orders.GetRange(17, 5), ExpectMsg<FeedPage>().Entries);
        }, TimeSpan.FromSeconds(3));
        unit.Tell(new GetUnitOrderStatus("erp-8", "r3", 4, 3));
        AssertBodies([orders[2]], [ExpectMsg<UnitOrderStatus>().Entry!]);

        // after a restart (no snapshot yet): every entry kept in memory has its body again, and new orders go on
        Watch(unit);
        Sys.Stop(unit);
        ExpectTerminated(unit);
        var revived = Sys.ActorOf(props);
        revived.Tell(new GetFeed("erp-8", 0, 1000));
        AssertBodies(orders.Take(100).ToList(), ExpectMsg<FeedPage>().Entries);
        firstQueue.Tell(new IngestProtocol.OrdersAccepted([orders[100]]));
        Assert.Equal(11, ExpectMsg<long>());
        revived.Tell(new EnqueueOrders("erp-8", 4, 11, [orders[99], orders[100]], [new StoredBatch(91, 10), new StoredBatch(101, 11)]));
        ExpectMsg<OrdersEnqueued>();
        AwaitAssert(() =>
        {
            revived.Tell(new GetFeed("erp-8", 95, 10));
            AssertBodies(orders.Skip(95).ToList(), ExpectMsg<FeedPage>().Entries);
        }, TimeSpan.FromSeconds(3));
    }

    private static void AssertBodies(IReadOnlyList<AcceptedOrder> expected, IReadOnlyList<FeedEntry> entries)
    {
        Assert.Equal(expected.Select(o => o.OrderId), entries.Select(e => e.OrderId));
        Assert.Equal(expected.Select(o => o.Fingerprint), entries.Select(e => e.Order.Fingerprint));
        Assert.Equal(expected.Select(o => o.Order.Lines.Count), entries.Select(e => e.Order.Order.Lines.Count));
        Assert.Equal(Enumerable.Range((int)expected[0].Offset, expected.Count).Select(i => (long)i), entries.Select(e => e.Seq));
    }

    private List<object> ReadJournal(string persistenceId)
    {
        Persistence.Instance.Apply(Sys).JournalFor(null).Tell(new ReplayMessages(1, long.MaxValue, long.MaxValue, persistenceId, TestActor));
        var events = new List<object>();
        while (ExpectMsg<object>() is var message && message is not RecoverySuccess)
            if (message is ReplayedMessage replayed) events.Add(replayed.Persistent.Payload);
        return events;
    }

    /// <summary>Stands in for a first queue's journal: stores what it is told under its persistence id and answers the sequence number.</summary>
    private sealed class FirstQueueJournal : ReceivePersistentActor
    {
        public FirstQueueJournal(string persistenceId)
        {
            PersistenceId = persistenceId;
            Command<IngestProtocol.OrdersAccepted>(e => Persist(e, _ => Sender.Tell(LastSequenceNr)));
        }

        public override string PersistenceId { get; }
    }

    [Fact]
    public void A_redelivery_of_known_orders_is_confirmed_without_recording_them_again()
    {
        var unit = Sys.ActorOf(TestData.UnitQueue("erp-5"));
        var orders = new[] { TestData.Accepted("a") };
        unit.Tell(new EnqueueOrders("erp-5", 1, 1, orders));
        ExpectMsg<OrdersEnqueued>();
        unit.Tell(new EnqueueOrders("erp-5", 1, 1, orders));
        ExpectMsg<OrdersEnqueued>();

        unit.Tell(new GetUnitStats("erp-5"));
        Assert.Equal(1, ExpectMsg<UnitQueueStats>().LastSeq);
    }
}
