using OrderActors.Actors.Routing;
using OrderActors.Domain.Routing;

namespace OrderActors.Tests.Domain;

public class RoutingTableTests
{
    private readonly RoutingTable _table = TestData.DefaultRouting();

    [Theory]
    [InlineData("B2C", new[] { "erp", "wms" })]
    [InlineData("B2B", new[] { "erp", "wms" })]
    [InlineData("PRESALE", new[] { "erp" })]
    [InlineData("SERVICE", new[] { "erp" })]
    [InlineData("TRANSFER", new[] { "wms" })]
    [InlineData("RETURN", new[] { "erp", "wms" })]
    public void A_code_selects_every_unit_whose_preset_codes_contain_it(string code, string[] units) =>
        Assert.Equal(units, _table.Match(code).Select(u => u.Name));

    [Fact]
    public void An_unknown_code_selects_nothing() => Assert.Empty(_table.Match("b2c"));

    [Theory]
    [InlineData(0, 0)]
    [InlineData(3, 3)]
    [InlineData(5, 1)]
    public void First_queue_k_feeds_queue_k_mod_n_of_every_matched_unit(int firstQueue, int expected) =>
        Assert.Equal([new UnitQueueAddress("erp", expected), new UnitQueueAddress("wms", expected)], _table.Route("RETURN", firstQueue));

    [Fact]
    public void Units_with_different_queue_counts_get_their_own_modulus()
    {
        var table = new RoutingTable(2, [new BusinessUnit("erp", ["X"], 4), new BusinessUnit("fin", ["X"], 3)]);
        Assert.Equal(["erp-2", "fin-2"], table.Route("X", 2).Select(a => a.EntityId));
        Assert.Equal(["erp-1", "fin-2"], table.Route("X", 5).Select(a => a.EntityId));
    }

    [Fact]
    public void A_table_that_cannot_route_is_refused()
    {
        Assert.Throws<ArgumentException>(() => new RoutingTable(1, []));
        Assert.Throws<ArgumentException>(() => new RoutingTable(1, [new BusinessUnit("erp", ["X"], 0)]));
        Assert.Throws<ArgumentException>(() => new RoutingTable(1, [new BusinessUnit("e-rp", ["X"], 1)]));
        Assert.Throws<ArgumentException>(() => new RoutingTable(1, [new BusinessUnit("erp", ["X"], 1), new BusinessUnit("erp", ["Y"], 1)]));
    }

    [Fact]
    public void Unit_queue_entity_ids_parse_back()
    {
        Assert.True(UnitQueueAddress.TryParse("wms-3", out var address));
        Assert.Equal(new UnitQueueAddress("wms", 3), address);
        Assert.False(UnitQueueAddress.TryParse("wms", out _));
        Assert.False(UnitQueueAddress.TryParse("wms-x", out _));
    }

    [Fact]
    public void The_shipped_hocon_table_is_the_default_table_of_the_api()
    {
        var hocon = Akka.Configuration.ConfigurationFactory.ParseString(
            File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "hocon", "routing.hocon")));
        var table = RoutingOptions.From(hocon).Table;
        var expected = TestData.DefaultRouting();

        Assert.Equal(expected.Units.Select(u => u.Name), table.Units.Select(u => u.Name));
        foreach (var unit in expected.Units)
        {
            var actual = table.FindUnit(unit.Name)!;
            Assert.Equal(unit.Queues, actual.Queues);
            Assert.Equal(unit.Codes.Order(), actual.Codes.Order());
        }
    }
}
