using OrderActors.Domain.Ingest;
using OrderActors.Domain.Orders;
using OrderActors.Domain.Units;

namespace OrderActors.Actors.Serialization;

/// <summary>
/// Orders in our binary form (<see cref="BinaryCodec"/>): the first queues' accepted orders, the unit queues'
/// entries, and the deliveries between them. An order's body is stored once, by its first queue (before format 3,
/// again by every unit queue it went to), so its size is most of what the journals write: in JSON every line repeats
/// its property names, here it is values only (about 40% of the bytes), and writing it is a straight copy. The
/// fields are written one by one, in a fixed order, so renaming a property of the model changes nothing stored.
/// </summary>
public static class OrderCodec
{
    public static void Order(this ref BinaryCodec.Writer w, Order order)
    {
        w.String(order.OrderId);
        w.String(order.BusinessCode);
        w.String(order.CustomerId);
        w.Timestamp(order.PlacedAt);
        w.Count(order.Lines.Count);
        foreach (var line in order.Lines)
        {
            w.String(line.Sku);
            w.Signed(line.Quantity);
            w.Decimal(line.UnitPrice);
            w.String(line.Product?.Name);
            w.Byte(line.Manufacturer is null ? (byte)0 : (byte)1);
            if (line.Manufacturer is { } m)
            {
                w.String(m.Id);
                w.String(m.Name);
            }
        }
    }

    public static void Accepted(this ref BinaryCodec.Writer w, AcceptedOrder order)
    {
        w.Order(order.Order);
        w.Count(order.FirstQueue);
        w.VarLong((ulong)order.Offset);
        w.Timestamp(order.AcceptedAt);
        w.String(order.Fingerprint);
        if (w.Version < 2) return;
        // null node: no origin (an order accepted before it was stored, passed on)
        w.String(order.Origin?.Node);
        w.String(order.Origin?.TraceParent);
    }

    public static void Accepted(this ref BinaryCodec.Writer w, IReadOnlyList<AcceptedOrder> orders)
    {
        w.Count(orders.Count);
        foreach (var order in orders) w.Accepted(order);
    }

    public static void Entries(this ref BinaryCodec.Writer w, IReadOnlyList<FeedEntry> entries)
    {
        w.Count(entries.Count);
        foreach (var entry in entries)
        {
            w.VarLong((ulong)entry.Seq);
            w.Accepted(entry.Order);
            w.Timestamp(entry.QueuedAt);
            w.Timestamp(entry.ProcessedAt);
            w.RoutingVersion(entry.RoutingVersion);
        }
    }

    public static Order Order(this ref BinaryCodec.Reader r)
    {
        var orderId = r.String();
        var code = r.String();
        var customer = r.NullableString();
        var placedAt = r.NullableTimestamp();
        var lines = new OrderLine[r.Items()];
        for (var i = 0; i < lines.Length; i++)
        {
            var sku = r.String();
            var quantity = r.Int();
            var price = r.NullableDecimal();
            var product = r.NullableString() is { } name ? new ProductInfo(name) : null;
            var manufacturer = r.Byte() == 0 ? null : new ManufacturerInfo(r.String(), r.String());
            lines[i] = new OrderLine(sku, quantity, price, product, manufacturer);
        }
        return new Order(orderId, code, customer, placedAt, lines);
    }

    public static AcceptedOrder Accepted(this ref BinaryCodec.Reader r)
    {
        var (order, queue, offset, acceptedAt, fingerprint) = (r.Order(), r.Count(), (long)r.VarLong(), r.Timestamp(), r.String());
        if (r.Version < 2) return new AcceptedOrder(order, queue, offset, acceptedAt, fingerprint);
        var (node, traceParent) = (r.NullableString(), r.NullableString());
        return new AcceptedOrder(order, queue, offset, acceptedAt, fingerprint, node is null ? null : new OrderOrigin(node, traceParent));
    }

    public static IReadOnlyList<AcceptedOrder> AcceptedList(this ref BinaryCodec.Reader r)
    {
        var orders = new AcceptedOrder[r.Items()];
        for (var i = 0; i < orders.Length; i++) orders[i] = r.Accepted();
        return orders;
    }

    public static IReadOnlyList<FeedEntry> Entries(this ref BinaryCodec.Reader r)
    {
        var entries = new FeedEntry[r.Items()];
        for (var i = 0; i < entries.Length; i++)
            entries[i] = new FeedEntry((long)r.VarLong(), r.Accepted(), r.Timestamp(), r.NullableTimestamp(), r.RoutingVersion());
        return entries;
    }

    /// <summary>A hand-off's stored batches (format 3 on; written as none, and read as null, before it).</summary>
    public static void Batches(this ref BinaryCodec.Writer w, IReadOnlyList<StoredBatch>? batches)
    {
        if (w.Version < BinaryCodec.ReferencesVersion) return;
        w.Count(batches?.Count ?? 0);
        foreach (var batch in batches ?? [])
        {
            w.VarLong((ulong)batch.FirstOffset);
            w.VarLong((ulong)batch.SequenceNr);
        }
    }

    public static IReadOnlyList<StoredBatch>? Batches(this ref BinaryCodec.Reader r)
    {
        if (r.Version < BinaryCodec.ReferencesVersion) return null;
        var batches = new StoredBatch[r.Items()];
        for (var i = 0; i < batches.Length; i++) batches[i] = new StoredBatch((long)r.VarLong(), (long)r.VarLong());
        return batches.Length == 0 ? null : batches;
    }

    /// <summary>A routing version (format 4 on; not written before it, and read as 1, the configured table).</summary>
    public static void RoutingVersion(this ref BinaryCodec.Writer w, int version)
    {
        if (w.Version >= BinaryCodec.RoutingVersionsVersion) w.Count(version);
    }

    public static int RoutingVersion(this ref BinaryCodec.Reader r) => r.Version < BinaryCodec.RoutingVersionsVersion ? 1 : r.Count();

    public static void Refs(this ref BinaryCodec.Writer w, QueuedRefs refs)
    {
        w.VarLong((ulong)refs.FirstSeq);
        w.Timestamp(refs.QueuedAt);
        w.Timestamp(refs.ProcessedAt);
        w.Count(refs.Orders.Count);
        foreach (var order in refs.Orders)
        {
            w.Count(order.FirstQueue);
            w.VarLong((ulong)order.Offset);
            w.VarLong((ulong)order.StoredIn);
        }
        w.RoutingVersion(refs.RoutingVersion);
    }

    public static QueuedRefs Refs(this ref BinaryCodec.Reader r)
    {
        var (firstSeq, queuedAt, processedAt) = ((long)r.VarLong(), r.Timestamp(), r.NullableTimestamp());
        var orders = new OrderRef[r.Items()];
        for (var i = 0; i < orders.Length; i++) orders[i] = new OrderRef(r.Count(), (long)r.VarLong(), (long)r.VarLong());
        return new QueuedRefs(firstSeq, queuedAt, processedAt, orders, r.RoutingVersion());
    }
}
