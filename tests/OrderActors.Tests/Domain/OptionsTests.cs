using Akka.Configuration;
using OrderActors.Actors.Catalog;
using OrderActors.Actors.Ingest;
using OrderActors.Actors.Inventory;
using OrderActors.Actors.Routing;
using OrderActors.Actors.Units;

namespace OrderActors.Tests.Domain;

/// <summary>HOCON is the one place a default is written: the options read every key from it, and refuse a missing or bad one by name.</summary>
public class OptionsTests
{
    [Fact]
    public void The_shipped_hocon_gives_every_feature_its_options()
    {
        var ingest = IngestOptions.From(TestData.Hocon);
        Assert.Equal((4, TimeSpan.Zero, 500, 10_000), (ingest.Queues, ingest.BatchWindow, ingest.BatchMaxOrders, ingest.MaxPending));
        Assert.Equal(TimeSpan.FromSeconds(5), ingest.WakeInterval);
        Assert.Equal(5000, UnitsOptions.From(TestData.Hocon).MaxBacklog);
        Assert.Equal(("wms", 8), (InventoryOptions.From(TestData.Hocon).StockUnit, InventoryOptions.From(TestData.Hocon).Partitions));
        Assert.Equal(TimeSpan.FromSeconds(2), CatalogOptions.From(TestData.Hocon).SyncInterval);
        Assert.Equal(["erp", "wms"], RoutingOptions.From(TestData.Hocon).Table.Units.Select(u => u.Name));
    }

    [Theory]
    [InlineData("orderactors.ingest.queues")]
    [InlineData("orderactors.ingest.max-pending")]
    [InlineData("orderactors.wake-interval")]
    [InlineData("orderactors.units.max-backlog")]
    [InlineData("orderactors.inventory.stock-unit")]
    [InlineData("orderactors.catalog.sync-interval")]
    public void A_missing_key_stops_the_start_naming_it(string key)
    {
        var without = Without(key);
        var error = Assert.Throws<ConfigurationException>(() =>
        {
            IngestOptions.From(without);
            UnitsOptions.From(without);
            InventoryOptions.From(without);
            CatalogOptions.From(without);
        });
        Assert.Contains(key, error.Message);
        Assert.Contains("missing", error.Message);
    }

    [Theory]
    [InlineData("orderactors.ingest.queues = 0", "orderactors.ingest.queues must be 1–1024 (got 0)")]
    [InlineData("orderactors.ingest.queues = four", "orderactors.ingest.queues must be a whole number (got 'four')")]
    [InlineData("orderactors.ingest.delivery-timeout = soon", "orderactors.ingest.delivery-timeout must be a duration")]
    [InlineData("orderactors.ingest.max-pending = 10", "orderactors.ingest.max-pending (10) must be at least batch-max-orders (500)")]
    public void A_bad_value_stops_the_start_naming_the_key_and_the_reason(string setting, string message)
    {
        var config = ConfigurationFactory.ParseString(setting).WithFallback(TestData.Hocon);
        Assert.Contains(message, Assert.Throws<ConfigurationException>(() => IngestOptions.From(config)).Message);
    }

    [Theory]
    [InlineData("quarantine", "quarantine is not offered yet")]
    [InlineData("drop", "must be reject or quarantine")]
    public void An_unknown_code_policy_not_offered_stops_the_start_naming_the_key(string policy, string reason)
    {
        var config = ConfigurationFactory.ParseString($"orderactors.routing.unknown-code = {policy}").WithFallback(TestData.Hocon);
        var error = Assert.Throws<ConfigurationException>(() => RoutingOptions.From(config));
        Assert.Contains("orderactors.routing.unknown-code", error.Message);
        Assert.Contains(reason, error.Message);
    }

    [Fact]
    public void A_code_naming_no_unit_is_refused_naming_the_code()
    {
        var config = ConfigurationFactory.ParseString("orderactors.routing.codes.GIFT { units = [crm] }").WithFallback(TestData.Hocon);
        var error = Assert.Throws<ConfigurationException>(() => RoutingOptions.From(config));
        Assert.Contains("orderactors.routing.codes.GIFT.units", error.Message);
        Assert.Contains("crm", error.Message);
    }

    /// <summary>The shipped HOCON with one key removed (HOCON cannot unset a key, so the file is parsed again without its line).</summary>
    private static Config Without(string key)
    {
        var (section, name) = (key[..key.LastIndexOf('.')], key[(key.LastIndexOf('.') + 1)..]);
        var file = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "hocon", "orderactors.hocon"));
        var depth = section.Split('.').Length;
        var kept = file.Where(line => !System.Text.RegularExpressions.Regex.IsMatch(line, $@"^\s*{System.Text.RegularExpressions.Regex.Escape(name)}\s*=")
            || Indent(line) != 2 * depth).ToArray();
        return ConfigurationFactory.ParseString(string.Join('\n', kept))
            .WithFallback(ConfigurationFactory.ParseString(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "hocon", "routing.hocon"))));
    }

    private static int Indent(string line) => line.Length - line.TrimStart().Length;
}
