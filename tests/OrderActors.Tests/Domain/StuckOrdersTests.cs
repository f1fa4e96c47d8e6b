using OrderActors.Domain.Delivery;
using OrderActors.Domain.Orders;
using OrderActors.Domain.Routing;

namespace OrderActors.Tests.Domain;

/// <summary>The stuck-order finder's rule: which orders of a queue are stuck, and the reason given for each.</summary>
public class StuckOrdersTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-12-07T12:00:00Z");
    private static readonly UnitQueueAddress Erp2 = new("erp", 2);

    private static DeliveredOrder Order(long seq, int minutesAgo) => new(seq, $"o-{seq}", "B2B", 2, Now.AddMinutes(-minutesAgo),
        Now.AddMinutes(-minutesAgo), 1, new OrderBody($"o-{seq}", "B2B", null, null, []));

    private static QueueDelivery Webhook(long deliveredUpTo, long? inFlightUpTo = null, string? error = null, string? paused = null) =>
        new(Erp2, DeliveryMode.Webhook, deliveredUpTo, 20, inFlightUpTo, paused, error, null, error is null ? null : Now.AddSeconds(30));

    [Fact]
    public void Only_orders_past_the_cursor_and_older_than_the_cutoff_are_stuck()
    {
        var stuck = StuckOrders.Of(Webhook(10, inFlightUpTo: 12), [Order(10, 30), Order(11, 20), Order(12, 10), Order(13, 2)], [], Now.AddMinutes(-5)).ToList();
        Assert.Equal([11L, 12L], stuck.Select(s => s.Seq));
        Assert.All(stuck, s => Assert.Equal("on its way to the receiver", s.Reason));
    }

    [Fact]
    public void A_webhook_order_is_retrying_in_the_request_and_behind_it_after()
    {
        var q = Webhook(10, inFlightUpTo: 11, error: "503 Service Unavailable");
        Assert.Equal("retrying: 503 Service Unavailable, next attempt at 2026-12-07T12:00:30Z", StuckOrders.Why(q, 11));
        Assert.Equal("behind 3 orders of erp-2 its receiver has not taken (503 Service Unavailable)", StuckOrders.Why(q, 14));
        Assert.Equal("behind 1 order of erp-2 still to deliver (a lagging queue)", StuckOrders.Why(Webhook(10), 12));
        Assert.Equal("erp's delivery is paused: maintenance", StuckOrders.Why(Webhook(10, paused: "maintenance"), 11));
    }

    [Fact]
    public void A_pull_order_waits_for_its_consumers_ack()
    {
        var q = new QueueDelivery(Erp2, DeliveryMode.Pull, 4, 9, null, null, null, Now.AddHours(-1), null);
        Assert.Equal("no consumer has acked it: erp-2's consumer acked up to seq 4, last at 2026-12-07T11:00:00Z (pull: the consumer reads the feed and acks)",
            StuckOrders.Why(q, 5));
        Assert.Contains("never yet", StuckOrders.Why(q with { LastDeliveredAt = null }, 5));
    }

    [Fact]
    public void A_parked_order_is_stuck_with_its_error_unless_archived_or_delivered()
    {
        ParkedOrder Parked(long seq, ParkedState state) => new(seq, $"o-{seq}", 500, "500 Internal Server Error", 10, Now.AddMinutes(-30), Now.AddMinutes(-20), state);
        var stuck = StuckOrders.Of(Webhook(20), [], [Parked(3, ParkedState.Parked), Parked(4, ParkedState.Retrying), Parked(5, ParkedState.Archived),
            Parked(6, ParkedState.Delivered)], Now.AddMinutes(-5)).ToList();
        Assert.Equal([3L, 4L], stuck.Select(s => s.Seq));
        Assert.StartsWith("parked after 10 attempts: 500 Internal Server Error", stuck[0].Reason);
        Assert.Equal("parked, and being sent again: 500 Internal Server Error", stuck[1].Reason);
        Assert.Equal(Now.AddMinutes(-30), stuck[0].WaitingSince);
    }
}

/// <summary>The trace's rule: the hops in time order, what is not known yet last, and the words of each hop.</summary>
public class OrderTraceTests
{
    private static readonly DateTimeOffset T = DateTimeOffset.Parse("2026-12-07T12:00:00Z");

    [Fact]
    public void A_retried_webhook_order_shows_each_failed_attempt_then_its_delivery_and_a_pull_order_waits_for_its_ack()
    {
        var accepted = new AcceptedOrder(new Order("o-1", "B2C", null, null, []), 2, 17, T, "");
        var erp = new UnitTrace(new UnitQueueAddress("erp", 2), DeliveryMode.Webhook, 9, T.AddMilliseconds(5), T.AddMilliseconds(6),
            T.AddSeconds(3), 3, null, [], null,
            [new FailedAttempt(9, 9, T.AddSeconds(1), 503, "503 Service Unavailable", 12), new FailedAttempt(9, 10, T.AddSeconds(2), null, "no answer within 1s", 1003)]);
        var wms = new UnitTrace(new UnitQueueAddress("wms", 2), DeliveryMode.Pull, 4, T.AddMilliseconds(7), T.AddMilliseconds(8), null, 0, null, [], null);
        var hops = OrderTrace.Of(accepted, 1, [erp, wms]);
        Assert.Equal(["accepted", "routed", "queued", "processed", "queued", "processed", "attempt failed", "attempt failed", "delivered", "waiting"],
            hops.Select(h => h.Step));
        Assert.Equal("code B2C to erp-2, wms-2 (routing table version 1)", hops[1].Detail);
        Assert.Equal("503 Service Unavailable after 12 ms (request of seqs 9..9)", hops[6].Detail);
        Assert.Equal("no answer within 1s after 1003 ms (request of seqs 9..10)", hops[7].Detail);
        Assert.Equal("confirmed by erp's receiver (2xx) after 3 attempts", hops[8].Detail);
        Assert.Equal((null, "wms-2", "for wms's consumer to read and ack it"), (hops[9].At, hops[9].Place, hops[9].Detail));
    }
}
