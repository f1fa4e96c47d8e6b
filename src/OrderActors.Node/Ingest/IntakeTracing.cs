using System.Diagnostics;
using OrderActors.Actors.Telemetry;

namespace OrderActors.Node.Ingest;

/// <summary>
/// Intake's span (source <c>OrderActors.Ingest</c>), around reading a request's orders and storing them: a child of the
/// request's span, or, without one (the ASP.NET Core instrumentation is off), of the <c>traceparent</c> the OMS sent.
/// </summary>
public static class IntakeTracing
{
    private static readonly ActivitySource Tracing = OrderTracing.Source("Ingest");

    public static Activity? Start(HttpContext context, bool batch)
    {
        if (!Tracing.HasListeners()) return null;
        var parent = Activity.Current is null && OrderIntake.SentTraceParent(context.Request) is { } tp &&
                     ActivityContext.TryParse(tp, null, isRemote: true, out var sent)
            ? sent
            : default;
        return Tracing.StartActivity(batch ? "receive order batch" : "receive order", ActivityKind.Internal, parent)
            ?.SetTag("messaging.system", OrderTracing.System)
            .SetTag("messaging.operation.type", "receive");
    }

    /// <summary>What the request's orders got: for one order its id and status, for a batch its counts.</summary>
    public static void Answered(Activity? span, HttpContext context, IResult result)
    {
        if (span is null) return;
        if ((result as IValueHttpResult)?.Value is BatchResponse batch)
        {
            span.SetTag("messaging.batch.message_count", batch.Results.Count)
                .SetTag("orderactors.orders.accepted", batch.Accepted)
                .SetTag("orderactors.orders.duplicate", batch.Duplicates)
                .SetTag("orderactors.orders.rejected", batch.Rejected);
            return;
        }
        var status = (result as IStatusCodeHttpResult)?.StatusCode ?? 200;
        span.SetTag("messaging.message.id", context.Items[IntakeCounting.OrderIdKey] as string)
            .SetTag("orderactors.order.status", status);
        if (status >= 500) span.SetStatus(ActivityStatusCode.Error, "not stored");
    }
}
