using OrderActors.Actors.Ingest;
using OrderActors.Node.Http;
using static OrderActors.Actors.Ingest.IngestMetrics;

namespace OrderActors.Node.Ingest;

/// <summary>
/// Counts intake's answers on <see cref="IngestMetrics"/>: each order by the status it got, a refusal by its reason;
/// and keeps the refusals in <see cref="RecentRejections"/>.
/// </summary>
public static class IntakeCounting
{
    /// <summary>Where a single order's handler leaves the order's id, once read (<see cref="HttpContext.Items"/>).</summary>
    public const string OrderIdKey = "orderactors.orderId";

    /// <summary>A single order's answer, and its time when it was accepted.</summary>
    public static void One(IngestMetrics metrics, RecentRejections rejections, HttpContext context, IResult result, long startTimestamp)
    {
        var status = (result as IStatusCodeHttpResult)?.StatusCode ?? 200;
        var problem = (result as IValueHttpResult)?.Value as ProblemBody;
        Count(metrics, status, problem, 1);
        if (status == StatusCodes.Status202Accepted) metrics.Accepted(startTimestamp, batch: false);
        else if (status is >= 400 and not (429 or 503) && problem is not null)
            rejections.Add(new Rejection(DateTimeOffset.UtcNow, context.Items[OrderIdKey] as string, status, Reason(status, problem), problem.Detail));
    }

    /// <summary>A batch's answer: each item by its own status (a batch refused as a whole counts once).</summary>
    public static void Batch(IngestMetrics metrics, RecentRejections rejections, HttpContext context, IResult result, long startTimestamp)
    {
        if ((result as IValueHttpResult)?.Value is not BatchResponse batch)
        {
            One(metrics, rejections, context, result, startTimestamp);
            return;
        }
        var now = DateTimeOffset.UtcNow;
        foreach (var item in batch.Results)
        {
            Count(metrics, item.Status, item.Error, 1);
            if (item.Status is >= 400 and not (429 or 503) && item.Error is { } problem)
                rejections.Add(new Rejection(now, item.OrderId, item.Status, Reason(item.Status, problem), problem.Detail));
        }
        if (batch.Accepted > 0) metrics.Accepted(startTimestamp, batch: true);
    }

    private static void Count(IngestMetrics metrics, int status, ProblemBody? problem, long count)
    {
        switch (status)
        {
            case 202: metrics.Received(Outcome.Accepted, count); break;
            case 200: metrics.Received(Outcome.Duplicate, count); break;
            case 429: metrics.Received(Outcome.Throttled, count); break;
            case 503: metrics.Received(Outcome.Unavailable, count); break;
            default: metrics.Received(Outcome.Rejected, count, Reason(status, problem)); break;
        }
    }

    /// <summary>Why an order was refused, in a word of a small fixed set (a label: never the field's own message).</summary>
    public static string Reason(int status, ProblemBody? problem) => status switch
    {
        400 => "invalid",
        409 => "conflict",
        413 => "too_large",
        415 => "unsupported_media_type",
        422 when problem?.Errors?.ContainsKey("businessCode") == true => "unknown_code",
        422 => "unknown_sku",
        _ => "other",
    };
}
