using System.Text;
using OrderActors.Domain.Delivery;

namespace OrderActors.Tests.Domain;

public class DeliveryCursorTests
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.UnixEpoch;

    [Fact]
    public void The_cursor_only_moves_forward_and_never_past_what_the_queue_processed()
    {
        var cursor = new DeliveryCursor();
        Assert.Equal(AckOutcome.BeyondEnd, cursor.Decide(6, processedSeq: 5));
        Assert.Equal(AckOutcome.Advanced, cursor.Decide(5, 5));
        cursor.Apply(new DeliveredMark(3, T0));
        cursor.Apply(new DeliveredMark(5, T0.AddSeconds(1)));
        Assert.Equal(AckOutcome.Unchanged, cursor.Decide(5, 9));
        Assert.Equal(AckOutcome.Unchanged, cursor.Decide(2, 9));
        cursor.Apply(new DeliveredMark(4, T0.AddSeconds(2))); // an older mark (replayed) changes nothing
        Assert.Equal(5, cursor.DeliveredUpTo);
        Assert.Equal(2, cursor.Marks.Count);
    }

    [Fact]
    public void An_order_was_delivered_at_the_first_mark_that_covers_it()
    {
        var cursor = new DeliveryCursor();
        cursor.Apply(new DeliveredMark(3, T0));
        cursor.Apply(new DeliveredMark(8, T0.AddSeconds(1)));
        Assert.Equal([T0, T0, T0.AddSeconds(1), T0.AddSeconds(1)], new long[] { 1, 3, 4, 8 }.Select(s => cursor.DeliveredAt(s)!.Value));
        Assert.Null(cursor.DeliveredAt(9));
        Assert.Null(cursor.DeliveredAt(0));
    }

    [Fact]
    public void A_queue_that_delivers_for_long_keeps_a_bounded_number_of_marks_the_recent_ones_exact_and_never_says_an_order_was_delivered_before_it_was()
    {
        const int kept = 64;
        var cursor = new DeliveryCursor(kept);
        var truth = new List<DeliveredMark>(); // what an unbounded cursor would hold
        long seq = 0;
        for (var request = 0; request < 20_000; request++)
        {
            seq += 1 + request % 7; // requests of 1 to 7 orders
            var mark = new DeliveredMark(seq, T0.AddMilliseconds(request * 3), 1 + request % 3);
            truth.Add(mark);
            cursor.Apply(mark);
            Assert.True(cursor.Marks.Count <= kept, $"{cursor.Marks.Count} marks after {request + 1} requests");
        }
        Assert.Equal(seq, cursor.ConfirmedUpTo);
        // every order delivered: its mark covers it, no earlier than when it truly was, after at least its own attempts
        var t = 0;
        for (long s = 1; s <= seq; s++)
        {
            while (truth[t].UpTo < s) t++;
            var mark = cursor.MarkOf(s)!.Value;
            Assert.True(mark.UpTo >= s && mark.At >= truth[t].At && mark.Attempts >= truth[t].Attempts, $"order {s}: {mark} for {truth[t]}");
        }
        // the last quarter of the marks kept are exactly the last requests
        Assert.Equal(truth.TakeLast(kept / 4), cursor.Marks.TakeLast(kept / 4));
        Assert.Null(cursor.DeliveredAt(seq + 1));
    }
}

public class WebhookSignatureTests
{
    // The published test vector of the Standard Webhooks specification: a receiver's own library must accept what we send.
    private const string Secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private const string Id = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private const long Timestamp = 1614265330;
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("{\"test\": 2432232314}");

    [Fact]
    public void The_signature_is_the_one_of_the_specifications_test_vector()
    {
        Assert.Equal("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", WebhookSignature.Header([Secret], Id, Timestamp, Body));
    }

    [Fact]
    public void A_receiver_accepts_any_matching_secret_within_the_tolerance_and_nothing_else()
    {
        var now = DateTimeOffset.FromUnixTimeSeconds(Timestamp);
        var other = WebhookSignature.NewSecret();
        var rotating = WebhookSignature.Header([other, Secret], Id, Timestamp, Body); // two secrets while rotating
        Assert.Equal(2, rotating.Split(' ').Length);
        Assert.True(WebhookSignature.Verify(rotating, [Secret], Id, Timestamp, Body, now));
        Assert.True(WebhookSignature.Verify(rotating, [other], Id, Timestamp, Body, now.AddMinutes(4)));
        Assert.False(WebhookSignature.Verify(rotating, [Secret], Id, Timestamp, Body, now.AddMinutes(6))); // a replay
        Assert.False(WebhookSignature.Verify(rotating, [WebhookSignature.NewSecret()], Id, Timestamp, Body, now));
        Assert.False(WebhookSignature.Verify(rotating, [Secret], Id, Timestamp, Encoding.UTF8.GetBytes("{\"test\": 2432232315}"), now));
        Assert.False(WebhookSignature.Verify(rotating, [Secret], "msg_other", Timestamp, Body, now));
    }

    [Theory]
    [InlineData("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")] // no prefix
    [InlineData("whsec_not base64!")]
    [InlineData("whsec_c2hvcnQ=")] // 5 bytes: too short to be a key
    public void A_secret_that_is_not_whsec_base64_of_enough_bytes_is_refused(string secret) => Assert.Null(WebhookSignature.KeyOf(secret));
}

public class RetryScheduleTests
{
    [Fact]
    public void Waits_grow_exponentially_to_a_cap_with_full_jitter()
    {
        var schedule = new RetrySchedule(TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(5));
        var random = new Random(7);
        Assert.Equal([1, 2, 4, 8, 16, 32, 64, 128, 256, 300, 300], Enumerable.Range(1, 11).Select(a => schedule.Ceiling(a).TotalSeconds));
        for (var attempt = 1; attempt <= 12; attempt++)
        {
            var waits = Enumerable.Range(0, 200).Select(_ => schedule.After(attempt, null, random)).ToList();
            Assert.All(waits, w => Assert.InRange(w, TimeSpan.Zero, schedule.Ceiling(attempt)));
            Assert.True(waits.Distinct().Count() > 100, "the waits are spread, not all the same");
        }
    }

    [Fact]
    public void A_receivers_retry_after_is_waited_for_at_least()
    {
        var schedule = new RetrySchedule(TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(5));
        var random = new Random(1);
        Assert.All(Enumerable.Range(0, 100), _ => Assert.True(schedule.After(1, TimeSpan.FromSeconds(2), random) >= TimeSpan.FromSeconds(2)));
    }
}
