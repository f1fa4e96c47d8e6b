using OrderActors.Domain.Ingest;
using OrderActors.Domain.Units;

namespace OrderActors.Tests.Domain;

public class IngestLedgerTests
{
    [Fact]
    public void A_hand_off_names_the_stored_batches_that_hold_its_orders()
    {
        var ledger = new IngestLedger(TestData.RetainDelivered);
        ledger.Accept([TestData.Accepted("a", offset: 1), TestData.Accepted("b", offset: 2)], 1);
        ledger.Accept([TestData.Accepted("c", offset: 3)], 2);
        ledger.Accept([TestData.Accepted("d", offset: 4), TestData.Accepted("e", offset: 5)], 4);

        Assert.Equal([new StoredBatch(1, 1), new StoredBatch(3, 2), new StoredBatch(4, 4)], ledger.BatchesHolding(2, 5));
        Assert.Equal([new StoredBatch(3, 2)], ledger.BatchesHolding(3, 3));
        Assert.Equal([new StoredBatch(4, 4)], ledger.BatchesHolding(5, 5));
        Assert.Equal(4, StoredBatch.Holding(ledger.BatchesHolding(2, 5), 5));
        Assert.Null(StoredBatch.Holding([new StoredBatch(3, 2)], 2));
    }

    private const string Other = "0123456789ABCDEF0123456789ABCDEF";

    // a fingerprint-shaped value (32 hex digits) for a name
    private static string Fp(string name) => Convert.ToHexString(System.Security.Cryptography.MD5.HashData(System.Text.Encoding.UTF8.GetBytes(name)));

    [Fact]
    public void A_new_id_is_accepted_the_same_content_again_is_a_duplicate_and_other_content_a_conflict()
    {
        var ledger = new IngestLedger(TestData.RetainDelivered);
        ledger.Accept([TestData.Accepted("a", offset: 1)], 1);
        var batch = new Dictionary<string, string>();
        var stored = ledger.Find("a").Order!;

        Assert.Equal(AdmitDecision.Duplicate, ledger.Decide("a", stored.Fingerprint, batch));
        Assert.Equal(AdmitDecision.Conflict, ledger.Decide("a", Other, batch));
        Assert.Equal(AdmitDecision.Accept, ledger.Decide("b", Fp("fb"), batch));
    }

    [Fact]
    public void A_full_queue_throttles_new_orders_but_still_answers_duplicates_and_conflicts()
    {
        var ledger = new IngestLedger(TestData.RetainDelivered);
        ledger.Accept([TestData.Accepted("a", offset: 1), TestData.Accepted("b", offset: 2)], 2);
        var batch = new Dictionary<string, string>();
        Assert.Equal(AdmitDecision.Accept, ledger.Decide("c", Fp("fc"), batch, maxPending: 3));   // 2 pending + 1 unstored
        Assert.Equal(AdmitDecision.Throttled, ledger.Decide("d", Fp("fd"), batch, maxPending: 3));
        Assert.False(batch.ContainsKey("d"));
        Assert.Equal(AdmitDecision.Duplicate, ledger.Decide("a", ledger.Find("a").Order!.Fingerprint, batch, maxPending: 3));
        Assert.Equal(AdmitDecision.Conflict, ledger.Decide("c", Other, batch, maxPending: 3));

        // once the units confirm, there is room again
        ledger.ConfirmDelivered(2);
        Assert.Equal(AdmitDecision.Accept, ledger.Decide("d", Fp("fd"), batch, maxPending: 3));
    }

    [Fact]
    public void Within_one_batch_the_second_submission_of_an_id_is_judged_against_the_first()
    {
        var ledger = new IngestLedger(TestData.RetainDelivered);
        var batch = new Dictionary<string, string>();
        Assert.Equal(AdmitDecision.Accept, ledger.Decide("a", Fp("f1"), batch));
        Assert.Equal(AdmitDecision.Duplicate, ledger.Decide("a", Fp("f1"), batch));
        Assert.Equal(AdmitDecision.Conflict, ledger.Decide("a", Fp("f2"), batch));
    }

