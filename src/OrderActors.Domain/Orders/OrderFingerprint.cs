using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace OrderActors.Domain.Orders;

/// <summary>
/// A stable digest of an order's content, used to tell "the same order again" (idempotent 200) from
/// "the same id with different content" (409). Numbers are normalised so that 14 and 14.0 agree.
/// </summary>
public static class OrderFingerprint
{
    public static string Compute(Order order)
    {
        var sb = new StringBuilder(64 + order.Lines.Count * 24);
        sb.Append(order.OrderId).Append('\u001f')
          .Append(order.BusinessCode).Append('\u001f')
          .Append(order.CustomerId ?? "").Append('\u001f')
          .Append(order.PlacedAt?.UtcTicks.ToString(CultureInfo.InvariantCulture) ?? "").Append('\u001e');
        foreach (var line in order.Lines)
        {
            sb.Append(line.Sku).Append('\u001f')
              .Append(line.Quantity.ToString(CultureInfo.InvariantCulture)).Append('\u001f')
              .Append(line.UnitPrice is { } p ? Normalize(p) : "").Append('\u001e');
        }

        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(sb.ToString()), hash);
        return Convert.ToHexString(hash[..16]);
    }

    private static string Normalize(decimal value) =>
        (value / 1.000000000000000000000000000000000m).ToString(CultureInfo.InvariantCulture);
}
