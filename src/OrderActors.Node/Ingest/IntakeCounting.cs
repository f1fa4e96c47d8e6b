using OrderActors.Actors.Ingest;
using OrderActors.Node.Http;
using static OrderActors.Actors.Ingest.IngestMetrics;

namespace OrderActors.Node.Ingest;

/// <summary>Counts intake's answers on <see cref="IngestMetrics"/>: each order by the status it got, a refusal by its reason.</summary>
public static class IntakeCounting
{
    /// <summary>A single order's answer, and its time when it was accepted.</summary>
    public static void One(IngestMetrics metrics, IResult result, long startTimestamp)
    {
        var status = (result as IStatusCodeHttpResult)?.StatusCode ?? 200;
        Count(metrics, status, (result as IValueHttpResult)?.Value as ProblemBody, 1);
        if (status == StatusCodes.Status202Accepted) metrics.Accepted(startTimestamp, batch: false);
    }

    /// <summary>A batch's answer: each item by its own status (a batch refused as a whole counts once).</summary>
    public static void Batch(IngestMetrics metrics, IResult result, long startTimestamp)
    {
        if ((result as IValueHttpResult)?.Value is not BatchResponse batch)
        {
            One(metrics, result, startTimestamp);
            return;
        }
        foreach (var item in batch.Results) Count(metrics, item.Status, item.Error, 1);
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
