using OrderActors.Domain.Ingest;
using OrderActors.Domain.Inventory;
using OrderActors.Domain.Orders;
using OrderActors.Domain.Queues;
using OrderActors.Domain.Units;

namespace OrderActors.Tests.Domain;

/// <summary>The features' state machines on their own, without actors: what the actors decide is decided here.</summary>
public class HandOffTrackerTests
{
    private static IReadOnlyList<AcceptedOrder> Orders(params long[] offsets) =>
        offsets.Select(o => TestData.Accepted($"o{o}", offset: o)).ToList();

    [Fact]
    public void A_delivery_completes_once_the_plan_is_known_and_every_planned_unit_queue_confirmed_in_any_order()
    {
        var tracker = new HandOffTracker();
        var delivery = tracker.Start(Orders(1, 2, 3));
        tracker.Resend();
        Assert.Equal((3L, 1), (delivery.Id, delivery.Attempts));

        Assert.False(tracker.Confirmed(3, "erp-1")); // a confirmation may come before the plan
        Assert.False(tracker.Planned(3, ["erp-1", "wms-1"]));
        Assert.False(tracker.Confirmed(2, "wms-1")); // another delivery's: ignored
        Assert.True(tracker.Confirmed(3, "wms-1"));
        Assert.Equal(3, tracker.Complete());
        Assert.Null(tracker.Current);
    }

    [Fact]
    public void A_timeout_says_whether_the_delivery_is_held_by_back_pressure_or_unconfirmed_and_a_resend_asks_again()
    {
        var tracker = new HandOffTracker();
        tracker.Start(Orders(5));
        tracker.Resend();
        Assert.Equal((HandOffTimeoutVerdict.Unconfirmed, null), tracker.TimedOut(5)); // the router never answered
        tracker.Planned(5, ["erp-1", "wms-1"]);
        tracker.Confirmed(5, "erp-1");
        tracker.Held(5, "wms-1");
        var (verdict, waiting) = tracker.TimedOut(5);
        Assert.Equal(HandOffTimeoutVerdict.Held, verdict);
        Assert.Equal(["wms-1"], waiting!);
        Assert.Equal(HandOffTimeoutVerdict.Stale, tracker.TimedOut(4).Verdict);

        var again = tracker.Resend();
        Assert.Equal(2, again.Attempts);
        Assert.Null(again.Plan); // plan and holds are asked again; confirmations stand
        Assert.Empty(again.Held);
        Assert.True(tracker.Planned(5, ["erp-1"]));
    }

    [Fact]
    public void Only_one_delivery_is_in_flight()
    {
        var tracker = new HandOffTracker();
        tracker.Start(Orders(1));
        Assert.Throws<InvalidOperationException>(() => tracker.Start(Orders(2)));
        Assert.Throws<InvalidOperationException>(() => tracker.Complete());
    }

    [Fact]
    public void The_delivery_marker_is_stored_every_so_many_orders_and_only_when_it_moved()
    {
        var marker = new HandOffMarkerPolicy(every: 1000);
        Assert.False(marker.StoreNow(999));
        Assert.True(marker.StoreNow(1000));
        Assert.True(marker.Take(1000));
        Assert.False(marker.Take(1000));
        Assert.False(marker.StoreNow(1999));
        Assert.True(marker.Take(1500)); // an idle catch-up stores what there is
        Assert.Equal(1500, marker.Stored);
    }
}

public class IntakeBatchTests
{
    private static Submission Submit(string id, string code = "B2C")
    {
        var order = TestData.Order(id, code);
        return new Submission(order, OrderFingerprint.Compute(order));
    }

    [Fact]
    public void A_batch_decides_each_order_against_the_stored_ones_and_those_still_being_stored()
    {
        var ledger = new IngestLedger(TestData.RetainDelivered);
        var batch = new IntakeBatch<string>();
        batch.Add([Submit("a"), Submit("b")], "first");
        batch.Add([Submit("a"), Submit("b", "B2B")], "second");
        Assert.Equal(4, batch.WaitingOrders);

        var (accepted, answers) = batch.Close(ledger, queue: 2, maxPending: 100, DateTimeOffset.UnixEpoch);
        Assert.Equal([("a", 1L), ("b", 2L)], accepted.Select(o => (o.OrderId, o.Offset)));
        Assert.Equal([AdmitDecision.Accept, AdmitDecision.Accept], answers[0].Decisions);
        Assert.Equal([AdmitDecision.Duplicate, AdmitDecision.Conflict], answers[1].Decisions);
        Assert.Equal((1, 0), (batch.BeingStored, batch.WaitingOrders));

        // while the first batch is being written, a resend is judged against it, and offsets run on
        batch.Add([Submit("a"), Submit("c")], "third");
        var (more, answers2) = batch.Close(ledger, 2, 100, DateTimeOffset.UnixEpoch);
        Assert.Equal([AdmitDecision.Duplicate, AdmitDecision.Accept], answers2[0].Decisions);
        Assert.Equal(3L, more.Single().Offset);

        ledger.Accept(accepted, 1);
        batch.Stored(accepted);
        ledger.Accept(more, 2);
        batch.Stored(more);
        Assert.Equal(0, batch.BeingStored);
        batch.Add([Submit("b")], "fourth");
        Assert.Equal([AdmitDecision.Duplicate], batch.Close(ledger, 2, 100, DateTimeOffset.UnixEpoch).Answers[0].Decisions);
    }

