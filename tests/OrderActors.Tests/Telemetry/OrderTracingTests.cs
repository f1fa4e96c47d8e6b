using System.Diagnostics;
using OrderActors.Actors.Telemetry;
using OrderActors.Domain.Orders;

namespace OrderActors.Tests.Telemetry;

public sealed class OrderTracingTests : IDisposable
{
    private const string A = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    private const string B = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

    private readonly ActivitySource _source = OrderTracing.Source($"Test-{Guid.NewGuid():N}");
    private readonly ActivityListener _listener;

    public OrderTracingTests()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == _source.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public void Dispose()
    {
        _listener.Dispose();
        _source.Dispose();
    }

    private static AcceptedOrder Order(string id, string? traceParent) =>
        TestData.Accepted(id, "B2C", firstQueue: 1, offset: 1) with { Origin = new OrderOrigin("127.0.0.1:4053", traceParent) };

    [Fact]
    public void A_span_of_orders_that_came_with_one_context_is_its_child()
    {
        using var span = OrderTracing.Start(_source, "send erp-1", ActivityKind.Producer, [Order("a", A), Order("b", A)])!;
        Assert.Equal(("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7"), (span.TraceId.ToHexString(), span.ParentSpanId.ToHexString()));
        Assert.Empty(span.Links);
    }

    [Fact]
    public void A_span_of_orders_from_several_contexts_or_none_links_to_each_once_under_the_span_at_hand()
    {
        using (var root = OrderTracing.Start(_source, "route orders", ActivityKind.Internal, [Order("a", A), Order("b", B)])!)
            Assert.Equal(default, root.ParentSpanId);
        using var request = _source.StartActivity("a feed request");
        using var span = OrderTracing.Start(_source, "receive erp-1", ActivityKind.Internal, [Order("a", A), Order("b", B), Order("c", A), Order("d", null)])!;
        Assert.Equal((request!.TraceId, request.SpanId), (span.TraceId, span.ParentSpanId));
        Assert.Equal([("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7"), ("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331")],
            span.Links.Select(l => (l.Context.TraceId.ToHexString(), l.Context.SpanId.ToHexString())));
    }

    [Fact]
    public void A_span_links_to_at_most_as_many_contexts_as_the_sdk_keeps()
    {
        var orders = Enumerable.Range(0, OrderTracing.MaxLinks + 10)
            .Select(i => Order($"o{i}", $"00-{i + 1:x32}-00f067aa0ba902b7-01")).ToList();
        using var span = OrderTracing.Start(_source, "route orders", ActivityKind.Internal, orders)!;
        Assert.Equal(OrderTracing.MaxLinks, span.Links.Count());
    }

    [Fact]
    public void Without_a_listener_no_span_is_made()
    {
        using var quiet = OrderTracing.Source($"Quiet-{Guid.NewGuid():N}");
        Assert.Null(OrderTracing.Start(quiet, "route orders", ActivityKind.Internal, [Order("a", A)]));
    }
}
