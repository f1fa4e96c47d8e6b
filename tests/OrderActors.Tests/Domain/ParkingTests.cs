using OrderActors.Domain.Delivery;

namespace OrderActors.Tests.Domain;

public class WebhookPushTests
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.UnixEpoch;
    private static readonly UnitDeliverySettings Block = new(DeliveryMode.Webhook, "http://127.0.0.1/", ["whsec_x"], Batch: 100);
    private static readonly UnitDeliverySettings Park = Block with { OnFailure = FailurePolicy.Park, MaxAttempts = 3 };

    private static WebhookPush Push() => new(new RetrySchedule(TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(5)));

    private static PushStep Attempt(WebhookPush push, int? status, UnitDeliverySettings settings, DateTimeOffset? at = null)
    {
        push.Attempting(at ?? T0, settings, queues: 1);
        return push.Decide(status, null, status is null ? "no answer within 10s" : $"{status}", settings, at ?? T0, new Random(1));
    }

    [Fact]
    public void Under_block_every_failure_is_retried_without_limit_even_a_refusal()
    {
        var push = Push();
        push.Begin(1, 100, PushKind.Stream);
        for (var i = 0; i < 50; i++)
            Assert.IsType<PushStep.RetryIn>(Attempt(push, i % 2 == 0 ? 400 : 503, Block));
        Assert.Equal(50, push.InFlight!.Attempts);
        Assert.IsType<PushStep.Confirm>(Attempt(push, 204, Block));
    }

    [Fact]
    public void Under_park_a_refused_batch_is_narrowed_to_single_orders_and_only_the_refused_one_is_parked()
    {
        var push = Push();
        push.Begin(11, 20, PushKind.Stream);
        Assert.IsType<PushStep.NarrowDown>(Attempt(push, 400, Park));
        push.Done();
        // every request up to the refused batch's end carries one order; then batches again
        for (var cursor = 10L; cursor < 20; cursor++) Assert.Equal(1, push.NextBatch(cursor, Park, 1));
        Assert.Equal(100, push.NextBatch(20, Park, 1));
        Assert.Equal(PushKind.Narrowing, push.Begin(11, 11, PushKind.Stream).Kind);
        Assert.IsType<PushStep.Confirm>(Attempt(push, 200, Park));
        push.Begin(12, 12, PushKind.Stream);
        Assert.Equal(new PushStep.Park(422, "422"), Attempt(push, 422, Park));
    }

    [Fact]
    public void Under_park_retryable_failures_park_the_request_after_max_attempts_or_max_age()
    {
        var push = Push();
        push.Begin(1, 5, PushKind.Stream);
        Assert.IsType<PushStep.RetryIn>(Attempt(push, 503, Park));
        Assert.IsType<PushStep.RetryIn>(Attempt(push, null, Park));
        Assert.Equal(new PushStep.Park(null, "no answer within 10s"), Attempt(push, null, Park));

        var aged = Park with { MaxAttempts = 100, MaxAge = TimeSpan.FromMinutes(10) };
        push.Begin(6, 6, PushKind.Stream);
        Assert.IsType<PushStep.RetryIn>(Attempt(push, 500, aged, T0));
        Assert.IsType<PushStep.RetryIn>(Attempt(push, 500, aged, T0.AddMinutes(9)));
        Assert.IsType<PushStep.Park>(Attempt(push, 500, aged, T0.AddMinutes(10)));
    }

    [Fact]
    public void A_parked_order_sent_again_is_parked_again_rather_than_blocking_the_queue_whatever_the_policy()
    {
        var push = Push();
        push.Begin(7, 7, PushKind.ParkedRetry);
        Assert.IsType<PushStep.Park>(Attempt(push, 400, Block with { MaxAttempts = 3 }));
    }

    [Theory]
    [InlineData(410, typeof(PushStep.Pause))]
    [InlineData(429, typeof(PushStep.RetryIn))]
    [InlineData(408, typeof(PushStep.RetryIn))]
    [InlineData(409, typeof(PushStep.RetryIn))]
    [InlineData(425, typeof(PushStep.RetryIn))]
    [InlineData(201, typeof(PushStep.Confirm))]
    public void Statuses_are_read_as_a_production_sender_reads_them(int status, Type step)
    {
        var push = Push();
        push.Begin(1, 3, PushKind.Stream);
        Assert.IsType(step, Attempt(push, status, Park));
    }

    [Fact]
    public void The_rate_limit_is_shared_by_the_units_queues_and_paces_requests_by_their_orders()
    {
        var push = Push();
        var limited = Block with { RateLimit = 20 }; // 4 queues: 5 orders/s each
        Assert.Equal(5, push.NextBatch(0, limited, 4));
        push.Begin(1, 5, PushKind.Stream);
        push.Attempting(T0, limited, 4);
        Assert.Equal(TimeSpan.FromSeconds(1), push.PaceWait(T0));
        Assert.Equal(TimeSpan.FromMilliseconds(400), push.PaceWait(T0.AddMilliseconds(600)));
        Assert.Equal(TimeSpan.Zero, push.PaceWait(T0.AddSeconds(1)));
        Assert.Equal(1, push.NextBatch(0, Block with { RateLimit = 0.5 }, 4)); // under one order a second: one at a time
        Assert.Equal(100, push.NextBatch(0, Block, 4));
    }
}

