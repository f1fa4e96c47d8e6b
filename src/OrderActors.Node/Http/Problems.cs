using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using OrderActors.Domain.Orders;

namespace OrderActors.Node.Http;

/// <summary>Every error answer of the API, as application/problem+json.</summary>
public static partial class Problems
{
    public const string ContentType = "application/problem+json";

    public static ProblemBody Body(int status, string detail, IReadOnlyDictionary<string, string[]>? errors = null) =>
        new($"https://httpstatuses.io/{status}", Title(status), status, detail, errors);

    public static ProblemBody ForOrder(RejectionKind kind, ValidationErrors errors) =>
        Body((int)kind,
            kind == RejectionKind.Invalid ? $"The order is invalid: {errors.Summary()}" : $"The order cannot be processed: {errors.Summary()}",
            errors.ToDictionary());

    public static JsonHttpResult<ProblemBody> Result(ProblemBody body) =>
        TypedResults.Json(body, statusCode: body.Status, contentType: ContentType);

    public static JsonHttpResult<ProblemBody> Result(int status, string detail, IReadOnlyDictionary<string, string[]>? errors = null) =>
        Result(Body(status, detail, errors));

    public static JsonHttpResult<ProblemBody> Field(int status, string field, string message) => Result(FieldBody(status, field, message));

    public static ProblemBody FieldBody(int status, string field, string message) =>
        Body(status, $"{field}: {message}", new Dictionary<string, string[]> { [field] = [message] });

    /// <summary>503 with Retry-After: the node could not answer in time (overloaded, starting, or handing off shards).</summary>
    public static JsonHttpResult<ProblemBody> Unavailable(HttpContext context, string detail, int retryAfterSeconds = 1)
    {
        context.Response.Headers.RetryAfter = retryAfterSeconds.ToString();
        return Result(StatusCodes.Status503ServiceUnavailable, detail);
    }

    public static readonly ProblemBody ThrottledBody = Body(StatusCodes.Status429TooManyRequests,
        "The node has too many orders waiting to be handed on to the business units; send the order again after Retry-After (it is not stored).");

    public const string NotStoredDetail =
        "The journal failed to store the order (the database is unreachable or the disk is full); it is not accepted: send it again after Retry-After.";

    public static readonly ProblemBody NotStoredBody = Body(StatusCodes.Status503ServiceUnavailable, NotStoredDetail);

    /// <summary>429 with Retry-After: the order was not stored because its first queue is full (back-pressure).</summary>
    public static JsonHttpResult<ProblemBody> Throttled(HttpContext context, int retryAfterSeconds = 1) =>
        Throttled(context, ThrottledBody, retryAfterSeconds);

    /// <summary>429 with Retry-After, saying why (a key over its rate, an address past its failed authentications).</summary>
    public static JsonHttpResult<ProblemBody> Throttled(HttpContext context, string detail, int retryAfterSeconds) =>
        Throttled(context, Body(StatusCodes.Status429TooManyRequests, detail), retryAfterSeconds);

    private static JsonHttpResult<ProblemBody> Throttled(HttpContext context, ProblemBody body, int retryAfterSeconds)
    {
        context.Response.Headers.RetryAfter = retryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Result(body);
    }

    /// <summary>
    /// A request the framework refused before our handler ran: a route or query parameter of the wrong form names the
    /// parameter (<c>errors.after</c>: "must be a whole number (got 'abc')"), anything else keeps the framework's words.
    /// </summary>
    public static ProblemBody ForBadRequest(BadHttpRequestException e)
    {
        var bind = BindFailure().Match(e.Message);
        if (!bind.Success) return Body(e.StatusCode, e.Message);
        var kind = bind.Groups["type"].Value switch
        {
            "int" or "long" or "Nullable<int>" or "Nullable<long>" => "a whole number",
            "bool" or "Nullable<bool>" => "true or false",
            "DateTimeOffset" or "Nullable<DateTimeOffset>" => "a time with its offset",
            var other => $"a {other}",
        };
        return FieldBody(e.StatusCode, bind.Groups["name"].Value, $"must be {kind} (got '{bind.Groups["value"].Value}')");
    }

    [System.Text.RegularExpressions.GeneratedRegex("^Failed to bind parameter \"(?<type>\\S+) (?<name>\\w+)\" from \"(?<value>.*)\"\\.$")]
    private static partial System.Text.RegularExpressions.Regex BindFailure();

    // the standard reason phrase; any status Kestrel knows has one
    private static string Title(int status) =>
        Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status) is { Length: > 0 } phrase ? phrase : "Error";
}

/// <summary>RFC 7807 problem details, with <c>errors</c> (field → messages) where a field is at fault.</summary>
public sealed record ProblemBody(
    string Type,
    string Title,
    int Status,
    string Detail,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyDictionary<string, string[]>? Errors = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Instance = null);
