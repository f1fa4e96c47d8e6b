using Akka.Actor;
using OrderActors.Actors.Ingest;
using OrderActors.Actors.Routing;
using OrderActors.Actors.Units;
using OrderActors.Domain.Ingest;
using OrderActors.Domain.Orders;
using Xunit.Abstractions;
using static OrderActors.Actors.Ingest.IngestProtocol;

namespace OrderActors.Tests.Actors;

public class IngestActorSpecs(ITestOutputHelper output) : Akka.TestKit.Xunit2.TestKit(ActorSpecConfig.Config, output: output)
{
    private static IngestOptions Settings(TimeSpan window, int batchMax = 500, int maxPending = 50_000) =>
        TestData.Settings(window, batchMax, maxPending);

    internal static Submission Submit(string id, string code = "B2C") =>
        new(TestData.Order(id, code), OrderFingerprint.Compute(TestData.Order(id, code)));

    [Fact]
    public void Orders_arriving_within_the_window_are_stored_and_handed_on_as_one_batch_in_order()
    {
        var router = CreateTestProbe();
        var ingest = Sys.ActorOf(IngestActor.PropsFor(FirstQueueId.Parse("ingest-1"), router, Settings(TimeSpan.FromSeconds(3))));

        ingest.Tell(new SubmitOrders("ingest-1", [Submit("a"), Submit("b")]));
        ingest.Tell(new SubmitOrders("ingest-1", [Submit("c")]));
        ingest.Tell(new SubmitOrders("ingest-1", [Submit("d")]));

        // Nothing is answered before the window closes and the batch is stored (TestKit dilates this wait 3x)...
        ExpectNoMsg(TimeSpan.FromMilliseconds(500));
        var replies = ReceiveN(3, TimeSpan.FromSeconds(5)).Cast<SubmitResults>().ToList();
        Assert.All(replies.SelectMany(r => r.Outcomes), o => Assert.Equal(AdmitDecision.Accept, o.Decision));

        // ...and the whole window leaves as one delivery, in arrival order, with gapless offsets.
        var route = router.ExpectMsg<RouterProtocol.RouteOrders>();
        Assert.Equal(["a", "b", "c", "d"], route.Orders.Select(o => o.OrderId));
        Assert.Equal([1L, 2L, 3L, 4L], route.Orders.Select(o => o.Offset));
        Assert.Single(route.Orders.Select(o => o.AcceptedAt).Distinct());
        Assert.Equal(1, route.FirstQueue);
    }

    [Fact]
    public void A_full_batch_leaves_before_the_window_closes()
    {
        var router = CreateTestProbe();
        var ingest = Sys.ActorOf(IngestActor.PropsFor(FirstQueueId.Parse("ingest-0"), router, Settings(TimeSpan.FromMinutes(1), batchMax: 3)));

        ingest.Tell(new SubmitOrders("ingest-0", [Submit("a"), Submit("b"), Submit("c")]));
        ExpectMsg<SubmitResults>(TimeSpan.FromSeconds(3));
        Assert.Equal(3, router.ExpectMsg<RouterProtocol.RouteOrders>().Orders.Count);
    }