public class UnstoredConfirmationsTests
{
    private static DeliveredMark Mark(long upTo) => new(upTo, DateTimeOffset.UnixEpoch.AddSeconds(upTo), 1);

    [Fact]
    public void Confirmations_are_due_for_one_write_once_enough_orders_wait_and_no_such_write_is_on_its_way()
    {
        var unstored = new UnstoredConfirmations(storeEvery: 10);
        Assert.False(unstored.Any);
        unstored.Add(Mark(4), 4, 0);
        unstored.Add(Mark(9), 5, 4);
        Assert.True(unstored.Any);
        Assert.False(unstored.Due); // 9 orders: the interval's timer stores them
        unstored.Add(Mark(12), 3, 9);
        Assert.True(unstored.Due);
        Assert.Equal([4L, 9L, 12L], unstored.Take().Select(m => m.UpTo)); // in the order they came
        Assert.False(unstored.Any);
        unstored.Add(Mark(30), 18, 12);
        Assert.False(unstored.Due); // one write at a time by count: the one on its way takes the next ones when done
        unstored.Stored();
        Assert.True(unstored.Due);
        Assert.Equal([30L], unstored.Take().Select(m => m.UpTo));
        Assert.False(unstored.Due);
    }

    [Fact]
    public void A_confirmation_counts_as_stored_only_once_its_write_is_done()
    {
        var unstored = new UnstoredConfirmations(storeEvery: 100);
        Assert.True(unstored.IsStored(50)); // nothing waits: every confirmation applied is stored
        unstored.Add(Mark(4), 4, 0);
        unstored.Add(Mark(9), 5, 4);
        Assert.Equal([false, false], new[] { 4L, 9L }.Select(unstored.IsStored));
        unstored.Take(); // the write of 4 and 9 on its way
        unstored.Add(Mark(12), 3, 9);
        Assert.False(unstored.IsStored(9));
        unstored.Stored(); // 4 and 9 stored; 12 still waits
        Assert.Equal([true, true, false], new[] { 4L, 9L, 12L }.Select(unstored.IsStored));
        unstored.Take();
        unstored.Stored();
        Assert.True(unstored.IsStored(12));
    }
}

