using System.Numerics;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using OrderActors.Domain.Inventory;
using OrderActors.Domain.Orders;
using OrderActors.Domain.Units;

namespace OrderActors.Tests.Properties;

/// <summary>Stock moves over orders with many lines of the same SKU, quantities up to the 32-bit maximum: exact, never wrapped.</summary>
public class StockMoveProperties
{
    private static readonly StockEffects Effects = new(new Dictionary<string, StockEffect>
    {
        ["B2C"] = StockEffect.Ship,
        ["RETURN"] = StockEffect.Restock,
        ["PRESALE"] = StockEffect.None,
    });

    private static readonly Gen<int> Quantity = Gen.Frequency(
        (3, Gen.Choose(1, 100)),
        (2, Gen.Constant(int.MaxValue)),
        (2, Gen.Choose(int.MaxValue - 1000, int.MaxValue)));

    private static readonly Gen<OrderLine> Line =
        from sku in Gen.Elements("11", "12", "42")
        from quantity in Quantity
        select new OrderLine(sku, quantity, null);

    private static readonly Gen<FeedEntry> Entry =
        from code in Gen.Elements("B2C", "RETURN", "PRESALE")
        from lines in Gen.Choose(1, OrderParser.MaxLines).SelectMany(n => Line.ListOf(n))
        select new FeedEntry(1, new AcceptedOrder(new Order("o", code, null, null, lines.ToList()), 0, 1, default, ""), default, null);

    [Property(MaxTest = 200)]
    public Property Net_moves_are_the_exact_sums_of_every_line_of_each_sku() =>
        Prop.ForAll(Gen.Choose(1, 5).SelectMany(n => Entry.ListOf(n)).ToArbitrary(), entries =>
        {
            var exact = new Dictionary<string, BigInteger>();
            foreach (var entry in entries)
            {
                var sign = Effects.For(entry.Order.Order.BusinessCode) switch { StockEffect.Ship => -1, StockEffect.Restock => 1, _ => 0 };
                foreach (var line in entry.Order.Order.Lines)
                    exact[line.Sku] = exact.GetValueOrDefault(line.Sku) + sign * (BigInteger)line.Quantity;
            }
            var expected = exact.Where(kv => !kv.Value.IsZero).ToDictionary(kv => kv.Key, kv => (long)kv.Value);
            Assert.Equal(expected, Effects.NetMoves(entries));
            return true;
        });

    [Fact]
    public void Two_lines_of_the_32_bit_maximum_of_one_sku_ship_their_sum_not_a_wrapped_raise()
    {
        var order = new Order("wrap-1", "B2C", null, null, [new OrderLine("12", int.MaxValue, null), new OrderLine("12", int.MaxValue, null)]);
        var moves = Effects.NetMoves([new FeedEntry(1, new AcceptedOrder(order, 0, 1, default, ""), default, null)]);
        Assert.Equal(-2L * int.MaxValue, moves["12"]);
    }
}
