using System.Threading.RateLimiting;
using OrderActors.Actors.Security;
using OrderActors.Node.Http;

namespace OrderActors.Node.Security;

/// <summary>
/// Per-key rate limits (<c>orderactors.security.requests-per-second</c>, on each node): one token bucket per key,
/// refilled every second; past it the node answers 429 problem+json with Retry-After. Calls without a key (auth off,
/// health probes) are not limited here.
/// </summary>
public static class KeyRateLimits
{
    public static IServiceCollection AddKeyRateLimits(this IServiceCollection services, SecurityOptions options)
    {
        if (options.RequestsPerSecond <= 0) return services;
        return services.AddRateLimiter(limiter =>
        {
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
                ApiAuth.PrincipalOf(context) is { } who
                    ? RateLimitPartition.GetTokenBucketLimiter(who.KeyId, _ => new TokenBucketRateLimiterOptions
                    {
                        TokenLimit = options.RequestsPerSecond,
                        TokensPerPeriod = options.RequestsPerSecond,
                        ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                        QueueLimit = 0,
                        AutoReplenishment = true,
                    })
                    : RateLimitPartition.GetNoLimiter(""));
            limiter.OnRejected = async (rejected, ct) =>
            {
                var context = rejected.HttpContext;
                var who = ApiAuth.PrincipalOf(context);
                await Problems.Throttled(context, $"This key ('{who?.Name}') made more than {options.RequestsPerSecond} requests in a second; " +
                                                  "send again after Retry-After.", 1).ExecuteAsync(context);
            };
        });
    }

    public static IApplicationBuilder UseKeyRateLimits(this IApplicationBuilder app, SecurityOptions options) =>
        options.RequestsPerSecond > 0 ? app.UseRateLimiter() : app;
}
