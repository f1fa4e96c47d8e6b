using OrderActors.Domain.Orders;
using OrderActors.Domain.Routing;

namespace OrderActors.Domain.Delivery;

/// <summary>One hop of an order's way: when (null: not known, or not happened yet), what, where, and the detail.</summary>
public sealed record TraceHop(DateTimeOffset? At, string Step, string Place, string Detail);

/// <summary>What one unit's queue and delivery hold of an order (all of it stored: nothing here is only in memory).</summary>
/// <param name="Seq">its seq in the unit queue (null: not recorded there yet)</param>
/// <param name="Waiting">why it is not delivered yet, when the queue says</param>
/// <param name="Failed">the stored webhook attempts that did not deliver it</param>
public sealed record UnitTrace(UnitQueueAddress Queue, DeliveryMode Mode, long? Seq, DateTimeOffset? QueuedAt, DateTimeOffset? ProcessedAt,
    DateTimeOffset? DeliveredAt, int Attempts, ParkedOrder? Parked, IReadOnlyList<BusinessStatus> History, string? Waiting,
    IReadOnlyList<FailedAttempt>? Failed = null);

/// <summary>
/// The trace of an order, derived from what its first queue, its unit queues and their delivery entities have stored:
/// received (by node N, with the OMS's trace id), accepted (durable in first queue k at offset o), routed (the code, the units, the routing table's version), queued
/// at each unit queue's seq, processed, parked, retried or archived, delivered, and the business progress reported.
/// Each hop is shown once it is stored, so a trace only ever grows.
/// </summary>
public static class OrderTrace
{
    public static IReadOnlyList<TraceHop> Of(AcceptedOrder accepted, int routingVersion, IReadOnlyList<UnitTrace> units)
    {
        var hops = new List<TraceHop>();
        // the request's arrival is not stored apart from its acceptance: the node's hop shows at the same time, first
        if (accepted.Origin is { } origin)
            hops.Add(new TraceHop(accepted.AcceptedAt, "received", $"node {origin.Node}",
                origin.TraceParent is { } tp ? $"the OMS's request, trace {TraceParent.TraceId(tp)}" : "the OMS's request"));
        hops.AddRange(
        [
            new(accepted.AcceptedAt, "accepted", $"first queue {accepted.FirstQueue}",
                $"durable at offset {accepted.Offset}: the 202 was answered"),
            new(units.Select(u => u.QueuedAt).Where(t => t is not null).Min(), "routed", "router",
                $"code {accepted.Order.BusinessCode} to {(units.Count == 0 ? "no unit" : string.Join(", ", units.Select(u => u.Queue.EntityId)))} " +
                $"(routing table version {routingVersion})"),
        ]);
        foreach (var u in units)
        {
            var place = u.Queue.EntityId;
            if (u.Seq is not { } seq)
            {
                hops.Add(new TraceHop(null, "waiting", place, $"not recorded in {place} yet"));
                continue;
            }
            hops.Add(new TraceHop(u.QueuedAt, "queued", place, $"seq {seq}"));
            if (u.ProcessedAt is { } processed) hops.Add(new TraceHop(processed, "processed", place, $"seq {seq}"));
            foreach (var a in u.Failed ?? [])
                hops.Add(new TraceHop(a.At, "attempt failed", place,
                    $"{(a.Status is { } status && !a.Error.StartsWith($"{status}", StringComparison.Ordinal) ? $"{status}: " : "")}{a.Error} " +
                    $"after {a.DurationMs} ms (request of seqs {a.FromSeq}..{a.ToSeq})"));
            if (u.Parked is { } p)
            {
                if (u.Failed is not { Count: > 0 }) hops.Add(new TraceHop(p.FirstAttemptAt, "attempted", place, $"first delivery attempt of seq {seq}"));
                hops.Add(new TraceHop(p.ParkedAt, "parked", place,
                    $"after {p.Attempts} attempt{(p.Attempts == 1 ? "" : "s")}: {p.Error}{(p.Status is { } s ? $" (status {s})" : "")}"));
                switch (p.State)
                {
                    case ParkedState.Retrying:
                        hops.Add(new TraceHop(p.SettledAt, "retrying", place, "an operator asked for it to be sent again"));
                        break;
                    case ParkedState.Archived:
                        hops.Add(new TraceHop(p.SettledAt, "archived", place, "an operator set it aside"));
                        break;
                }
            }
            if (u.DeliveredAt is { } delivered)
                hops.Add(new TraceHop(delivered, "delivered", place, u.Mode == DeliveryMode.Pull
                    ? $"acked by {u.Queue.Unit}'s consumer"
                    : $"confirmed by {u.Queue.Unit}'s receiver (2xx) after {Math.Max(1, u.Attempts)} attempt{(u.Attempts > 1 ? "s" : "")}"));
            else if (u.ProcessedAt is not null && u.Parked is not { State: ParkedState.Archived })
                hops.Add(new TraceHop(null, "waiting", place, u.Waiting ?? (u.Mode == DeliveryMode.Pull
                    ? $"for {u.Queue.Unit}'s consumer to read and ack it"
                    : u.Attempts > 0 ? $"for {u.Queue.Unit}'s receiver: {u.Attempts} attempt{(u.Attempts == 1 ? "" : "s")} so far" : $"to be sent to {u.Queue.Unit}'s receiver")));
            foreach (var h in u.History)
                hops.Add(new TraceHop(h.At, "reported", u.Queue.Unit,
                    $"{h.Status}{(h.Reference is { } r ? $", reference {r}" : "")}{(h.Note is { } n ? $": {n}" : "")}"));
        }
        // in time order; what has not happened yet (no time) last, as listed
        return hops.Select((h, i) => (h, i)).OrderBy(x => x.h.At is null).ThenBy(x => x.h.At).ThenBy(x => x.i).Select(x => x.h).ToList();
    }
}
