namespace OrderActors.Node.Http;

/// <summary>
/// Request line and header limits answered with problem+json (docs/API.md, "Errors"). Kestrel refuses beyond its
/// own limits with a bare status and no body, so its limits are set above ours: only a request that is far past
/// any sane size (beyond <see cref="ServerLimit"/>) gets Kestrel's bare answer.
/// </summary>
public static class RequestLimits
{
    public const int MaxTarget = 8 * 1024;
    public const int MaxHeaders = 32 * 1024;
    public const int ServerLimit = 64 * 1024;

    public static void ConfigureServer(Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions kestrel)
    {
        kestrel.Limits.MaxRequestLineSize = ServerLimit;
        kestrel.Limits.MaxRequestHeadersTotalSize = ServerLimit;
    }

    public static IApplicationBuilder UseRequestLimits(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var request = context.Request;
        var target = request.Path.Value?.Length + request.QueryString.Value?.Length ?? 0;
        if (target > MaxTarget)
        {
            await Problems.Result(414, $"The URL is {target:N0} characters; the limit is {MaxTarget:N0}.").ExecuteAsync(context);
            return;
        }
        var headers = 0;
        foreach (var (name, values) in request.Headers)
            foreach (var value in values) headers += name.Length + (value?.Length ?? 0) + 4;
        if (headers > MaxHeaders)
        {
            await Problems.Result(431, $"The request's headers are {headers:N0} bytes; the limit is {MaxHeaders:N0}.").ExecuteAsync(context);
            return;
        }
        await next(context);
    });
}
