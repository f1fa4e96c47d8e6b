using OrderActors.Domain.Catalog;
using OrderActors.Domain.Inventory;

namespace OrderActors.Tests.Domain;

public class ReplenishmentTests
{
    private static Product P(string sku, int reorder, int? target = null, bool discontinued = false, string manufacturer = "1", decimal price = 2.5m) =>
        new(sku, $"Product {sku}", manufacturer, price, 0, 0, reorder, target, discontinued);

    [Theory]
    [InlineData(5, 0, 10, null, 15)]    // position 5 <= 10: target 20 - 5
    [InlineData(10, 0, 10, null, 10)]   // position == reorder level is on the form
    [InlineData(11, 0, 10, null, 0)]    // above the reorder level
    [InlineData(4, 3, 10, null, 13)]    // on-order counts in the position
    [InlineData(-7, 0, 10, null, 27)]   // negative on-hand (a backorder) adds to the quantity
    [InlineData(5, 0, 10, 12, 7)]       // explicit target level
    [InlineData(5, 0, 10, 5, 0)]        // target - position = 0: not on the form
    [InlineData(0, 0, 0, null, 0)]      // reorderLevel 0, position 0: target 0, nothing to order
    [InlineData(-3, 0, 0, null, 3)]     // reorderLevel 0 but a backorder: bring it back to 0
    public void Quantity_is_target_minus_position_when_position_is_at_or_below_the_reorder_level(
        long onHand, long onOrder, int reorder, int? target, long expected) =>
        Assert.Equal(expected, Replenishment.Quantity(P("1", reorder, target), onHand, onOrder));

    [Fact]
    public void A_discontinued_product_is_never_replenished() =>
        Assert.Equal(0, Replenishment.Quantity(P("1", 10, discontinued: true), -50, 0));

    [Fact]
    public void The_form_groups_by_manufacturer_name_orders_lines_by_sku_and_totals_quantity_and_value()
    {
        var catalog = CatalogSnapshot.Empty.With(1,
            [new Manufacturer("1", "Zeta Foods"), new Manufacturer("2", "Alpha Drinks")],
            [P("20", 10, manufacturer: "1", price: 1m), P("3", 10, manufacturer: "1", price: 2m), P("7", 4, manufacturer: "2", price: 10m),
             P("8", 4, manufacturer: "2"), P("9", 4, manufacturer: "2", discontinued: true)]);
        var stock = new Dictionary<string, (long, long)>
        {
            ["20"] = (0, 0), ["3"] = (5, 0), ["7"] = (1, 1), ["8"] = (100, 0), ["9"] = (0, 0),
        };

        var form = Replenishment.Form(catalog, stock, DateTimeOffset.UnixEpoch);

        Assert.Equal(["Alpha Drinks", "Zeta Foods"], form.Manufacturers.Select(m => m.Name));
        var alpha = form.Manufacturers[0];
        Assert.Equal(["7"], alpha.Lines.Select(l => l.Sku));
        Assert.Equal(6, alpha.Lines[0].Quantity);
        Assert.Equal(60m, alpha.Lines[0].Value);
        var zeta = form.Manufacturers[1];
        Assert.Equal(["20", "3"], zeta.Lines.Select(l => l.Sku)); // ordinal SKU order
        Assert.Equal(20 + 15, zeta.TotalQuantity);
        Assert.Equal(20 * 1m + 15 * 2m, zeta.TotalValue);
        Assert.Equal(41, form.TotalQuantity);
        Assert.Equal(110m, form.TotalValue);
    }

    [Fact]
    public void A_product_without_a_tally_counts_with_its_opening_stock()
    {
        var catalog = CatalogSnapshot.Empty.With(1, [new Manufacturer("1", "M")],
            [new Product("1", "P", "1", 1m, StockOnHand: 2, OnOrder: 1, ReorderLevel: 5, TargetLevel: null, Discontinued: false)]);
        var form = Replenishment.Form(catalog, new Dictionary<string, (long, long)>(), DateTimeOffset.UnixEpoch);
        Assert.Equal(7, form.TotalQuantity);
    }
}

