using OrderActors.Domain.Inventory;
using OrderActors.Domain.Routing;
using OrderActors.Domain.Units;

namespace OrderActors.Tests.Domain;

public class RoutingDirectoryTests
{
    private static readonly RoutingDefinition V1 = new(
        new Dictionary<string, UnitDefinition> { ["erp"] = new(4), ["wms"] = new(2) },
        new Dictionary<string, CodeDefinition> { ["B2C"] = new(["erp", "wms"]), ["RETURN"] = new(["wms"]) });

    private static List<PublishedVersion> Published(params RoutingDefinition[] definitions)
    {
        var versions = new RoutingVersions(V1);
        versions.Apply(versions.Configured);
        foreach (var definition in definitions)
        {
            versions.SetDraft(definition);
            versions.Apply(versions.Publish(versions.Live.Version, "ops", DateTimeOffset.UnixEpoch, null).Version!);
        }
        return versions.Versions.ToList();
    }

    [Fact]
    public void Until_it_hears_otherwise_a_node_has_the_configured_table_as_version_1()
    {
        var directory = new RoutingDirectory(V1);
        Assert.Equal(1, directory.LiveVersion.Version);
        Assert.Same(directory.Live, directory.Table(1));
        Assert.Null(directory.Table(2));
        Assert.Equal(["erp-0", "erp-1", "erp-2", "erp-3", "wms-0", "wms-1"], directory.AllQueues().Select(q => q.EntityId));
    }

    [Fact]
    public void Versions_are_taken_forward_only_and_a_unit_of_any_version_keeps_its_queues()
    {
        var directory = new RoutingDirectory(V1);
        var withCrm = V1 with
        {
            Units = new Dictionary<string, UnitDefinition> { ["crm"] = new(2), ["erp"] = new(4), ["wms"] = new(2) },
            Codes = new Dictionary<string, CodeDefinition> { ["B2C"] = new(["crm", "erp"]), ["RETURN"] = new(["wms"]) },
        };
        var withoutCrm = V1;

        Assert.True(directory.Update(Published(withCrm, withoutCrm)));
        Assert.Equal(3, directory.LiveVersion.Version);
        Assert.Contains(new UnitQueueAddress("crm", 0), directory.Table(2)!.Route("B2C", 2));
        Assert.DoesNotContain(directory.Live.Route("B2C", 2), q => q.Unit == "crm");
        Assert.Equal(["crm", "erp", "wms"], directory.Units.Select(u => u.Name)); // crm is not live, but its queues hold orders
        Assert.Equal(2, directory.FindUnit("crm")!.Queues);

        Assert.False(directory.Update(Published(withCrm))); // an older answer changes nothing
        Assert.Equal(3, directory.LiveVersion.Version);
        Assert.False(directory.Update(Published(withCrm, withoutCrm))); // the same (other copies, as from another node): nothing new
        var live = directory.Live;
        Assert.False(directory.Update(Published(withCrm, withoutCrm).Select(v => v with
        {
            Definition = v.Definition with { Units = new Dictionary<string, UnitDefinition>(v.Definition.Units), Codes = new Dictionary<string, CodeDefinition>(v.Definition.Codes) },
        }).ToList()));
        Assert.Same(live, directory.Live);
    }

    [Fact]
    public void Each_order_moves_stock_by_its_code_s_effect_in_the_version_that_routed_it()
    {
        var directory = new RoutingDirectory(V1);
        var returnsRestock = V1 with
        {
            Codes = new Dictionary<string, CodeDefinition> { ["B2C"] = new(["erp", "wms"], StockEffect.Ship), ["RETURN"] = new(["wms"], StockEffect.Restock) },
        };
        directory.Update(Published(returnsRestock));

        var entries = new[]
        {
            new FeedEntry(1, TestData.Accepted("r1", "RETURN", offset: 1), DateTimeOffset.UnixEpoch, null, RoutingVersion: 1),
            new FeedEntry(2, TestData.Accepted("r2", "RETURN", offset: 2), DateTimeOffset.UnixEpoch, null, RoutingVersion: 2),
            new FeedEntry(3, TestData.Accepted("r3", "RETURN", offset: 3), DateTimeOffset.UnixEpoch, null, RoutingVersion: 9), // not known here yet: the live one
        };
        var moves = StockEffects.NetMoves(entries, directory.StockEffectsOf);
        var quantity = entries[1].Order.Order.Lines.Sum(l => (long)l.Quantity);

        Assert.Equal(StockEffect.None, directory.StockEffectsOf(1).For("RETURN"));
        Assert.Equal(StockEffect.Restock, directory.StockEffectsOf(2).For("RETURN"));
        Assert.Equal(2 * quantity, moves.Values.Sum()); // r2 and r3 restock, r1 moved nothing
    }
}