public class QueueDeliveryStateTests
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.UnixEpoch;

    private static ParkedOrder Parked(long seq, int attempts = 3) => new(seq, $"o{seq}", 400, "400 Bad Request", attempts, T0, T0.AddSeconds(seq));

    [Fact]
    public void A_parked_order_is_skipped_by_the_cursor_and_shown_parked_not_delivered()
    {
        var state = new QueueDeliveryState();
        state.Delivered(new DeliveredMark(4, T0, 1));
        state.ParkedNow([Parked(5)]);
        state.Delivered(new DeliveredMark(9, T0.AddSeconds(1), 2));
        Assert.Equal(9, state.Cursor.DeliveredUpTo);
        Assert.Equal(ParkedState.Parked, state.Of(5, null).Parked!.State);
        Assert.Null(state.Of(5, null).DeliveredAt);
        Assert.Equal((T0.AddSeconds(1), 2), (state.Of(6, null).DeliveredAt!.Value, state.Of(6, null).Attempts));
        Assert.Equal(1, state.Of(4, null).Attempts);
        Assert.Equal(3, state.Of(10, new PushRequest(10, 12, PushKind.Stream, 3, T0)).Attempts); // in flight: its attempts so far
    }

    [Fact]
    public void Retry_delivers_a_parked_order_once_and_archive_sets_aside_only_what_is_still_parked()
    {
        var state = new QueueDeliveryState();
        state.ParkedNow([Parked(1), Parked(2), Parked(3)]);
        Assert.Equal([1L, 2L, 3L], state.Parked.Retriable(null));
        state.Parked.Retry([1, 2]);
        Assert.Equal(1, state.Parked.NextRetry()!.Seq);
        Assert.Equal([3L], state.Parked.Retriable(null)); // already retrying
        state.Parked.Delivered(1, T0.AddMinutes(1), 1);
        var one = state.Of(1, null);
        Assert.Equal((T0.AddMinutes(1), 4), (one.DeliveredAt!.Value, one.Attempts));
        Assert.Null(one.Parked);
        state.ParkedNow([Parked(2, attempts: 2)]); // the retry failed again: attempts add up, the first attempt stays
        Assert.Equal((ParkedState.Parked, 5), (state.Parked.Find(2)!.State, state.Parked.Find(2)!.Attempts));
        Assert.Equal([2L, 3L], state.Parked.Archivable(null));
        Assert.Empty(state.Parked.Archivable([1]));
        state.Parked.Archive([3], T0);
        Assert.Equal(ParkedState.Archived, state.Of(3, null).Parked!.State);
        Assert.Equal([2L], state.Parked.Matching(new ParkedFilter()).Select(p => p.Seq));
        Assert.Equal([3L], state.Parked.Matching(new ParkedFilter(Archived: true)).Select(p => p.Seq));
    }

    [Fact]
    public void A_parked_retry_after_a_replay_does_not_move_the_cursor_past_orders_not_yet_sent()
    {
        var state = new QueueDeliveryState();
        state.Delivered(new DeliveredMark(10, T0));
        state.ParkedNow([Parked(11)]);
        state.Replayed(3);
        Assert.Equal(2, state.Cursor.DeliveredUpTo);
        state.ParkedNow([Parked(11, 1)]);
        Assert.Equal(2, state.Cursor.DeliveredUpTo);
        // the replay delivers the queue again over the parked order: it counts as delivered now
        state.Delivered(new DeliveredMark(12, T0.AddMinutes(1)));
        Assert.Equal(ParkedState.Delivered, state.Parked.Find(11)!.State);
        Assert.Equal(T0, state.Of(5, null).DeliveredAt); // first delivered before the replay, and still so
        Assert.Equal(T0.AddMinutes(1), state.Of(11, null).DeliveredAt);
    }

    [Fact]
    public void Replay_moves_the_cursor_back_never_forward_and_acks_advance_it_again()
    {
        var cursor = new DeliveryCursor();
        cursor.Apply(new DeliveredMark(10, T0));
        Assert.False(cursor.CanReplayFrom(12));
        Assert.False(cursor.CanReplayFrom(0));
        Assert.True(cursor.CanReplayFrom(11));
        cursor.Replay(4);
        Assert.Equal(3, cursor.DeliveredUpTo);
        Assert.Equal(AckOutcome.Advanced, cursor.Decide(5, 10));
        cursor.Apply(new DeliveredMark(5, T0.AddSeconds(9)));
        Assert.Equal((5L, 10L, 1), (cursor.DeliveredUpTo, cursor.ConfirmedUpTo, cursor.Marks.Count));
    }

    [Fact]
    public void A_snapshot_restores_cursor_marks_parked_orders_and_history_and_one_of_an_earlier_build_its_marks()
    {
        var state = new QueueDeliveryState();
        var shipped = new BusinessStatus("shipped", T0, "ref", null, T0);
        state.Restore([new DeliveredMark(10, T0, 1)], 3, [Parked(7)], [(7L, shipped)]);
        Assert.Equal((3L, 10L), (state.Cursor.DeliveredUpTo, state.Cursor.ConfirmedUpTo));
        Assert.Equal([shipped], state.Of(7, null).History);
        Assert.NotNull(state.Of(7, null).Parked);
        var old = new QueueDeliveryState();
        old.Restore([new DeliveredMark(4, T0), new DeliveredMark(10, T0)], null, [], []);
        Assert.Equal(10, old.Cursor.DeliveredUpTo);
    }
}

public class BusinessStatusTests
{
    [Theory]
    [InlineData("shipped")]
    [InlineData("picked")]
    [InlineData("credit-hold")]
    [InlineData("in_transit2")]
    public void A_status_is_a_lowercase_word(string status) => Assert.True(BusinessStatus.Validate(status, null, null).IsEmpty);

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Shipped")]
    [InlineData("2shipped")]
    [InlineData("shipped now")]
    [InlineData("abcdefghijklmnopqrstuvwxyzabcdefg")]
    public void Anything_else_is_refused_naming_the_field(string? status) =>
        Assert.Equal(["status"], BusinessStatus.Validate(status, null, null).ToDictionary().Keys);

    [Fact]
    public void Reference_and_note_have_limits() =>
        Assert.Equal(["reference", "note"],
            BusinessStatus.Validate("shipped", new string('r', 201), new string('n', 2001)).ToDictionary().Keys);
}