public class StockEffectsTests
{
    private static readonly StockEffects Effects = new(new Dictionary<string, StockEffect>
    {
        ["B2C"] = StockEffect.Ship, ["B2B"] = StockEffect.Ship, ["RETURN"] = StockEffect.Restock,
        ["PRESALE"] = StockEffect.None, ["TRANSFER"] = StockEffect.None,
    });

    private static OrderActors.Domain.Units.FeedEntry Entry(long seq, string code, params (string Sku, int Qty)[] lines)
    {
        var order = new OrderActors.Domain.Orders.Order($"o{seq}", code, null, null,
            lines.Select(l => new OrderActors.Domain.Orders.OrderLine(l.Sku, l.Qty, null)).ToList());
        return new(seq, new OrderActors.Domain.Orders.AcceptedOrder(order, 0, seq, default, ""), default, null);
    }

    [Fact]
    public void Ship_subtracts_restock_adds_none_and_unknown_codes_do_nothing()
    {
        var moves = Effects.NetMoves([
            Entry(1, "B2C", ("11", 12), ("42", 10)),
            Entry(2, "B2B", ("11", 3)),
            Entry(3, "RETURN", ("42", 4)),
            Entry(4, "TRANSFER", ("11", 100)),
            Entry(5, "SOMETHING", ("11", 100)),
        ]);
        Assert.Equal(new Dictionary<string, long> { ["11"] = -15, ["42"] = -6 }, moves);
    }

    [Fact]
    public void Skus_whose_moves_cancel_out_are_left_out() =>
        Assert.Empty(Effects.NetMoves([Entry(1, "B2C", ("11", 5)), Entry(2, "RETURN", ("11", 5))]));

    [Theory]
    [InlineData("ship", StockEffect.Ship)]
    [InlineData(" Restock ", StockEffect.Restock)]
    [InlineData("none", StockEffect.None)]
    [InlineData(null, StockEffect.None)]
    public void Effects_parse_from_hocon_words(string? text, StockEffect expected) => Assert.Equal(expected, StockEffects.Parse(text));

    [Fact]
    public void An_unknown_effect_word_is_an_error() => Assert.Throws<ArgumentException>(() => StockEffects.Parse("sell"));

    [Fact]
    public void The_shipped_hocon_gives_the_effects_of_the_api()
    {
        var effects = OrderActors.Actors.Routing.RoutingOptions.From(TestData.Hocon).Configured.StockEffects(); // the codes of hocon/routing.hocon
        Assert.Equal(StockEffect.Ship, effects.For("B2C"));
        Assert.Equal(StockEffect.Ship, effects.For("B2B"));
        Assert.Equal(StockEffect.None, effects.For("PRESALE"));
        Assert.Equal(StockEffect.None, effects.For("SERVICE"));
        Assert.Equal(StockEffect.None, effects.For("TRANSFER"));
        Assert.Equal(StockEffect.Restock, effects.For("RETURN"));
    }
}

public class InventoryTallyTests
{
    [Fact]
    public void A_batch_of_a_source_is_applied_once_per_partition()
    {
        var partition = new StockPartition();
        partition.Open("11", 10, 0);
        partition.Open("42", 5, 0);
        partition.ApplyMoves("wms-0", 5, [("11", -3), ("42", -1)]);
        partition.ApplyMoves("wms-0", 5, [("11", -3), ("42", -1)]); // redelivered
        partition.ApplyMoves("wms-0", 4, [("11", -3)]);              // an older batch
        partition.ApplyMoves("wms-1", 5, [("11", -3)]);              // another source
        Assert.Equal(4, partition.Find("11")!.OnHand);
        Assert.Equal(4, partition.Find("42")!.OnHand);
        Assert.False(partition.IsNew("wms-0", 5));
        Assert.True(partition.IsNew("wms-0", 6));
    }

