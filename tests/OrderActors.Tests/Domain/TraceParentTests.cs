using OrderActors.Domain.Delivery;
using OrderActors.Domain.Orders;
using OrderActors.Domain.Routing;

namespace OrderActors.Tests.Domain;

public sealed class TraceParentTests
{
    private const string Valid = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    [Theory]
    [InlineData(Valid, Valid)]
    [InlineData(" " + Valid + " ", Valid)]
    // a later version: its first four fields, passed on as version 00
    [InlineData("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-later", Valid)]
    [InlineData("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", Valid)]
    [InlineData("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00")]
    public void A_valid_traceparent_is_kept_in_its_version_00_form(string sent, string kept) =>
        Assert.Equal(kept, TraceParent.Normalize(sent));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("garbage")]
    [InlineData("00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01")] // uppercase
    [InlineData("00-00000000000000000000000000000000-00f067aa0ba902b7-01")] // zero trace id
    [InlineData("00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01")] // zero parent id
    [InlineData("ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")] // the forbidden version
    [InlineData("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra")] // version 00 has no more fields
    [InlineData("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01x")] // a later version's fields follow a dash
    [InlineData("00_4bf92f3577b34da6a3ce929d0e0e4736_00f067aa0ba902b7_01")]
    [InlineData("00-4bf92f3577b34da6a3ce929d0e0e473g-00f067aa0ba902b7-01")] // not hex
    public void An_invalid_traceparent_is_ignored(string? sent) => Assert.Null(TraceParent.Normalize(sent));

    [Fact]
    public void The_trace_of_an_order_begins_where_it_came_in()
    {
        var t = new DateTimeOffset(2026, 12, 7, 18, 0, 0, TimeSpan.Zero);
        var accepted = TestData.Accepted("o-1", "B2C", firstQueue: 2, offset: 5) with { AcceptedAt = t, Origin = new OrderOrigin("10.0.0.7:4053", Valid) };
        var erp = new UnitTrace(new UnitQueueAddress("erp", 2), DeliveryMode.Webhook, 1, t.AddMilliseconds(5), null, null, 0, null, [], null);

        var hops = OrderTrace.Of(accepted, 1, [erp]);

        Assert.Equal(["received", "accepted", "routed", "queued"], hops.Select(h => h.Step));
        Assert.Equal((t, "node 10.0.0.7:4053", "the OMS's request, trace 4bf92f3577b34da6a3ce929d0e0e4736"), (hops[0].At, hops[0].Place, hops[0].Detail));
        // an order stored before its origin was: no such hop
        Assert.Equal("accepted", OrderTrace.Of(accepted with { Origin = null }, 1, [erp])[0].Step);
    }
}
