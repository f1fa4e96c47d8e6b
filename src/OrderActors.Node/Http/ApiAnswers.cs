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
    public static RouteHandlerBuilder Takes<TBody>(this RouteHandlerBuilder builder) => builder.Reads(typeof(TBody), "application/json");

    /// <summary>
    /// The endpoint reads a body of <paramref name="type"/> in these media types, and answers 400, 413 or 415 for one it
    /// refuses. Not the framework's <c>Accepts</c>: routing would then refuse another content type itself, with a
    /// problem that names no field; the handler's own 415 says what was sent and what it takes.
    /// </summary>
    public static TBuilder Reads<TBuilder>(this TBuilder builder, Type type, params string[] contentTypes) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new RequestBodyShape(type, contentTypes)).Answers(400, 413, 415);

    /// <summary>The endpoint reads this optional request header (for the API's description: the handler reads it itself).</summary>
    public static TBuilder ReadsHeader<TBuilder>(this TBuilder builder, string name, string description) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new RequestHeaderShape(name, description));
}

/// <summary>An optional header an endpoint reads: for the API's description only.</summary>
public sealed record RequestHeaderShape(string Name, string Description);

/// <summary>The body an endpoint reads (its handler reads it itself): for the API's description only.</summary>
public sealed record RequestBodyShape(Type Type, IReadOnlyList<string> ContentTypes);
