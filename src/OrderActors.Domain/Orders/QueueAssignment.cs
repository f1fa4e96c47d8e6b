using System.Text;

namespace OrderActors.Domain.Orders;

/// <summary>
/// Picks an order's first queue: FNV-1a (32-bit) over the UTF-8 bytes of the order id, modulo the number
/// of first queues. Stable across processes, machines and .NET versions (unlike string.GetHashCode).
/// </summary>
public static class QueueAssignment
{
    public static int FirstQueue(string orderId, int queueCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(queueCount, 1);
        return (int)(Fnv1a(orderId) % (uint)queueCount);
    }

    public static uint Fnv1a(string value)
    {
        const uint offsetBasis = 2166136261;
        const uint prime = 16777619;
        var hash = offsetBasis;
        Span<byte> buffer = value.Length <= 256 ? stackalloc byte[Encoding.UTF8.GetMaxByteCount(value.Length)] : new byte[Encoding.UTF8.GetMaxByteCount(value.Length)];
        var count = Encoding.UTF8.GetBytes(value, buffer);
        foreach (var b in buffer[..count])
        {
            hash ^= b;
            hash *= prime;
        }
        return hash;
    }
}
