using System.Diagnostics;
using OrderActors.Domain.Orders;

namespace OrderActors.Actors.Telemetry;

/// <summary>
/// Spans of the orders' way through the cluster, linked to the trace context each order came with (its stored
/// <c>traceparent</c>): a span of one order, or of orders that all came with the same context, is its child; a span of
/// several orders links to each one's context, as the messaging conventions do for a batch, under the span at hand. A span is made only when a
/// listener samples it (an OTLP endpoint is set): with none, <see cref="Start"/> returns null and costs a check.
/// </summary>
public static class OrderTracing
{
    /// <summary>OpenTelemetry's default limit of links per span: more are dropped by the SDK anyway.</summary>
    public const int MaxLinks = 128;

    public const string System = "orderactors";

    /// <summary>A feature's source; every <c>OrderActors.*</c> source is exported.</summary>
    public static ActivitySource Source(string feature) => new($"OrderActors.{feature}");

    /// <summary>The <c>traceparent</c> every one of <paramref name="orders"/> came with, if they all came with the same one.</summary>
    public static string? SharedTraceParent(IReadOnlyList<AcceptedOrder> orders)
    {
        string? shared = null;
        foreach (var order in orders)
        {
            if (order.Origin?.TraceParent is not { } tp || (shared is not null && shared != tp)) return null;
            shared = tp;
        }
        return shared;
    }

    /// <summary>Starts a span of <paramref name="orders"/> (null: nobody listens).</summary>
    /// <param name="startTime">when the span began (default: now)</param>
    public static Activity? Start(ActivitySource source, string name, ActivityKind kind, IReadOnlyList<AcceptedOrder> orders,
        DateTimeOffset startTime = default)
    {
        if (!source.HasListeners()) return null;
        if (SharedTraceParent(orders) is { } shared && ActivityContext.TryParse(shared, null, isRemote: true, out var parent))
            return source.StartActivity(name, kind, parent, startTime: startTime);

        var links = new List<ActivityLink>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var order in orders)
        {
            if (links.Count == MaxLinks) break;
            if (order.Origin?.TraceParent is { } tp && seen.Add(tp) && ActivityContext.TryParse(tp, null, isRemote: true, out var context))
                links.Add(new ActivityLink(context));
        }
        // a batch of orders from several traces belongs to the work that handles it (a feed request's span), if any
        return source.StartActivity(name, kind, parentContext: default, links: links, startTime: startTime);
    }
}