    [Fact]
    public void Pending_orders_leave_in_offset_order_until_confirmed()
    {
        var ledger = new IngestLedger(TestData.RetainDelivered);
        ledger.Accept([TestData.Accepted("a", offset: 1), TestData.Accepted("b", offset: 2), TestData.Accepted("c", offset: 3)], 3);
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
    public void A_ledger_restored_from_its_state_answers_as_the_original()
    {
        var ledger = new IngestLedger(retainDelivered: 10);
        for (var batch = 0; batch < 5; batch++)
            ledger.Accept(Enumerable.Range(1, 100).Select(i => TestData.Accepted($"o{batch * 100 + i}", offset: batch * 100 + i)).ToList(), sequenceNr: batch + 1);
        ledger.ConfirmDelivered(450);

        var restored = IngestLedger.FromState(ledger.ToState(), retainDelivered: 10);
        Assert.Equal((ledger.LastOffset, ledger.DeliveredUpTo, ledger.PendingCount, ledger.OrderCount),
            (restored.LastOffset, restored.DeliveredUpTo, restored.PendingCount, restored.OrderCount));
        Assert.Equal(ledger.NextPending(100).Select(o => o.OrderId), restored.NextPending(100).Select(o => o.OrderId));
        Assert.Equal(ledger.Find("o12"), restored.Find("o12"));
        Assert.Equal("o445", restored.Find("o445").Order!.OrderId);
        Assert.Equal(AdmitDecision.Duplicate, restored.Decide("o12", TestData.Accepted("o12", offset: 12).Fingerprint, new Dictionary<string, string>()));
        Assert.Equal(AdmitDecision.Conflict, restored.Decide("o12", Other, new Dictionary<string, string>()));
    }

    [Fact]
    public void A_snapshot_stored_before_the_compact_index_is_restored_from_its_lists()
    {
        var orders = Enumerable.Range(1, 3).Select(i => TestData.Accepted($"o{i}", offset: i)).ToList();
        UInt128 Parse(string fp) => UInt128.Parse(fp, System.Globalization.NumberStyles.HexNumber);
        // the lists in any order (they came from a dictionary), the fingerprint as two halves
        var rows = new[] { 2, 0, 1 };
        var old = new IngestState(3, 3, 4, [], [1], [1],
            OrderIds: rows.Select(r => orders[r].OrderId).ToList(),
            Offsets: rows.Select(r => orders[r].Offset).ToList(),
            FingerprintsHigh: rows.Select(r => (ulong)(Parse(orders[r].Fingerprint) >> 64)).ToList(),
            FingerprintsLow: rows.Select(r => (ulong)Parse(orders[r].Fingerprint)).ToList());

        var restored = IngestLedger.FromState(old, TestData.RetainDelivered);
        Assert.Equal(3, restored.OrderCount);
        Assert.Equal((null, 1L), restored.Find("o2"));
        Assert.Equal(AdmitDecision.Duplicate, restored.Decide("o3", orders[2].Fingerprint, new Dictionary<string, string>()));
        Assert.Equal(AdmitDecision.Conflict, restored.Decide("o3", Other, new Dictionary<string, string>()));
        restored.Accept([TestData.Accepted("o4", offset: 4)], 2);
        Assert.Equal(4, IngestLedger.FromState(restored.ToState(), TestData.RetainDelivered).OrderCount);
    }

    [Fact]
    public void Offsets_must_be_gapless()
    {
        var ledger = new IngestLedger(TestData.RetainDelivered);
        Assert.Throws<InvalidOperationException>(() => ledger.Accept([TestData.Accepted("a", offset: 2)], 1));
    }

    [Fact]
    public void Delivered_orders_leave_memory_beyond_the_latest_few_and_are_found_in_their_journal_event()
    {
        var ledger = new IngestLedger(retainDelivered: 100);
        for (var batch = 0; batch < 50; batch++)
            ledger.Accept(Enumerable.Range(1, 100).Select(i => TestData.Accepted($"o{batch * 100 + i}", offset: batch * 100 + i)).ToList(), sequenceNr: batch + 1);
        ledger.ConfirmDelivered(4000);
        Assert.Equal(1000, ledger.PendingCount);
        Assert.Equal("o4001", ledger.NextPending(1)[0].OrderId);
        Assert.Equal(5000, ledger.OrderCount);

        Assert.Equal("o3950", ledger.Find("o3950").Order!.OrderId);   // recent: in memory
        Assert.Equal("o4500", ledger.Find("o4500").Order!.OrderId);   // pending: in memory
        Assert.Equal((null, 13L), ledger.Find("o1234"));               // old: in event 13 (orders 1201..1300)
        Assert.Equal((null, null), ledger.Find("nope"));

        // idempotency covers every order ever accepted, old or not
        var old = TestData.Accepted("o17", offset: 17);
        Assert.Equal(AdmitDecision.Duplicate, ledger.Decide("o17", old.Fingerprint, new Dictionary<string, string>()));
        Assert.Equal(AdmitDecision.Conflict, ledger.Decide("o17", Other, new Dictionary<string, string>()));
    }
}

public class UnitQueueLedgerTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 10, 0, 0, TimeSpan.Zero);

    // an order accepted by first queue `queue` at `offset`
    private static OrderActors.Domain.Orders.AcceptedOrder A(string id, long offset, int queue = 0) =>
        TestData.Accepted(id, firstQueue: queue, offset: offset);

    private static long _sequenceNr;

    private static void Record(UnitQueueLedger ledger, params OrderActors.Domain.Orders.AcceptedOrder[] orders) =>
        ledger.Record(ledger.Admit(orders, Now), ++_sequenceNr);

    [Fact]
    public void Orders_get_gapless_seq_from_one_and_redelivered_ones_are_dropped_by_source_offset()
    {
        var ledger = new UnitQueueLedger(TestData.Units.RetainProcessed);
        var first = ledger.Admit([A("a", 1), A("b", 2)], Now);
        ledger.Record(first, 1);
        var second = ledger.Admit([A("b", 2), A("c", 3), A("c", 3), A("x", 1, queue: 4)], Now);
        ledger.Record(second, 2);

        Assert.Equal([1L, 2L], first.Select(e => e.Seq));
        Assert.Equal(["c", "x"], second.Select(e => e.OrderId)); // x: the same offset, but of another first queue
        Assert.Equal(4, ledger.LastSeq);
        Assert.Equal(2, ledger.Find(0, 2).Entry!.Seq);
        Assert.Equal((3L, 1L), (ledger.RecordedUpTo(0), ledger.RecordedUpTo(4)));
    }

    [Fact]
    public void Admitting_does_not_change_state_until_recorded()
    {
        var ledger = new UnitQueueLedger(TestData.Units.RetainProcessed);
        ledger.Admit([A("a", 1)], Now);
        Assert.Equal(0, ledger.LastSeq);
        Assert.Equal((null, null), ledger.Find(0, 1));
    }

    [Fact]
    public void Recording_an_order_twice_or_out_of_sequence_is_refused()
    {
        var ledger = new UnitQueueLedger(TestData.Units.RetainProcessed);
        var entries = ledger.Admit([A("a", 1)], Now);
        ledger.Record(entries, 1);
        Assert.Throws<InvalidOperationException>(() => ledger.Record(entries, 2));
        Assert.Throws<InvalidOperationException>(() => ledger.Record([entries[0] with { Seq = 3 }], 2));
    }

    [Fact]
    public void The_feed_lists_processed_orders_only_by_cursor()
    {
        var ledger = new UnitQueueLedger(TestData.Units.RetainProcessed);
        Record(ledger, Enumerable.Range(1, 5).Select(i => A($"o{i}", i)).ToArray());
        Assert.Empty(ledger.Feed(0, 10).Entries);
        Assert.Equal(5, ledger.Depth);

        ledger.MarkProcessed(3, Now.AddSeconds(1));
        Assert.Equal(2, ledger.Depth);
        Assert.Equal([1L, 2L], ledger.Feed(0, 2).Entries.Select(e => e.Seq));
        Assert.Equal([3L], ledger.Feed(2, 10).Entries.Select(e => e.Seq));
        Assert.Empty(ledger.Feed(3, 10).Entries);
        Assert.Equal([Now.AddSeconds(1), Now.AddSeconds(1), Now.AddSeconds(1)], ledger.Feed(0, 10).Entries.Select(e => e.ProcessedAt));
        Assert.Equal((4L, 5L), ledger.InProgress);
    }

    [Fact]
    public void Batches_have_stored_boundaries_the_first_from_its_event_the_next_named_by_the_processed_mark()
    {
        var ledger = new UnitQueueLedger(TestData.Units.RetainProcessed);
        Assert.Null(ledger.InProgress);
        Record(ledger, A("a", 1), A("b", 2));
        Assert.Equal((1L, 2L), ledger.InProgress);

        // recorded while a batch is in progress: waits for the next batch
        Record(ledger, A("c", 3));
        Record(ledger, A("d", 4), A("e", 5));
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

    [Fact]
    public void Memory_keeps_the_unprocessed_and_the_latest_processed_entries_and_names_the_journal_events_of_older_ones()
    {
        var ledger = new UnitQueueLedger(retainProcessed: 100);
        var stored = new Dictionary<long, IReadOnlyList<FeedEntry>>(); // journal sequence nr -> the entries of that event
        var at = new Dictionary<long, DateTimeOffset>();
        for (var batch = 0; batch < 50; batch++)
        {
            var entries = ledger.Admit(Enumerable.Range(1, 10).Select(i => A($"o{batch * 10 + i}", batch * 10 + i)).ToList(), Now);
            var sequenceNr = 2L * batch + 1; // each recorded event is followed by its processed mark
            ledger.Record(entries, sequenceNr);
            stored[sequenceNr] = entries;
            ledger.MarkProcessed(entries[^1].Seq, Now.AddSeconds(batch));
            at[batch] = Now.AddSeconds(batch);
        }
        Assert.Equal(500, ledger.ProcessedSeq);
        Assert.InRange(ledger.TailStart, 300, 401); // at most ~100 processed entries (+ a trim chunk) stay in memory

        // a recent page comes from memory
        var recent = ledger.Feed(480, 10);
        Assert.Null(recent.InJournal);
        Assert.Equal(Enumerable.Range(481, 10).Select(i => (long)i), recent.Entries.Select(e => e.Seq));

        // an old page names the journal events that hold it, and is made from them with the right processed times
        var old = ledger.Feed(15, 20);
        Assert.Empty(old.Entries); // the whole page is older than memory
        var span = old.InJournal!;
        Assert.Equal(3, span.FromSequenceNr); // the event holding seq 16 (entries 11..20)
        var read = stored.Where(kv => kv.Key >= span.FromSequenceNr && kv.Key <= span.ToSequenceNr).SelectMany(kv => kv.Value);
        var page = UnitQueueLedger.PageFromJournal(read, span, after: 15, limit: 20, processedSeq: ledger.ProcessedSeq);
        Assert.Equal(Enumerable.Range(16, 20).Select(i => (long)i), page.Select(e => e.Seq));
        Assert.Equal(at[1], page[0].ProcessedAt);   // seq 16 was processed with batch 1
        Assert.Equal(at[3], page[^1].ProcessedAt);  // seq 35 with batch 3

        // a page that starts in the journal and runs on into memory is whole
        var straddling = ledger.Feed(ledger.TailStart - 6, 10);
        Assert.Equal(5, straddling.Entries.Count);
        var readToo = stored.Where(kv => kv.Key >= straddling.InJournal!.FromSequenceNr && kv.Key <= straddling.InJournal.ToSequenceNr).SelectMany(kv => kv.Value);
        var whole = UnitQueueLedger.PageFromJournal(readToo, straddling.InJournal!, ledger.TailStart - 6, 10, ledger.ProcessedSeq, inMemory: straddling.Entries);
        Assert.Equal(Enumerable.Range((int)ledger.TailStart - 5, 10).Select(i => (long)i), whole.Select(e => e.Seq));

        // an old order is found in the journal, a recent one in memory, an unknown one nowhere
        var (entry, inJournal) = ledger.Find(0, 12);
        Assert.Null(entry);
        Assert.Equal((3L, 3L), (inJournal!.FromSequenceNr, inJournal.ToSequenceNr));
        Assert.Equal(at[1], inJournal.ProcessedAt(stored[3].Single(e => e.Order.Offset == 12)));
        Assert.Equal(499, ledger.Find(0, 499).Entry!.Seq);
        Assert.Equal((null, null), ledger.Find(0, 501));
        Assert.Equal((null, null), ledger.Find(1, 5));

        // restored from its state (a snapshot), it answers the same
        var restored = UnitQueueLedger.FromState(ledger.ToState(), retainProcessed: 100);
        Assert.Equal((ledger.LastSeq, ledger.ProcessedSeq, ledger.TailStart, ledger.InProgress),
            (restored.LastSeq, restored.ProcessedSeq, restored.TailStart, restored.InProgress));
        Assert.Equal(ledger.Feed(480, 10).Entries, restored.Feed(480, 10).Entries);
        Assert.Equal(ledger.Feed(15, 20).InJournal!.FromSequenceNr, restored.Feed(15, 20).InJournal!.FromSequenceNr);
        Assert.Equal(ledger.Find(0, 12).InJournal!.FromSequenceNr, restored.Find(0, 12).InJournal!.FromSequenceNr);
        Assert.Empty(restored.Admit([A("o7", 7)], Now));
        Assert.Equal(501, restored.Admit([A("o501", 501)], Now).Single().Seq);
    }

    [Fact]
    public void Fresh_entries_become_references_to_the_first_queue_batches_that_hold_them_or_stay_bodies_when_one_is_not_named()
    {
        var ledger = new UnitQueueLedger(TestData.Units.RetainProcessed);
        var fresh = ledger.Admit([A("a", 4, queue: 2), A("b", 5, queue: 2), A("c", 9, queue: 2)], Now);
        var refs = QueuedRefs.Of(fresh, sourceQueue: 2, [new StoredBatch(3, 11), new StoredBatch(8, 12)])!;

        Assert.Equal((1L, Now, (DateTimeOffset?)null), (refs.FirstSeq, refs.QueuedAt, refs.ProcessedAt));
        Assert.Equal([new OrderRef(2, 4, 11), new OrderRef(2, 5, 11), new OrderRef(2, 9, 12)], refs.Orders);
        Assert.Equal([1L, 2L, 3L], refs.Entries().Select(e => e.Seq));
        // a batch not named (a hand-off from an older node), another first queue's order, or no batches at all: the bodies are stored
        Assert.Null(QueuedRefs.Of(fresh, 2, [new StoredBatch(5, 11)]));
        Assert.Null(QueuedRefs.Of(fresh, 1, [new StoredBatch(1, 11)]));
        Assert.Null(QueuedRefs.Of(fresh, 2, []));
    }

    [Fact]
    public void Entries_recovered_as_references_are_resolved_with_their_bodies_and_only_those_still_in_memory_are_asked_for()
    {
        var ledger = new UnitQueueLedger(retainProcessed: 20);
        var bodies = Enumerable.Range(1, 200).Select(i => A($"o{i}", i, queue: 1)).ToList();
        // 200 orders recorded by reference in two events, the first 150 processed since
        ledger.Record(new QueuedRefs(1, Now, null, bodies.Take(100).Select(o => new OrderRef(1, o.Offset, 5)).ToList()), 1);
        ledger.Record(new QueuedRefs(101, Now, null, bodies.Skip(100).Select(o => new OrderRef(1, o.Offset, 6)).ToList()), 2);
        ledger.MarkProcessed(150, Now.AddSeconds(1));

        var unresolved = ledger.Unresolved();
        Assert.Equal(131, ledger.TailStart);
        Assert.Equal(Enumerable.Range((int)ledger.TailStart, 200 - (int)ledger.TailStart + 1).Select(i => (long)i), unresolved.Select(e => e.Seq));
        Assert.Throws<InvalidOperationException>(() => ledger.ToState());

        ledger.Resolve(unresolved.Select(e => e.With(bodies[(int)e.Ref.Offset - 1])));
        Assert.Empty(ledger.Unresolved());
        var inProgress = ledger.Range(151, 200);
        Assert.Equal(bodies.Skip(150).Select(o => o.OrderId), inProgress.Select(e => e.OrderId));
        Assert.All(inProgress, e => Assert.Equal(e.Order.Order.Lines.Count, bodies[(int)e.Order.Offset - 1].Order.Lines.Count));
        Assert.Equal(Now.AddSeconds(1), ledger.Feed(140, 1).Entries.Single().ProcessedAt);
        Assert.Throws<InvalidOperationException>(() => new ReferencedEntry(7, new OrderRef(1, 7, 5), Now, null).With(bodies[7]));
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
        var ledger = new IngestLedger(TestData.RetainDelivered);
        ledger.Accept([WithLines("a", 600, 1), WithLines("b", 600, 2), WithLines("c", 600, 3)], 1);
        Assert.Equal(["a"], ledger.NextPending(10, maxLines: 1000).Select(o => o.OrderId));
        Assert.Equal(["a", "b"], ledger.NextPending(10, maxLines: 1200).Select(o => o.OrderId));
        Assert.Equal(["a"], ledger.NextPending(10, maxLines: 10).Select(o => o.OrderId)); // one order even when it alone is over
    }

    [Fact]
    public void A_feed_page_is_bounded_by_lines_and_the_cursor_continues_it()
    {
        var ledger = new UnitQueueLedger(TestData.Units.RetainProcessed);
        ledger.Record(ledger.Admit([WithLines("a", 600, 1), WithLines("b", 600, 2), WithLines("c", 600, 3)], DateTimeOffset.UnixEpoch), 1);
        ledger.MarkProcessed(3, DateTimeOffset.UnixEpoch);
        Assert.Equal([1L], ledger.Feed(0, 100, maxLines: 1000).Entries.Select(e => e.Seq));
        Assert.Equal([2L], ledger.Feed(1, 100, maxLines: 1000).Entries.Select(e => e.Seq));
        Assert.Equal([2L, 3L], ledger.Feed(1, 100, maxLines: 1200).Entries.Select(e => e.Seq));
    }
}
