namespace OrderActors.Domain.Inventory;

/// <summary>
/// The bounds of a stock figure (docs/API.md, "Inventory"). Receipts and counts beyond them are refused with a
/// reason; the tally's own arithmetic saturates instead of wrapping, so that orders already accepted (whose
/// moves cannot be refused) can never turn a huge on-hand into a huge negative one.
/// </summary>
public static class StockLimits
{
    /// <summary>10^15 of one product: far beyond any warehouse, far below where a long wraps.</summary>
    public const long Max = 1_000_000_000_000_000;

    /// <summary>a + b, held at long's bounds instead of wrapping.</summary>
    public static long Add(long a, long b)
    {
        var sum = unchecked(a + b);
        // overflow iff both have the same sign and the sum's differs
        if (((a ^ sum) & (b ^ sum)) < 0) return a < 0 ? long.MinValue : long.MaxValue;
        return sum;
    }

    /// <summary>Why a receipt of <paramref name="quantity"/> onto <paramref name="onHand"/> is refused, or null.</summary>
    public static string? ReceiptRefusal(long onHand, long quantity) =>
        quantity > Max ? $"must be at most {Max:N0} (got {quantity:N0})"
        : Add(onHand, quantity) > Max ? $"would take on-hand from {onHand:N0} to {Add(onHand, quantity):N0}, beyond the limit of {Max:N0}"
        : null;

    /// <summary>Why a count of <paramref name="onHand"/> is refused, or null.</summary>
    public static string? CountRefusal(long onHand) =>
        onHand is > Max or < -Max ? $"must be between -{Max:N0} and {Max:N0} (got {onHand:N0})" : null;
}
