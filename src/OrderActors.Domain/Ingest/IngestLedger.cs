using OrderActors.Domain.Orders;

namespace OrderActors.Domain.Ingest;

/// <summary>What a first queue answers for one submitted order.</summary>
public enum AdmitDecision
{
    /// <summary>New: it will be stored (202).</summary>
    Accept,
    /// <summary>The same order (same id, same content) was already accepted (200).</summary>
    Duplicate,
    /// <summary>The same id was accepted with different content (409).</summary>
    Conflict,
    /// <summary>New, but the first queue is full (too many orders not yet handed on): not stored; send it again later (429).</summary>
    Throttled,
}

/// <summary>
/// The state of one first queue (an ingest entity), without actors: the orders it accepted (keyed by id, for
/// idempotency and the order view), the offset of the last one, and how far delivery to the units has been
/// confirmed. Orders past <see cref="DeliveredUpTo"/> are pending: they are (re)delivered, in offset order,
/// until the units confirm them; units dedupe by order id, so redelivery is harmless.
/// </summary>
public sealed class IngestLedger
{
    private readonly Dictionary<string, AcceptedOrder> _orders = new(StringComparer.Ordinal);
    private readonly List<AcceptedOrder> _pending = new();
    private int _pendingHead;

    public long LastOffset { get; private set; }
    public long DeliveredUpTo { get; private set; }
    public int PendingCount => _pending.Count - _pendingHead;
    public int OrderCount => _orders.Count;

    public AcceptedOrder? Find(string orderId) => _orders.GetValueOrDefault(orderId);

    /// <summary>
    /// Decides one submission. <paramref name="unstored"/> holds the fingerprints of orders already accepted but not
    /// stored yet (their batch is still being written); an accepted order is added to it. A new order is only
    /// accepted while the queue has room (<paramref name="maxPending"/> orders accepted and not yet handed on, stored
    /// or not); otherwise it is throttled. Duplicates and conflicts are answered whatever the room.
    /// </summary>
    public AdmitDecision Decide(string orderId, string fingerprint, IDictionary<string, string> unstored, int maxPending = int.MaxValue)
    {
        if (unstored.TryGetValue(orderId, out var pending))
            return pending == fingerprint ? AdmitDecision.Duplicate : AdmitDecision.Conflict;
        if (_orders.TryGetValue(orderId, out var stored))
            return stored.Fingerprint == fingerprint ? AdmitDecision.Duplicate : AdmitDecision.Conflict;
        if (PendingCount + unstored.Count >= maxPending)
            return AdmitDecision.Throttled;
        unstored[orderId] = fingerprint;
        return AdmitDecision.Accept;
    }

    /// <summary>Applies a stored batch of accepted orders. Offsets must continue from <see cref="LastOffset"/>.</summary>
    public void Accept(IReadOnlyList<AcceptedOrder> orders)
    {
        foreach (var order in orders)
        {
            if (order.Offset != LastOffset + 1)
                throw new InvalidOperationException($"offset {order.Offset} does not follow {LastOffset}");
            _orders[order.OrderId] = order;
            _pending.Add(order);
            LastOffset = order.Offset;
        }
    }

    /// <summary>The units confirmed every order up to <paramref name="upToOffset"/>.</summary>
    public void ConfirmDelivered(long upToOffset)
    {
        if (upToOffset <= DeliveredUpTo) return;
        DeliveredUpTo = Math.Min(upToOffset, LastOffset);
        while (_pendingHead < _pending.Count && _pending[_pendingHead].Offset <= DeliveredUpTo)
            _pending[_pendingHead++] = null!;
        if (_pendingHead > 1024 && _pendingHead * 2 > _pending.Count)
        {
            _pending.RemoveRange(0, _pendingHead);
            _pendingHead = 0;
        }
    }

    /// <summary>
    /// The oldest pending orders in offset order: at most <paramref name="max"/> orders and, past the first order,
    /// at most <paramref name="maxLines"/> lines in all (a delivery may cross the network: its size is bounded).
    /// </summary>
    public IReadOnlyList<AcceptedOrder> NextPending(int max, int maxLines = int.MaxValue)
    {
        var count = 0;
        var lines = 0;
        while (count < Math.Min(max, PendingCount))
        {
            lines += _pending[_pendingHead + count].Order.Lines.Count;
            if (count > 0 && lines > maxLines) break;
            count++;
        }
        return _pending.GetRange(_pendingHead, count);
    }
}