    [Fact]
    public void A_new_order_whose_code_the_batch_s_routing_version_takes_no_unit_for_is_refused_and_a_resend_is_judged_afresh()
    {
        var ledger = new IngestLedger(TestData.RetainDelivered);
        var batch = new IntakeBatch<string>();
        batch.Add([Submit("a"), Submit("gone", "RETURN"), Submit("b")], "first", routingVersion: 2);
        Assert.Equal(2, batch.WaitingRoutingVersion);
        Assert.Equal(1, batch.NextOffset);

        var (accepted, answers) = batch.Close(ledger, 0, 100, DateTimeOffset.UnixEpoch, routes: code => code != "RETURN");
        Assert.Equal([("a", 1L), ("b", 2L)], accepted.Select(o => (o.OrderId, o.Offset))); // no offset left for it
        Assert.Equal([AdmitDecision.Accept, AdmitDecision.UnknownCode, AdmitDecision.Accept], answers[0].Decisions);

        batch.Add([Submit("gone", "B2C")], "second"); // the OMS sends it again with a code that routes: new, not a conflict
        Assert.Equal([AdmitDecision.Accept], batch.Close(ledger, 0, 100, DateTimeOffset.UnixEpoch, routes: code => code != "RETURN").Answers[0].Decisions);
    }
}

public class BacklogGateTests
{
    [Fact]
    public void At_the_bound_deliveries_are_held_one_per_first_queue_and_released_one_at_a_time_once_below_it()
    {
        var gate = new BacklogGate<string>(maxBacklog: 10);
        Assert.False(gate.MustHold(9));
        Assert.True(gate.MustHold(10));
        Assert.True(gate.Hold(0, "q0 first copy")); // the overload starts: say so once
        Assert.False(gate.Hold(0, "q0 latest copy"));
        Assert.False(gate.Hold(1, "q1"));
        Assert.Equal(2, gate.HeldCount);

        Assert.Equal((false, false), gate.Changed(10));
        Assert.False(gate.TryTakeNext(10, out _));
        Assert.Equal((false, true), gate.Changed(9));
        Assert.True(gate.TryTakeNext(9, out var next));
        Assert.Equal("q0 latest copy", next);
        gate.Forget(1); // recorded by a fresh copy of its delivery
        Assert.False(gate.TryTakeNext(0, out _));
        Assert.Equal((false, false), gate.Changed(5)); // not below half the bound yet
        Assert.Equal((true, false), gate.Changed(4));
        Assert.False(gate.Overloaded);
    }
}

public class StockMoveBatchTests
{
    [Fact]
    public void A_batch_is_done_when_every_partition_confirmed_its_part_of_that_batch()
    {
        var batch = new StockMoveBatch<string>(upTo: 40, new Dictionary<string, string> { ["stock-1"] = "moves 1", ["stock-5"] = "moves 5" });
        Assert.False(batch.Confirm("stock-1", 39)); // an older batch's confirmation
        Assert.Equal(2, batch.Unconfirmed.Count);
        Assert.False(batch.Confirm("stock-1", 40));
        Assert.Equal(["stock-5"], batch.Unconfirmed.Keys);
        Assert.True(batch.Confirm("stock-5", 40));
    }
}

public class QueueMechanicsTests
{
    [Fact]
    public void A_retained_tail_keeps_the_latest_items_trims_in_chunks_and_indexes_every_event()
    {
        var tail = new RetainedTail<int>();
        for (var p = 1; p <= 300; p++) tail.Add(p * 10);
        tail.AddEvent(1, 7);
        tail.AddEvent(101, 8);
        tail.AddEvent(201, 9);

        tail.Trim(releasedUpTo: 150, retain: 100); // 50 to drop: less than a chunk (64)
        Assert.Equal(1, tail.Start);
        tail.Trim(releasedUpTo: 250, retain: 100);
        Assert.Equal(151, tail.Start);
        Assert.Equal(1510, tail[151]);
        Assert.Equal([1510, 1520], tail.Range(151, 2));
        Assert.Equal(8, tail.Events[tail.EventAt(150)].SequenceNr); // an item let go: its event is still known
        Assert.Equal(-1, tail.EventAt(0));
        Assert.Equal(2, tail.EventStoredAs(9));
    }

    [Fact]
    public void A_page_is_bounded_by_lines_past_its_first_item()
    {
        int[] lines = [5, 5, 5, 50, 1];
        Assert.Equal(2, LinePage.Count(lines, 0, 5, maxLines: 12, l => l));
        Assert.Equal(1, LinePage.Count(lines, 3, 2, maxLines: 12, l => l)); // a first item over the bound goes alone
        Assert.Equal(5, LinePage.Count(lines, 0, 5, int.MaxValue, l => l));
        Assert.Equal(0, LinePage.Count(lines, 0, 0, 12, l => l));
    }

    [Theory]
    [InlineData(0, 100)]
    [InlineData(1, 112)]
    [InlineData(7, 187)]
    [InlineData(9, 112)]
    public void Each_queue_stretches_its_snapshot_interval_by_its_own_share(int slot, long interval)
    {
        var schedule = new SnapshotSchedule(every: 100, staggerSlot: slot);
        Assert.False(schedule.Due(interval - 1, 0));
        Assert.True(schedule.Due(interval, 0));
        Assert.False(schedule.Due(interval + 1, 0)); // counted as taken
        Assert.True(schedule.Due(2 * interval, 0));
    }

    [Fact]
    public void A_queue_whose_snapshot_holds_everything_grows_its_interval_with_its_size()
    {
        var schedule = new SnapshotSchedule(every: 100, staggerSlot: 0, growWithSize: true);
        Assert.False(schedule.Due(999, size: 4000)); // a quarter of 4,000
        Assert.True(schedule.Due(1000, size: 4000));
    }
}