    [Fact]
    public void With_the_adaptive_window_a_burst_is_answered_and_handed_on_in_arrival_order_with_gapless_offsets()
    {
        var router = CreateTestProbe();
        var ingest = Sys.ActorOf(IngestActor.PropsFor(FirstQueueId.Parse("ingest-2"), router, Settings(TimeSpan.Zero)));

        var ids = Enumerable.Range(1, 200).Select(i => $"o{i}").ToList();
        foreach (var id in ids) ingest.Tell(new SubmitOrders("ingest-2", [Submit(id)]));

        // every submission is answered once its batch is stored; no timer is involved
        var replies = ReceiveN(ids.Count, TimeSpan.FromSeconds(5)).Cast<SubmitResults>().SelectMany(r => r.Outcomes).ToList();
        Assert.All(replies, o => Assert.Equal(AdmitDecision.Accept, o.Decision));

        // the orders leave in arrival order with gapless offsets, whatever the batch boundaries were
        var delivered = new List<AcceptedOrder>();
        while (delivered.Count < ids.Count)
        {
            var route = router.ExpectMsg<RouterProtocol.RouteOrders>();
            delivered.AddRange(route.Orders);
            router.Reply(new RouterProtocol.RoutePlan(route.DeliveryId, ["erp-2"]));
            ingest.Tell(new UnitProtocol.OrdersEnqueued("erp-2", route.DeliveryId));
        }
        Assert.Equal(ids, delivered.Select(o => o.OrderId));
        Assert.Equal(Enumerable.Range(1, ids.Count).Select(i => (long)i), delivered.Select(o => o.Offset));
    }

    [Fact]
    public void A_first_queue_whose_units_do_not_keep_up_throttles_new_orders_instead_of_queuing_without_bound()
    {
        var router = CreateTestProbe();
        var ingest = Sys.ActorOf(IngestActor.PropsFor(FirstQueueId.Parse("ingest-1"), router, Settings(TimeSpan.Zero, batchMax: 2, maxPending: 3)));

        ingest.Tell(new SubmitOrders("ingest-1", [Submit("a"), Submit("b"), Submit("c"), Submit("d")]));
        var outcomes = ExpectMsg<SubmitResults>().Outcomes.Select(o => o.Decision);
        Assert.Equal([AdmitDecision.Accept, AdmitDecision.Accept, AdmitDecision.Accept, AdmitDecision.Throttled], outcomes);

        // the units confirm what they got: the queue takes orders again
        var route = router.ExpectMsg<RouterProtocol.RouteOrders>();
        router.Reply(new RouterProtocol.RoutePlan(route.DeliveryId, ["erp-1"]));
        ingest.Tell(new UnitProtocol.OrdersEnqueued("erp-1", route.DeliveryId));
        AwaitAssert(() =>
        {
            ingest.Tell(new SubmitOrders("ingest-1", [Submit("d")]));
            Assert.Equal(AdmitDecision.Accept, ExpectMsg<SubmitResults>().Outcomes[0].Decision);
        }, TimeSpan.FromSeconds(3));
    }

    [Fact]
    public void An_order_delivered_long_ago_is_read_back_from_the_journal_and_still_recognised_as_a_duplicate()
    {
        var router = CreateTestProbe();
        var ingest = Sys.ActorOf(IngestActor.PropsFor(FirstQueueId.Parse("ingest-0"), router, Settings(TimeSpan.Zero) with { RetainDelivered = 10 }));
        for (var b = 0; b < 10; b++)
        {
            ingest.Tell(new SubmitOrders("ingest-0", Enumerable.Range(1, 20).Select(i => Submit($"o{b * 20 + i}")).ToList()));
            ExpectMsg<SubmitResults>();
        }
        var delivered = 0;
        while (delivered < 200)
        {
            var route = router.ExpectMsg<RouterProtocol.RouteOrders>();
            delivered += route.Orders.Count;
            router.Reply(new RouterProtocol.RoutePlan(route.DeliveryId, ["erp-0"]));
            ingest.Tell(new UnitProtocol.OrdersEnqueued("erp-0", route.DeliveryId));
        }

        AwaitAssert(() =>
        {
            ingest.Tell(new GetAcceptedOrder("ingest-0", "o7"));
            var reply = ExpectMsg<AcceptedOrderReply>();
            Assert.Equal(("o7", 7L), (reply.Order!.OrderId, reply.Order.Offset));
        }, TimeSpan.FromSeconds(3));
        ingest.Tell(new GetAcceptedOrder("ingest-0", "nope"));
        Assert.Null(ExpectMsg<AcceptedOrderReply>().Order);

        ingest.Tell(new SubmitOrders("ingest-0", [Submit("o7"), Submit("o7", "B2B")]));
        Assert.Equal([AdmitDecision.Duplicate, AdmitDecision.Conflict], ExpectMsg<SubmitResults>().Outcomes.Select(o => o.Decision));
    }

