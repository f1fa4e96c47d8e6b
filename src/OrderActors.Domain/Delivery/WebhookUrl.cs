namespace OrderActors.Domain.Delivery;

/// <summary>
/// The rules for a unit's webhook URL, and how one is shown. Credentials never travel in the URL: a password there
/// would be echoed by every view and log line that names the endpoint, so it is refused (a receiver authenticates the
/// node by the signature). URLs stored by earlier builds may still carry them: <see cref="Masked"/> hides them wherever
/// a URL is shown or logged.
/// </summary>
public static class WebhookUrl
{
    /// <summary>Why <paramref name="url"/> cannot be a webhook URL, or null when it can.</summary>
    public static string? Problem(string? url)
    {
        if (string.IsNullOrEmpty(url)) return "is required for webhook delivery: an absolute http(s) URL";
        if (url.Trim() != url) return "has spaces before or after it: send the URL alone";
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            return "is required for webhook delivery: an absolute http(s) URL";
        if (uri.UserInfo.Length > 0)
            return "carries credentials (user:password@): they would be shown wherever the URL is; the receiver checks the signature, " +
                   "so give it only the secret";
        return null;
    }

    /// <summary><paramref name="url"/> with any user info replaced by <c>***</c>, as it is shown and logged.</summary>
    public static string Masked(string url)
    {
        var scheme = url.IndexOf("://", StringComparison.Ordinal);
        if (scheme < 0) return url;
        var start = scheme + 3;
        var end = url.IndexOfAny(['/', '?', '#'], start);
        if (end < 0) end = url.Length;
        var at = url.LastIndexOf('@', end - 1, end - start);
        return at < 0 ? url : string.Concat(url.AsSpan(0, start), "***", url.AsSpan(at));
    }
}
