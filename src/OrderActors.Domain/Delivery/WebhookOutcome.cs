namespace OrderActors.Domain.Delivery;

public enum WebhookVerdict
{
    /// <summary>2xx: the receiver has the orders.</summary>
    Delivered,
    /// <summary>A failure to try again (5xx, 408, 409, 425, 429, a timeout, no connection).</summary>
    Retry,
    /// <summary>410 Gone: the receiver is no more; the unit's delivery pauses with the reason.</summary>
    Gone,
    /// <summary>Any other 4xx: this request will not be taken as it is.</summary>
    Permanent,
}

/// <summary>How a production webhook sender reads a receiver's answer (status null: no answer, e.g. a timeout).</summary>
public static class WebhookOutcome
{
    public static WebhookVerdict Classify(int? status) => status switch
    {
        null => WebhookVerdict.Retry,
        >= 200 and < 300 => WebhookVerdict.Delivered,
        410 => WebhookVerdict.Gone,
        408 or 409 or 425 or 429 => WebhookVerdict.Retry,
        >= 400 and < 500 => WebhookVerdict.Permanent,
        _ => WebhookVerdict.Retry,
    };
}