    [Fact]
    public void A_first_queue_snapshots_its_state_and_recovers_from_the_snapshot_and_the_events_after_it()
    {
        var router = CreateTestProbe();
        var props = IngestActor.PropsFor(FirstQueueId.Parse("ingest-3"), router, Settings(TimeSpan.Zero) with { RetainDelivered = 10, SnapshotEvery = 50 });
        var ingest = Sys.ActorOf(props);
        for (var b = 0; b < 6; b++)
        {
            ingest.Tell(new SubmitOrders("ingest-3", Enumerable.Range(1, 20).Select(i => Submit($"s{b * 20 + i}")).ToList()));
            ExpectMsg<SubmitResults>();
        }
        this.AwaitSnapshotThenStop("ingest-3", ingest);
        var revived = Sys.ActorOf(props);
        revived.Tell(new GetIngestStats("ingest-3"));
        var stats = ExpectMsg<IngestStats>();
        Assert.Equal((120L, 120), (stats.LastOffset, stats.Pending)); // nothing was confirmed: all still to deliver
        revived.Tell(new SubmitOrders("ingest-3", [Submit("s1"), Submit("s120"), Submit("s121")]));
        Assert.Equal([AdmitDecision.Duplicate, AdmitDecision.Duplicate, AdmitDecision.Accept], ExpectMsg<SubmitResults>().Outcomes.Select(o => o.Decision));
        var route = router.FishForMessage<RouterProtocol.RouteOrders>(r => r.Orders[0].Offset == 1, TimeSpan.FromSeconds(5));
        Assert.Equal("s1", route.Orders[0].OrderId);
    }

    [Fact]
    public void Duplicates_and_conflicts_are_answered_and_not_stored_again()
    {
        var router = CreateTestProbe();
        var ingest = Sys.ActorOf(IngestActor.PropsFor(FirstQueueId.Parse("ingest-2"), router, Settings(TimeSpan.FromMilliseconds(5))));
        ingest.Tell(new SubmitOrders("ingest-2", [Submit("a")]));
        ExpectMsg<SubmitResults>();

        ingest.Tell(new SubmitOrders("ingest-2", [Submit("a"), Submit("a", "B2B"), Submit("b")]));
        var outcomes = ExpectMsg<SubmitResults>().Outcomes.Select(o => o.Decision);
        Assert.Equal([AdmitDecision.Duplicate, AdmitDecision.Conflict, AdmitDecision.Accept], outcomes);

        ingest.Tell(new GetIngestStats("ingest-2"));
        Assert.Equal(2, ExpectMsg<IngestStats>().LastOffset);
    }

    [Fact]
    public void Unconfirmed_orders_are_delivered_again_in_order_until_every_target_confirms()
    {
        var router = CreateTestProbe();
        var ingest = Sys.ActorOf(IngestActor.PropsFor(FirstQueueId.Parse("ingest-3"), router, Settings(TimeSpan.FromMilliseconds(5))));
        ingest.Tell(new SubmitOrders("ingest-3", [Submit("a"), Submit("b", "TRANSFER")]));
        ExpectMsg<SubmitResults>();

        var first = router.ExpectMsg<RouterProtocol.RouteOrders>();
        router.Reply(new RouterProtocol.RoutePlan(first.DeliveryId, ["erp-3", "wms-3"]));
        ingest.Tell(new UnitProtocol.OrdersEnqueued("erp-3", first.DeliveryId));

        // wms-3 never confirms: the same delivery comes again after the timeout.
        var again = router.ExpectMsg<RouterProtocol.RouteOrders>(TimeSpan.FromSeconds(3));
        Assert.Equal(first.DeliveryId, again.DeliveryId);
        Assert.Equal(["a", "b"], again.Orders.Select(o => o.OrderId));

        router.Reply(new RouterProtocol.RoutePlan(again.DeliveryId, ["erp-3", "wms-3"]));
        ingest.Tell(new UnitProtocol.OrdersEnqueued("wms-3", again.DeliveryId));
        AwaitAssert(() =>
        {
            ingest.Tell(new GetIngestStats("ingest-3"));
            Assert.Equal(0, ExpectMsg<IngestStats>().Pending);
        }, TimeSpan.FromSeconds(3));
    }

