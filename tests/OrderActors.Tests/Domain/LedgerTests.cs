using OrderActors.Domain.Ingest;
using OrderActors.Domain.Units;

namespace OrderActors.Tests.Domain;

public class IngestLedgerTests
{
    [Fact]
    public void A_new_id_is_accepted_the_same_content_again_is_a_duplicate_and_other_content_a_conflict()
    {
        var ledger = new IngestLedger();
        ledger.Accept([TestData.Accepted("a", offset: 1)]);
        var batch = new Dictionary<string, string>();
        var stored = ledger.Find("a")!;

        Assert.Equal(AdmitDecision.Duplicate, ledger.Decide("a", stored.Fingerprint, batch));
        Assert.Equal(AdmitDecision.Conflict, ledger.Decide("a", "other", batch));
        Assert.Equal(AdmitDecision.Accept, ledger.Decide("b", "fb", batch));
    }

    [Fact]
    public void A_full_queue_throttles_new_orders_but_still_answers_duplicates_and_conflicts()
    {
        var ledger = new IngestLedger();
        ledger.Accept([TestData.Accepted("a", offset: 1), TestData.Accepted("b", offset: 2)]);
        var batch = new Dictionary<string, string>();
        Assert.Equal(AdmitDecision.Accept, ledger.Decide("c", "fc", batch, maxPending: 3));   // 2 pending + 1 unstored
        Assert.Equal(AdmitDecision.Throttled, ledger.Decide("d", "fd", batch, maxPending: 3));
        Assert.False(batch.ContainsKey("d"));
        Assert.Equal(AdmitDecision.Duplicate, ledger.Decide("a", ledger.Find("a")!.Fingerprint, batch, maxPending: 3));
        Assert.Equal(AdmitDecision.Conflict, ledger.Decide("c", "other", batch, maxPending: 3));

        // once the units confirm, there is room again
        ledger.ConfirmDelivered(2);
        Assert.Equal(AdmitDecision.Accept, ledger.Decide("d", "fd", batch, maxPending: 3));
    }

    [Fact]
    public void Within_one_batch_the_second_submission_of_an_id_is_judged_against_the_first()
    {
        var ledger = new IngestLedger();
        var batch = new Dictionary<string, string>();
        Assert.Equal(AdmitDecision.Accept, ledger.Decide("a", "f1", batch));
        Assert.Equal(AdmitDecision.Duplicate, ledger.Decide("a", "f1", batch));
        Assert.Equal(AdmitDecision.Conflict, ledger.Decide("a", "f2", batch));
    }

    [Fact]
    public void Pending_orders_leave_in_offset_order_until_confirmed()
    {
        var ledger = new IngestLedger();
        ledger.Accept([TestData.Accepted("a", offset: 1), TestData.Accepted("b", offset: 2), TestData.Accepted("c", offset: 3)]);
        Assert.Equal(["a", "b"], ledger.NextPending(2).Select(o => o.OrderId));

        ledger.ConfirmDelivered(2);
        Assert.Equal(["c"], ledger.NextPending(10).Select(o => o.OrderId));
        Assert.Equal(1, ledger.PendingCount);

        ledger.ConfirmDelivered(1); // a stale confirmation changes nothing
        Assert.Equal(2, ledger.DeliveredUpTo);
        ledger.ConfirmDelivered(3);
        Assert.Empty(ledger.NextPending(10));
        Assert.Equal(3, ledger.OrderCount);
    }

    [Fact]
    public void Offsets_must_be_gapless()
    {
        var ledger = new IngestLedger();
        Assert.Throws<InvalidOperationException>(() => ledger.Accept([TestData.Accepted("a", offset: 2)]));
    }

    [Fact]
    public void Many_confirmed_orders_are_compacted_away_from_the_pending_list()
    {
        var ledger = new IngestLedger();
        ledger.Accept(Enumerable.Range(1, 5000).Select(i => TestData.Accepted($"o{i}", offset: i)).ToList());
        ledger.ConfirmDelivered(4000);
        Assert.Equal(1000, ledger.PendingCount);
        Assert.Equal("o4001", ledger.NextPending(1)[0].OrderId);
    }
}

