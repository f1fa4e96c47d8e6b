using System.Globalization;
using OrderActors.Domain.Orders;

namespace OrderActors.Domain.Delivery;

public enum DeliveryMode
{
    /// <summary>The downstream system reads the feed and acks (the committed cursor).</summary>
    Pull,
    /// <summary>The node pushes each queue's orders to the unit's endpoint, signed, in seq order.</summary>
    Webhook,
}

public enum FailurePolicy
{
    /// <summary>Strict order: the queue waits and retries without limit, visibly.</summary>
    Block,
    /// <summary>After the limits, or at once on a permanent failure, the order is parked and the queue goes on.</summary>
    Park,
}

/// <summary>What a webhook unit's settings take when they do not say (<c>orderactors.delivery.webhook-defaults</c>).</summary>
public sealed record WebhookDefaults(int Batch, TimeSpan Timeout, int MaxAttempts);

/// <summary>
/// How one unit's orders reach its downstream system. Secrets are <c>whsec_…</c>; two at once while rotating. The admin
/// API and the HOCON units fill what is not given from <see cref="WebhookDefaults"/>; the defaults here are what the
/// settings stored by earlier builds (and a pull unit's, whose batch and attempts mean nothing) were written with.
/// </summary>
public sealed record UnitDeliverySettings(
    DeliveryMode Mode,
    string? Url = null,
    IReadOnlyList<string>? Secrets = null,
    int Batch = 100,
    TimeSpan? Timeout = null,
    FailurePolicy OnFailure = FailurePolicy.Block,
    int MaxAttempts = 10,
    TimeSpan? MaxAge = null,
    double RateLimit = 0)
{
    public static readonly UnitDeliverySettings Pull = new(DeliveryMode.Pull);

    /// <summary>How long an attempt waits for the receiver: settings stored by an earlier build without a timeout meant 10 s.</summary>
    public TimeSpan RequestTimeout => Timeout ?? TimeSpan.FromSeconds(10);

    /// <summary>The settings with every secret masked, and any credentials in the URL (what a GET shows: a secret is never given back).</summary>
    public UnitDeliverySettings Masked() => this with { Url = Url is null ? null : WebhookUrl.Masked(Url), Secrets = Secrets?.Select(Mask).ToList() };

    private static string Mask(string secret) => secret.Length > 10 ? secret[..8] + "…" + secret[^2..] : "…";

    /// <summary>The problems with these settings, by field name (as the admin API names them).</summary>
    public ValidationErrors Validate()
    {
        var errors = new ValidationErrors();
        if (Mode == DeliveryMode.Pull) return errors;
        if (WebhookUrl.Problem(Url) is { } problem) errors.Add("url", problem);
        if (Secrets is not { Count: >= 1 and <= 2 })
            errors.Add("secrets", "is required for webhook delivery: one secret, or two while rotating (whsec_ + base64)");
        else
            for (var i = 0; i < Secrets.Count; i++)
                if (WebhookSignature.KeyOf(Secrets[i]) is null)
                    errors.Add($"secrets[{i}]", "is not a whsec_ secret (whsec_ + base64 of 24–64 random bytes)");
        if (Batch is < 1 or > 1000) errors.Add("batch", $"must be 1–1000 (got {Batch})");
        if (RequestTimeout < TimeSpan.FromMilliseconds(100) || RequestTimeout > TimeSpan.FromMinutes(2))
            errors.Add("timeout", "must be 100ms–2m");
        if (MaxAttempts < 1) errors.Add("maxAttempts", "must be at least 1");
        if (MaxAge is { } age && age <= TimeSpan.Zero) errors.Add("maxAge", "must be positive");
        if (RateLimit < 0 || double.IsNaN(RateLimit)) errors.Add("rateLimit", "must be 0 (none) or more orders per second");
        return errors;
    }
}

/// <summary>Durations as the admin API and HOCON write them: <c>250ms</c>, <c>10s</c>, <c>5m</c>, <c>1h</c>.</summary>
public static class Durations
{
    public static bool TryParse(string? text, out TimeSpan value)
    {
        value = default;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var t = text.Trim();
        var (number, unit) = t.EndsWith("ms", StringComparison.Ordinal) ? (t[..^2], 1.0)
            : t.EndsWith('s') ? (t[..^1], 1000.0)
            : t.EndsWith('m') ? (t[..^1], 60_000.0)
            : t.EndsWith('h') ? (t[..^1], 3_600_000.0)
            : (t, double.NaN);
        if (double.IsNaN(unit) || !double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) || n < 0) return false;
        value = TimeSpan.FromMilliseconds(n * unit);
        return true;
    }

    public static string Format(TimeSpan value) =>
        value.TotalMilliseconds % 3_600_000 == 0 && value >= TimeSpan.FromHours(1) ? $"{value.TotalHours:0}h"
        : value.TotalMilliseconds % 60_000 == 0 && value >= TimeSpan.FromMinutes(1) ? $"{value.TotalMinutes:0}m"
        : value.TotalMilliseconds % 1000 == 0 ? $"{value.TotalSeconds:0}s"
        : $"{value.TotalMilliseconds:0}ms";
}