    [Fact]
    public void A_delivery_held_by_a_unit_at_its_backlog_bound_keeps_its_orders_pending_so_intake_throttles()
    {
        var router = CreateTestProbe();
        var ingest = Sys.ActorOf(IngestActor.PropsFor(FirstQueueId.Parse("ingest-7"), router, Settings(TimeSpan.FromMilliseconds(5), batchMax: 2, maxPending: 2)));
        ingest.Tell(new SubmitOrders("ingest-7", [Submit("a"), Submit("b")]));
        ExpectMsg<SubmitResults>();
        var first = router.ExpectMsg<RouterProtocol.RouteOrders>();
        router.Reply(new RouterProtocol.RoutePlan(first.DeliveryId, ["erp-3"]));
        ingest.Tell(new UnitProtocol.OrdersHeld("erp-3", first.DeliveryId));

        // the held orders still count as pending: the queue is full and refuses a new order
        ingest.Tell(new SubmitOrders("ingest-7", [Submit("c")]));
        Assert.Equal(AdmitDecision.Throttled, ExpectMsg<SubmitResults>().Outcomes.Single().Decision);

        // the delivery goes again after the timeout (the hold is in the unit's memory only) ...
        var again = router.ExpectMsg<RouterProtocol.RouteOrders>(TimeSpan.FromSeconds(3));
        Assert.Equal(first.DeliveryId, again.DeliveryId);
        router.Reply(new RouterProtocol.RoutePlan(again.DeliveryId, ["erp-3"]));
        // ... and once the unit's backlog drains and it confirms, the queue takes orders again
        ingest.Tell(new UnitProtocol.OrdersEnqueued("erp-3", again.DeliveryId));
        AwaitAssert(() =>
        {
            ingest.Tell(new GetIngestStats("ingest-7"));
            Assert.Equal(0, ExpectMsg<IngestStats>().Pending);
        }, TimeSpan.FromSeconds(3));
        ingest.Tell(new SubmitOrders("ingest-7", [Submit("c")]));
        Assert.Equal(AdmitDecision.Accept, ExpectMsg<SubmitResults>().Outcomes.Single().Decision);
    }

    [Fact]
    public void A_restarted_first_queue_recovers_its_orders_and_redelivers_the_unconfirmed()
    {
        var router = CreateTestProbe();
        var settings = Settings(TimeSpan.FromMilliseconds(5));
        var ingest = Sys.ActorOf(IngestActor.PropsFor(FirstQueueId.Parse("ingest-9"), router, settings));
        ingest.Tell(new SubmitOrders("ingest-9", [Submit("a"), Submit("b")]));
        ExpectMsg<SubmitResults>();
        router.ExpectMsg<RouterProtocol.RouteOrders>();

        Watch(ingest);
        Sys.Stop(ingest);
        ExpectTerminated(ingest);

        var revived = Sys.ActorOf(IngestActor.PropsFor(FirstQueueId.Parse("ingest-9"), router, settings));
        var redelivered = router.ExpectMsg<RouterProtocol.RouteOrders>(TimeSpan.FromSeconds(3));
        Assert.Equal(["a", "b"], redelivered.Orders.Select(o => o.OrderId));

        revived.Tell(new SubmitOrders("ingest-9", [Submit("a")]));
        Assert.Equal(AdmitDecision.Duplicate, ExpectMsg<SubmitResults>().Outcomes.Single().Decision);
    }
}
