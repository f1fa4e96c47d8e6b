using OrderActors.Domain.Delivery;
using static OrderActors.Actors.Delivery.DeliveryProtocol;

namespace OrderActors.Actors.Delivery;

/// <summary>A delivery entity's stored events and snapshot applied to its state, the same way when stored and on recovery.</summary>
public static class DeliveryEvents
{
    public static void Apply(this QueueDeliveryState state, IDeliveryEvent e)
    {
        switch (e)
        {
            case OrdersDelivered delivered:
                state.Delivered(delivered.ToMark());
                break;
            case OrdersDeliveredTogether together:
                foreach (var mark in together.Marks) state.Delivered(mark.ToMark());
                break;
            case OrdersParked parked:
                state.ParkedNow(parked.Orders);
                break;
            case ParkedRetried retried:
                state.Parked.Retry(retried.Seqs);
                break;
            case ParkedArchived archived:
                state.Parked.Archive(archived.Seqs, archived.At);
                break;
            case ParkedDelivered delivered:
                state.Parked.Delivered(delivered.Seq, delivered.At, delivered.Attempts);
                break;
            case DeliveryReplayed replayed:
                state.Replayed(replayed.From);
                break;
            case OrderStatusReported reported:
                state.Reported(reported.Seq, reported.Status);
                break;
            case DeliveryAttemptFailed failed:
                state.Failed.Add(failed.Attempt);
                break;
            default:
                throw new ArgumentException($"not a delivery event: {e.GetType().Name}", nameof(e));
        }
    }

    public static void Restore(this QueueDeliveryState state, DeliverySnapshot s) =>
        state.Restore(s.Marks.Select(m => m.ToMark()), s.Cursor, s.Parked ?? [], (s.History ?? []).Select(h => (h.Seq, h.Status)), s.Failed);

    public static DeliverySnapshot Snapshot(this QueueDeliveryState state) => new(
        state.Cursor.Marks.Select(OrdersDelivered.Of).ToList(), state.Cursor.DeliveredUpTo, state.Parked.All.ToList(),
        state.History.SelectMany(kv => kv.Value.Select(s => new OrderStatusReported(kv.Key, s))).ToList(),
        state.Failed.All.Count > 0 ? state.Failed.All.ToList() : null);
}
