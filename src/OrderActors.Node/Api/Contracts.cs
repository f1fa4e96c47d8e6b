using System.Text.Json.Serialization;
using OrderActors.Domain.Orders;

namespace OrderActors.Node.Api;

// The shapes of API.md. JSON is camelCase (ASP.NET Core's web defaults).

public sealed record OrderAcceptedResponse(string OrderId, string Status, int FirstQueue);

public sealed record OrderView(
    string OrderId,
    string BusinessCode,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? CustomerId,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DateTimeOffset? PlacedAt,
    string Status,
    int FirstQueue,
    DateTimeOffset AcceptedAt,
    IReadOnlyList<UnitStatusView> Units,
    IReadOnlyList<OrderLine> Lines);

public sealed record UnitStatusView(string Unit, int Queue, long? Seq, string Status, DateTimeOffset? At);

public sealed record BatchResponse(int Accepted, int Duplicates, int Rejected, IReadOnlyList<BatchItemResult> Results);

public sealed record BatchItemResult(
    int Index,
    string? OrderId,
    int Status,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? FirstQueue,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] ProblemBody? Error);

public sealed record FeedResponse(string Unit, int Queue, IReadOnlyList<FeedItem> Orders, long Next);

public sealed record FeedItem(long Seq, string OrderId, string BusinessCode, int FirstQueue,
    DateTimeOffset AcceptedAt, DateTimeOffset? ProcessedAt, Order Order);

public sealed record UnitInfo(string Unit, IReadOnlyList<string> Codes, int Queues, IReadOnlyList<long> Depth, IReadOnlyList<long> LastSeq);

public sealed record RoutingResponse(int Version, IReadOnlyDictionary<string, RoutingUnit> Units);

public sealed record RoutingUnit(IReadOnlyList<string> Codes, int Queues);

/// <summary>RFC 7807 problem details, with <c>errors</c> (field → messages) where a field is at fault.</summary>
public sealed record ProblemBody(
    string Type,
    string Title,
    int Status,
    string Detail,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyDictionary<string, string[]>? Errors = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Instance = null);
