using OrderActors.Domain.Delivery;
using OrderActors.Domain.Orders;
using OrderActors.Domain.Routing;
using OrderActors.Domain.Units;
using static OrderActors.Domain.Delivery.PushEffect;

namespace OrderActors.Tests.Domain;

/// <summary>
/// The webhook push as a state machine, over every path an attempt can take. <see cref="Queue"/> plays the actor: it
/// answers feed reads from a queue of processed orders, applies what the pusher asks to store and tells it
/// <see cref="PushEvent.Applied"/>, as <c>DeliveryActor</c> does.
/// </summary>
public class WebhookPusherTests
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.UnixEpoch;
    private static readonly UnitDeliverySettings Block = new(DeliveryMode.Webhook, "http://127.0.0.1:9/hook", ["whsec_x"], Batch: 10);
    private static readonly UnitDeliverySettings Park = Block with { OnFailure = FailurePolicy.Park, MaxAttempts = 3 };

    private sealed class Queue
    {
        public readonly QueueDeliveryState State = new();
        public readonly WebhookPusher Pusher;
        public readonly List<PushEffect> Effects = new();
        public readonly List<FeedEntry> Feed;
        public string? JournalProblem;
        public DateTimeOffset Now = T0;

        public Queue(UnitDeliverySettings settings, int orders)
        {
            Pusher = new WebhookPusher(new UnitQueueAddress("wms", 0), 1, new RetrySchedule(TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1)),
                TimeSpan.FromSeconds(20), TimeSpan.FromMilliseconds(500), settings, new Random(7));
            Feed = Enumerable.Range(1, orders).Select(i => new FeedEntry(i,
                new AcceptedOrder(new Order($"o-{i}", "B2C", null, null, [new OrderLine("1", 1, null)]), 0, i, T0, ""), T0, T0)).ToList();
        }

        public IReadOnlyList<PushEffect> Tell(PushEvent e)
        {
            var effects = Pusher.Handle(e, new PushView(State.Cursor.DeliveredUpTo, State.Parked, JournalProblem, Now));
            Effects.AddRange(effects);
            foreach (var effect in effects)
                switch (effect)
                {
                    case Confirm c:
                        State.Delivered(c.Mark);
                        Tell(new PushEvent.Applied());
                        break;
                    case StorePark p:
                        State.ParkedNow(p.Orders);
                        Tell(new PushEvent.Applied());
                        break;
                    case StoreParkedDelivered d:
                        State.Parked.Delivered(d.Seq, d.At, d.Attempts);
                        Tell(new PushEvent.Applied());
                        break;
                }
            return effects;
        }

        /// <summary>Answers the last feed read asked for, as the unit queue would.</summary>
        public void AnswerRead()
        {
            var read = Effects.OfType<ReadFeed>().Last();
            Tell(new PushEvent.PageRead(Feed.Where(e => e.Seq > read.After).Take(read.Limit).ToList()));
        }

        public Send LastSend => Effects.OfType<Send>().Last();

        public void Answer(int? status, TimeSpan? retryAfter = null) =>
            Tell(new PushEvent.AttemptDone(LastSend.Batch.Id, status, retryAfter, status is null ? "no answer within 10s" : $"{status}"));

        public int Sends => Effects.OfType<Send>().Count();
    }

    private static Queue Started(UnitDeliverySettings settings, int orders)
    {
        var q = new Queue(settings, orders);
        q.Tell(new PushEvent.Kick());
        q.AnswerRead();
        return q;
    }

    [Fact]
    public void A_2xx_moves_the_cursor_and_the_next_read_starts_after_it()
    {
        var q = Started(Block, 25);
        Assert.Equal((1, 10), (q.LastSend.Batch.FirstSeq, q.LastSend.Batch.LastSeq));
        Assert.Equal("wms:0:1-10", q.LastSend.Batch.Id);
        q.Now = T0.AddSeconds(1);
        q.Answer(200);
        Assert.Equal(10, q.State.Cursor.DeliveredUpTo);
        Assert.Equal(new DeliveredMark(10, T0.AddSeconds(1), 1), q.Effects.OfType<Confirm>().Single().Mark);
        Assert.Equal(new ReadFeed(10, 10, TimeSpan.FromSeconds(20)), q.Effects.OfType<ReadFeed>().Last());
        q.AnswerRead();
        q.Answer(204);
        q.AnswerRead();
        q.Answer(299);
        Assert.Equal(25, q.State.Cursor.DeliveredUpTo);
        Assert.Null(q.Pusher.InFlight);
        Assert.Null(q.Pusher.LastError);
    }

    [Fact]
    public void A_5xx_or_no_answer_backs_off_and_sends_the_same_batch_again_under_the_same_id_only_when_the_timer_is_due()
    {
        var q = Started(Block, 5);
        var first = q.LastSend.Batch;
        q.Answer(503);
        var retry = q.Effects.OfType<ScheduleRetry>().Single();
        Assert.Equal(first.Id, retry.RequestId);
        Assert.InRange(retry.After, TimeSpan.Zero, TimeSpan.FromSeconds(1));
        Assert.Equal("503", q.Pusher.LastError);
        Assert.NotNull(q.Pusher.NextAttemptAt);

        q.Tell(new PushEvent.Kick()); // a wake does not send before the timer
        Assert.Equal(1, q.Sends);
        q.Tell(new PushEvent.RetryDue("wms:0:9-9")); // another request's timer
        Assert.Equal(1, q.Sends);
        q.Tell(new PushEvent.RetryDue(first.Id));
        Assert.Equal(2, q.Sends);
        Assert.Same(first, q.LastSend.Batch);
        Assert.Equal(2, q.Pusher.InFlight!.Attempts);

        q.Answer(null); // no answer (a timeout)
        Assert.Equal("no answer within 10s", q.Pusher.LastError);
        q.Tell(new PushEvent.RetryDue(first.Id));
        q.Answer(200);
        Assert.Equal(new DeliveredMark(5, T0, 3), q.Effects.OfType<Confirm>().Single().Mark);
        Assert.Null(q.Pusher.NextAttemptAt);
    }

    [Fact]
    public void A_429_waits_what_its_Retry_After_says()
    {
        var q = Started(Block, 3);
        q.Answer(429, TimeSpan.FromSeconds(30));
        Assert.Equal(TimeSpan.FromSeconds(30), q.Effects.OfType<ScheduleRetry>().Single().After);
        Assert.Equal(T0.AddSeconds(30), q.Pusher.NextAttemptAt);
    }

    [Fact]
    public void A_refused_batch_under_park_is_narrowed_to_single_orders_and_only_the_refused_one_is_parked()
    {
        var q = Started(Park, 4);
        q.Answer(422);
        Assert.Contains(q.Effects.OfType<Log>(), l => l.Warning && l.Text.Contains("sending them one by one"));
        q.AnswerRead();
        Assert.Equal((1, 1), (q.LastSend.Batch.FirstSeq, q.LastSend.Batch.LastSeq));
        q.Answer(200);
        q.AnswerRead();
        q.Answer(422); // order 2 is the refused one
        var parked = Assert.Single(q.Effects.OfType<StorePark>().Single().Orders);
        Assert.Equal((2L, "o-2", 422, 1), (parked.Seq, parked.OrderId, parked.Status, parked.Attempts));
        q.AnswerRead();
        q.Answer(200);
        q.AnswerRead();
        q.Answer(200);
        Assert.Equal(4, q.State.Cursor.DeliveredUpTo);
        Assert.Equal(1, q.State.Parked.Open);
        Assert.Equal(1 + 4, q.Sends);
    }

    [Fact]
    public void Under_block_a_refusal_is_retried_without_limit_and_the_queue_waits()
    {
        var q = Started(Block, 2);
        for (var attempt = 1; attempt <= 20; attempt++)
        {
            q.Answer(400);
            q.Tell(new PushEvent.RetryDue(q.LastSend.Batch.Id));
        }
        Assert.Empty(q.Effects.OfType<StorePark>());
        Assert.Equal(0, q.State.Cursor.DeliveredUpTo);
        Assert.Equal(21, q.Pusher.InFlight!.Attempts);
    }

    [Fact]
    public void Under_park_a_failing_batch_is_parked_after_max_attempts_or_max_age_and_the_queue_goes_on()
    {
        var q = Started(Park, 3);
        for (var attempt = 1; attempt < 3; attempt++)
        {
            q.Answer(500);
            q.Tell(new PushEvent.RetryDue(q.LastSend.Batch.Id));
        }
        q.Answer(500);
        Assert.Equal([1L, 2L, 3L], q.Effects.OfType<StorePark>().Single().Orders.Select(p => p.Seq));
        Assert.Equal(3, q.State.Cursor.DeliveredUpTo); // skipped past
        Assert.Equal(3, q.State.Parked.Open);

        var aged = Started(Park with { MaxAttempts = 100, MaxAge = TimeSpan.FromMinutes(1) }, 1);
        aged.Answer(500);
        aged.Now = T0.AddMinutes(2);
        aged.Tell(new PushEvent.RetryDue(aged.LastSend.Batch.Id));
        aged.Answer(500);
        Assert.Equal(2, aged.Effects.OfType<StorePark>().Single().Orders.Single().Attempts);
    }

    [Fact]
    public void A_410_pauses_the_unit_and_the_queue_holds_until_the_settings_change()
    {
        var q = Started(Block, 3);
        q.Answer(410);
        var pause = q.Effects.OfType<PauseUnit>().Single();
        Assert.Contains("410 Gone", pause.Reason);
        Assert.Equal(pause.Reason, q.Pusher.PauseReason(null));
        q.Tell(new PushEvent.Kick());
        Assert.Equal(1, q.Sends);
        // the settings entity has the pause (same version): still held; a new version resumes
        q.Tell(new PushEvent.SettingsChanged(Block, pause.Reason, 0));
        q.Tell(new PushEvent.SettingsChanged(Block, null, 1));
        Assert.Null(q.Pusher.PauseReason(null));
        Assert.Equal(2, q.Sends);
        Assert.Same(q.Effects.OfType<Send>().First().Batch, q.LastSend.Batch);
    }

    [Fact]
    public void Settings_changed_while_a_request_is_on_its_way_take_effect_when_it_answers()
    {
        // to pull mid-request: its 2xx still moves the cursor, and nothing more is sent
        var q = Started(Block, 20);
        q.Tell(new PushEvent.SettingsChanged(UnitDeliverySettings.Pull, null, 1));
        q.Answer(200);
        Assert.Equal(10, q.State.Cursor.DeliveredUpTo);
        Assert.Equal(1, q.Sends);
        Assert.Single(q.Effects.OfType<ReadFeed>());
        Assert.Null(q.Pusher.Waiting(null));

        // to pull mid-request, and it fails: dropped, not retried
        var failed = Started(Block, 20);
        failed.Tell(new PushEvent.SettingsChanged(UnitDeliverySettings.Pull, null, 1));
        failed.Answer(500);
        Assert.Empty(failed.Effects.OfType<ScheduleRetry>());
        Assert.Null(failed.Pusher.InFlight);

        // a new url mid-request: the retry goes to the new one; an older version is ignored
        var moved = Started(Block, 20);
        var elsewhere = Block with { Url = "http://127.0.0.1:9/other" };
        moved.Tell(new PushEvent.SettingsChanged(elsewhere, null, 2));
        moved.Tell(new PushEvent.SettingsChanged(Block, null, 1));
        moved.Answer(503);
        moved.Tell(new PushEvent.RetryDue(moved.LastSend.Batch.Id));
        Assert.Equal("http://127.0.0.1:9/other", moved.LastSend.Settings.Url);
        Assert.Contains(moved.Effects.OfType<Log>(), l => l.Text == "delivery is Webhook to http://127.0.0.1:9/other");
    }

    [Fact]
    public void A_replay_drops_the_request_on_its_way_and_starts_over_from_the_cursor()
    {
        var q = Started(Block, 30);
        q.Answer(200);
        q.AnswerRead();
        Assert.Equal(11, q.LastSend.Batch.FirstSeq);
        var onItsWay = q.LastSend.Batch.Id;
        q.State.Replayed(5); // the actor stored the replay
        q.Tell(new PushEvent.Replayed());
        Assert.Contains(q.Effects, e => e is CancelRetry);
        q.Tell(new PushEvent.AttemptDone(onItsWay, 200, null, null)); // its answer is dropped: the cursor stays
        Assert.Equal(4, q.State.Cursor.DeliveredUpTo);
        Assert.Equal(new ReadFeed(4, 10, TimeSpan.FromSeconds(20)), q.Effects.OfType<ReadFeed>().Last());
        q.AnswerRead();
        Assert.Equal((5, 14), (q.LastSend.Batch.FirstSeq, q.LastSend.Batch.LastSeq));
    }

    [Fact]
    public void A_parked_order_retried_by_an_operator_goes_before_the_next_request_and_a_2xx_delivers_it_once()
    {
        var q = Started(Park with { MaxAttempts = 1 }, 3);
        q.Answer(500);
        Assert.Equal(3, q.State.Parked.Open);
        // the queue long-polls for more; the operator retries order 2
        Assert.Equal(new ReadFeed(3, 10, TimeSpan.FromSeconds(20)), q.Effects.OfType<ReadFeed>().Last());
        q.State.Parked.Retry([2]);
        q.Tell(new PushEvent.Kick());
        Assert.Equal(new ReadFeed(1, 1, TimeSpan.Zero), q.Effects.OfType<ReadFeed>().Last());
        q.Tell(new PushEvent.PageRead([])); // the long-poll's page answers first: not the retried order's
        Assert.Equal(1, q.Sends);
        q.AnswerRead();
        Assert.Equal(("wms:0:2-2", PushKind.ParkedRetry), (q.LastSend.Batch.Id, q.Pusher.InFlight!.Kind));
        q.Answer(200);
        var delivered = q.Effects.OfType<StoreParkedDelivered>().Single();
        Assert.Equal((2L, 1), (delivered.Seq, delivered.Attempts)); // the attempts of the retry
        Assert.Equal(ParkedState.Delivered, q.State.Parked.Find(2)!.State);
        Assert.Equal(3, q.State.Cursor.DeliveredUpTo); // the cursor never moves for a retried order
        Assert.Empty(q.Effects.OfType<Confirm>());

        // a retried order refused again is parked again, whatever the policy is now
        q.Tell(new PushEvent.SettingsChanged(Block, null, 1));
        q.State.Parked.Retry([3]);
        q.Tell(new PushEvent.Kick());
        q.AnswerRead();
        q.Answer(422);
        Assert.Equal(3, q.Effects.OfType<StorePark>().Last().Orders.Single().Seq);
        Assert.Equal(ParkedState.Parked, q.State.Parked.Find(3)!.State);
    }

    [Fact]
    public void While_the_journal_cannot_be_written_nothing_is_sent_and_pushing_resumes_by_itself()
    {
        var q = new Queue(Block, 3) { JournalProblem = "0 MiB free" };
        q.Tell(new PushEvent.Kick());
        Assert.Empty(q.Effects.OfType<ReadFeed>());
        Assert.Equal(new RecheckJournal(TimeSpan.FromMilliseconds(500)), q.Effects.OfType<RecheckJournal>().Single());
        Assert.Contains("the journal cannot be written (0 MiB free)", q.Pusher.PauseReason(q.JournalProblem));
        Assert.Single(q.Effects.OfType<Log>()); // logged once, not at every recheck
        q.Tell(new PushEvent.Kick());
        Assert.Single(q.Effects.OfType<Log>());

        q.JournalProblem = null;
        q.Tell(new PushEvent.Kick());
        Assert.Equal("the journal can be written again: pushing resumes from seq 1", q.Effects.OfType<Log>().Last().Text);
        q.AnswerRead();
        Assert.Equal(1, q.Sends);
    }

    [Fact]
    public void The_rate_limit_holds_the_next_request_until_its_share_allows()
    {
        var q = Started(Block with { RateLimit = 2 }, 10);
        Assert.Equal((1, 2), (q.LastSend.Batch.FirstSeq, q.LastSend.Batch.LastSeq)); // 2 per second: batches of 2
        q.Answer(200);
        q.AnswerRead();
        var wait = q.Effects.OfType<ScheduleRetry>().Single();
        Assert.Equal(TimeSpan.FromSeconds(1), wait.After);
        Assert.Equal(1, q.Sends);
        q.Now = T0.AddSeconds(1);
        q.Tell(new PushEvent.RetryDue(wait.RequestId));
        Assert.Equal(2, q.Sends);
    }

    [Fact]
    public void A_feed_read_that_times_out_is_asked_again_and_a_page_not_following_the_cursor_is_read_again()
    {
        var q = new Queue(Block, 3);
        q.Tell(new PushEvent.Kick());
        q.Tell(new PushEvent.FeedTimedOut());
        Assert.Equal(2, q.Effects.OfType<ReadFeed>().Count());
        q.Tell(new PushEvent.PageRead(q.Feed.Skip(1).ToList())); // starts at 2, not 1
        Assert.Equal(0, q.Sends);
        Assert.Equal(3, q.Effects.OfType<ReadFeed>().Count());
    }
}