public class UnitQueueLedgerTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Orders_get_gapless_seq_from_one_and_redelivered_ones_are_dropped()
    {
        var ledger = new UnitQueueLedger();
        var first = ledger.Admit([TestData.Accepted("a"), TestData.Accepted("b")], Now);
        ledger.Record(first);
        var second = ledger.Admit([TestData.Accepted("b"), TestData.Accepted("c"), TestData.Accepted("c")], Now);
        ledger.Record(second);

        Assert.Equal([1L, 2L], first.Select(e => e.Seq));
        Assert.Equal(["c"], second.Select(e => e.OrderId));
        Assert.Equal(3, second.Single().Seq);
        Assert.Equal(3, ledger.LastSeq);
        Assert.Equal(2, ledger.Find("b")!.Seq);
    }

    [Fact]
    public void Admitting_does_not_change_state_until_recorded()
    {
        var ledger = new UnitQueueLedger();
        ledger.Admit([TestData.Accepted("a")], Now);
        Assert.Equal(0, ledger.LastSeq);
        Assert.Null(ledger.Find("a"));
    }

    [Fact]
    public void Recording_an_order_twice_or_out_of_sequence_is_refused()
    {
        var ledger = new UnitQueueLedger();
        var entries = ledger.Admit([TestData.Accepted("a")], Now);
        ledger.Record(entries);
        Assert.Throws<InvalidOperationException>(() => ledger.Record(entries));
        Assert.Throws<InvalidOperationException>(() => ledger.Record([entries[0] with { Seq = 2 }]));
    }

    [Fact]
    public void The_feed_lists_processed_orders_only_by_cursor()
    {
        var ledger = new UnitQueueLedger();
        ledger.Record(ledger.Admit(Enumerable.Range(1, 5).Select(i => TestData.Accepted($"o{i}")).ToList(), Now));
        Assert.Empty(ledger.Feed(0, 10));
        Assert.Equal(5, ledger.Depth);

        ledger.MarkProcessed(3, Now.AddSeconds(1));
        Assert.Equal(2, ledger.Depth);
        Assert.Equal([1L, 2L], ledger.Feed(0, 2).Select(e => e.Seq));
        Assert.Equal([3L], ledger.Feed(2, 10).Select(e => e.Seq));
        Assert.Empty(ledger.Feed(3, 10));
        Assert.All(ledger.Feed(0, 10), e => Assert.Equal(Now.AddSeconds(1), e.ProcessedAt));
        Assert.Equal((4L, 5L), ledger.InProgress);
    }

    [Fact]
    public void Batches_have_stored_boundaries_the_first_from_its_event_the_next_named_by_the_processed_mark()
    {
        var ledger = new UnitQueueLedger();
        Assert.Null(ledger.InProgress);
        ledger.Record(ledger.Admit([TestData.Accepted("a"), TestData.Accepted("b")], Now));
        Assert.Equal((1L, 2L), ledger.InProgress);

        // recorded while a batch is in progress: waits for the next batch
        ledger.Record(ledger.Admit([TestData.Accepted("c")], Now));
        ledger.Record(ledger.Admit([TestData.Accepted("d"), TestData.Accepted("e")], Now));
        Assert.Equal((1L, 2L), ledger.InProgress);

        // the processed mark names the next batch: everything recorded since, at most max
        Assert.Equal(4L, ledger.NextBatchEnd(2, max: 2));
        ledger.MarkProcessed(2, Now, nextBatchEnd: 4);
        Assert.Equal((3L, 4L), ledger.InProgress);
        Assert.Equal(5L, ledger.NextBatchEnd(4, max: 1000));
        ledger.MarkProcessed(4, Now, nextBatchEnd: 5);
        Assert.Equal((5L, 5L), ledger.InProgress);
        Assert.Null(ledger.NextBatchEnd(5, max: 1000));
        ledger.MarkProcessed(5, Now, nextBatchEnd: null);
        Assert.Null(ledger.InProgress);
        Assert.Equal(0, ledger.Depth);
    }
}

public class MessageSizeBoundTests
{
    private static OrderActors.Domain.Orders.AcceptedOrder WithLines(string id, int lines, long offset) =>
        TestData.Accepted(id, offset: offset) with
        {
            Order = TestData.Order(id) with { Lines = Enumerable.Range(0, lines).Select(i => new OrderActors.Domain.Orders.OrderLine($"{i}", 1, null)).ToList() },
        };

    [Fact]
    public void A_delivery_is_bounded_by_lines_as_well_as_by_orders_and_always_carries_one_order()
    {
        var ledger = new IngestLedger();
        ledger.Accept([WithLines("a", 600, 1), WithLines("b", 600, 2), WithLines("c", 600, 3)]);
        Assert.Equal(["a"], ledger.NextPending(10, maxLines: 1000).Select(o => o.OrderId));
        Assert.Equal(["a", "b"], ledger.NextPending(10, maxLines: 1200).Select(o => o.OrderId));
        Assert.Equal(["a"], ledger.NextPending(10, maxLines: 10).Select(o => o.OrderId)); // one order even when it alone is over
    }

    [Fact]
    public void A_feed_page_is_bounded_by_lines_and_the_cursor_continues_it()
    {
        var ledger = new UnitQueueLedger();
        ledger.Record(ledger.Admit([WithLines("a", 600, 1), WithLines("b", 600, 2), WithLines("c", 600, 3)], DateTimeOffset.UnixEpoch));
        ledger.MarkProcessed(3, DateTimeOffset.UnixEpoch);
        Assert.Equal([1L], ledger.Feed(0, 100, maxLines: 1000).Select(e => e.Seq));
        Assert.Equal([2L], ledger.Feed(1, 100, maxLines: 1000).Select(e => e.Seq));
        Assert.Equal([2L, 3L], ledger.Feed(1, 100, maxLines: 1200).Select(e => e.Seq));
    }
}
