namespace OrderActors.Node.Http;

/// <summary>
/// What an endpoint answers besides its success, declared beside it: each status a problem+json body
/// (<see cref="ProblemBody"/>), and the JSON body it reads (the handlers read bodies themselves, strictly, so the
/// framework cannot see them). The OpenAPI document is made from these.
/// </summary>
public static class ApiAnswers
{
    /// <summary>The endpoint may answer each of <paramref name="statuses"/> with problem+json.</summary>
    public static TBuilder Answers<TBuilder>(this TBuilder builder, params int[] statuses) where TBuilder : IEndpointConventionBuilder
    {
        foreach (var status in statuses)
            builder.WithMetadata(new ProducesResponseTypeMetadata(status, typeof(ProblemBody), [Problems.ContentType]));
        return builder;
    }

    /// <summary>The endpoint reads a JSON body of this shape: malformed, oversize or not JSON, it answers 400, 413 or 415.</summary>
    public static RouteHandlerBuilder Takes<TBody>(this RouteHandlerBuilder builder) where TBody : notnull =>
        builder.Accepts<TBody>("application/json").Answers(400, 413, 415);
}