    [Fact]
    public void The_opening_balance_is_taken_once()
    {
        var partition = new StockPartition();
        partition.Open("11", 10, 5);
        partition.Open("11", 99, 99);
        Assert.Equal((10L, 5L), (partition.Find("11")!.OnHand, partition.Find("11")!.OnOrder));
        Assert.Null(partition.Find("12"));
    }

    [Fact]
    public void A_move_for_a_tally_that_was_never_opened_is_a_bug_not_a_silent_zero()
    {
        var partition = new StockPartition();
        Assert.Throws<InvalidOperationException>(() => partition.ApplyMoves("wms-0", 1, [("11", -3)]));
    }

    [Fact]
    public void Products_spread_over_every_partition()
    {
        var skus = Enumerable.Range(1, 77).Select(i => i.ToString()).ToList();
        var counts = skus.GroupBy(s => StockPartitionId.For(s, 8).Partition).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(8, counts.Count);
        Assert.All(counts.Values, c => Assert.InRange(c, 3, 20));
        // that the hash is stable is pinned by its reference values (HashReferenceTests)
    }

    [Fact]
    public void A_receipt_adds_to_on_hand_and_draws_down_on_order()
    {
        var tally = new InventoryTally();
        tally.Initialize(-4, 10);
        tally.Receive(6);
        Assert.Equal((2L, 4L), (tally.OnHand, tally.OnOrder));
        tally.Receive(10);
        Assert.Equal((12L, 0L), (tally.OnHand, tally.OnOrder));
    }

    [Fact]
    public void A_count_sets_on_hand()
    {
        var tally = new InventoryTally();
        tally.Initialize(-4, 10);
        tally.Count(7);
        Assert.Equal((7L, 10L), (tally.OnHand, tally.OnOrder));
    }
}

public class StockLimitsTests
{
    [Theory]
    [InlineData(long.MaxValue, 1, long.MaxValue)]
    [InlineData(long.MinValue, -1, long.MinValue)]
    [InlineData(long.MaxValue, long.MaxValue, long.MaxValue)]
    [InlineData(long.MinValue, long.MinValue, long.MinValue)]
    [InlineData(long.MaxValue, long.MinValue, -1)]
    [InlineData(5, -7, -2)]
    public void Stock_arithmetic_holds_at_the_bounds_instead_of_wrapping(long a, long b, long sum) =>
        Assert.Equal(sum, StockLimits.Add(a, b));

    [Fact]
    public void A_receipt_past_the_limit_and_a_count_beyond_it_are_refused_with_the_figures()
    {
        Assert.Null(StockLimits.ReceiptRefusal(StockLimits.Max - 1, 1));
        Assert.Contains("beyond the limit", StockLimits.ReceiptRefusal(StockLimits.Max, 1));
        Assert.Contains("at most", StockLimits.ReceiptRefusal(0, long.MaxValue));
        Assert.Contains("beyond the limit", StockLimits.ReceiptRefusal(long.MaxValue, 1)); // an old tally past the bound cannot wrap either
        Assert.Null(StockLimits.CountRefusal(-StockLimits.Max));
        Assert.Contains("between", StockLimits.CountRefusal(long.MaxValue));
        Assert.Contains("between", StockLimits.CountRefusal(long.MinValue));
    }

    [Fact]
    public void A_tally_at_long_max_takes_a_receipt_and_a_move_without_turning_negative()
    {
        var tally = new InventoryTally();
        tally.Initialize(0, 0);
        tally.Count(long.MaxValue);
        tally.Receive(1);
        Assert.Equal(long.MaxValue, tally.OnHand);
        tally.Count(long.MinValue);
        tally.Move(-1);
        Assert.Equal(long.MinValue, tally.OnHand);
        Assert.Equal(long.MinValue, Replenishment.Position(long.MinValue, -5));
    }
}
