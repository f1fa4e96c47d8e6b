using Akka.Actor;

namespace OrderActors.Node.Http;

/// <summary>
/// Turns an actor that did not answer in time (an ask timeout: the entity is busy, recovering, or its shard is
/// being handed off) into 503 problem+json with Retry-After, once for every endpoint it is added to, with the
/// endpoint's own advice to the caller.
/// </summary>
public sealed class UnavailableOnTimeout(string detail) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (AskTimeoutException)
        {
            return Problems.Unavailable(context.HttpContext, detail);
        }
    }
}

public static class UnavailableOnTimeoutExtensions
{
    /// <summary>Answers 503 + Retry-After with <paramref name="detail"/> when the endpoint's actors do not answer in time.</summary>
    public static TBuilder UnavailableOnTimeout<TBuilder>(this TBuilder builder, string detail) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(new UnavailableOnTimeout(detail)).Answers(503);
}
