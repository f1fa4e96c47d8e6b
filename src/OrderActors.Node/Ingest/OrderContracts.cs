using System.Text.Json.Serialization;
using OrderActors.Actors.Delivery;
using OrderActors.Domain.Delivery;
using OrderActors.Domain.Orders;
using OrderActors.Domain.Routing;
using OrderActors.Node.Delivery;
using OrderActors.Node.Http;

namespace OrderActors.Node.Ingest;

// The shapes of docs/API.md for orders, mapped explicitly from the domain: renaming a property of the model
// changes none of them. JSON is camelCase (ASP.NET Core's web defaults).

public sealed record OrderAcceptedResponse(string OrderId, string Status, int FirstQueue);

public sealed record OrderView(
    string OrderId,
    string BusinessCode,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? CustomerId,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DateTimeOffset? PlacedAt,
    string Status,
    int FirstQueue,
    DateTimeOffset AcceptedAt,
    int RoutingVersion,
    IReadOnlyList<UnitStatusView> Units,
    IReadOnlyList<OrderLineView> Lines)
{
    /// <summary>The view of an accepted order, with its status in each unit it routes to; the order's status follows from theirs.</summary>
    public static OrderView From(AcceptedOrder accepted, int routingVersion, IReadOnlyList<UnitStatusView> units)
    {
        var status = units.All(s => s.Status == "delivered") ? "delivered"
            : units.All(s => s.Status is "processed" or "delivered" or "parked") ? "processed"
            : units.All(s => s.Status != "accepted") ? "queued"
            : "accepted";
        var order = accepted.Order;
        return new OrderView(order.OrderId, order.BusinessCode, order.CustomerId, order.PlacedAt, status,
            accepted.FirstQueue, accepted.AcceptedAt, routingVersion, units, order.Lines.Select(OrderLineView.From).ToList());
    }
}

/// <summary>
/// An order's status in one unit: <c>accepted</c> (not in its queue yet), <c>queued</c>, <c>processed</c>,
/// <c>delivered</c> (the downstream system confirmed it, at <see cref="DeliveredAt"/>) or <c>parked</c> (delivery gave up
/// on it: <see cref="ParkedReason"/>; <see cref="ArchivedAt"/> once an operator set it aside); <see cref="At"/> is when it
/// was queued or processed. <see cref="Attempts"/>: webhook requests that carried it; <see cref="History"/>: the
/// business progress the downstream system reported; <see cref="Waiting"/>: why a processed order is not delivered
/// yet, while its queue's webhook is failing, paused or held (the queue's last error or pause reason).
/// </summary>
public sealed record UnitStatusView(string Unit, int Queue, long? Seq, string Status, DateTimeOffset? At,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DateTimeOffset? DeliveredAt = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? Attempts = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ParkedReason = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DateTimeOffset? ArchivedAt = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<StatusView>? History = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Waiting = null)
{
    public static UnitStatusView Processed(UnitQueueAddress target, long seq, DateTimeOffset processedAt, DeliveryProtocol.Delivered d)
    {
        var history = d.History is { Count: > 0 } h ? h.Select(StatusView.From).ToList() : null;
        int? attempts = d.Attempts > 0 ? d.Attempts : null;
        if (d.Parked is { } p)
            return new UnitStatusView(target.Unit, target.Queue, seq, "parked", processedAt, null, attempts,
                $"{p.Error} after {p.Attempts} attempt{(p.Attempts == 1 ? "" : "s")}", p.State == ParkedState.Archived ? p.SettledAt : null, history);
        return d.At is { } deliveredAt
            ? new UnitStatusView(target.Unit, target.Queue, seq, "delivered", processedAt, deliveredAt, attempts, History: history)
            : new UnitStatusView(target.Unit, target.Queue, seq, "processed", processedAt, Attempts: attempts, History: history, Waiting: d.Waiting);
    }
}

public sealed record BatchResponse(int Accepted, int Duplicates, int Rejected, IReadOnlyList<BatchItemResult> Results);

public sealed record BatchItemResult(
    int Index,
    string? OrderId,
    int Status,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? FirstQueue,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] ProblemBody? Error);

/// <summary>
/// An order's trace (<c>GET /api/orders/{orderId}/trace</c>): its status, where it was accepted, and every hop, in time
/// order; the node that received it and the W3C <c>traceparent</c> the OMS sent with it, when stored.
/// </summary>
public sealed record OrderTraceView(string OrderId, string BusinessCode, string Status, int FirstQueue, long Offset, int RoutingVersion,
    IReadOnlyList<TraceHop> Hops,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ReceivedBy = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull), JsonPropertyName("traceparent")] string? TraceParent = null);
