using Akka.Actor;
using OrderActors.Actors.Routing;
using OrderActors.Domain.Routing;
using Xunit.Abstractions;
using static OrderActors.Actors.Units.UnitProtocol;

namespace OrderActors.Tests.Actors;

/// <summary>A preview routes with the router's own matcher: what it counts per unit is what the router sends, order for order.</summary>
public class RoutingPreviewSpecs(ITestOutputHelper output) : Akka.TestKit.Xunit2.TestKit(ActorSpecConfig.Config, output: output)
{
    private static readonly RoutingDefinition Live = new(
        new Dictionary<string, UnitDefinition> { ["erp"] = new(4), ["wms"] = new(4) },
        new Dictionary<string, CodeDefinition> { ["B2C"] = new(["erp", "wms"]), ["PRESALE"] = new(["erp"]), ["RETURN"] = new(["wms"]), ["OLD"] = new(["erp"]) });

    private static readonly RoutingDefinition WithCrm = new(
        new Dictionary<string, UnitDefinition> { ["crm"] = new(3), ["erp"] = new(4), ["wms"] = new(4) },
        new Dictionary<string, CodeDefinition> { ["B2C"] = new(["erp", "wms", "crm"]), ["PRESALE"] = new(["crm"]), ["RETURN"] = new(["wms"]) });

    [Fact]
    public void What_a_preview_counts_per_unit_is_what_the_router_sends_under_that_table()
    {
        var codes = new[] { "B2C", "PRESALE", "RETURN", "OLD" };
        var accepted = Enumerable.Range(1, 400).Select(i => TestData.Accepted($"p-{i}", codes[i % codes.Length], firstQueue: i % 4, offset: i)).ToList();
        var recent = accepted.Select(o => new RecentOrder(o.OrderId, o.Order.BusinessCode, o.FirstQueue, o.Offset, o.AcceptedAt, 1)).ToList();

        var preview = RoutingPreview.Of(recent, Live.ToTable(1), WithCrm.ToTable(2));

        // the router, given the previewed table as a published version, one delivery per first queue
        var versions = new RoutingVersions(Live);
        versions.Apply(versions.Configured);
        versions.SetDraft(WithCrm);
        versions.Apply(versions.Publish(1, "ops", DateTimeOffset.UnixEpoch, null).Version!);
        var directory = new RoutingDirectory(Live);
        directory.Update(versions.Versions);
        var units = CreateTestProbe();
        var router = Sys.ActorOf(RouterActor.PropsFor(directory, CreateTestProbe(), units));
        var sent = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var lane in accepted.GroupBy(o => o.FirstQueue))
        {
            router.Tell(new RouterProtocol.RouteOrders(lane.Key, lane.Key + 1, lane.ToList(), RoutingVersion: 2));
            var plan = ExpectMsg<RouterProtocol.RoutePlan>();
            foreach (var enqueue in units.ReceiveN(plan.Targets.Count).Cast<EnqueueOrders>())
            {
                var unit = enqueue.EntityId[..enqueue.EntityId.LastIndexOf('-')];
                sent[unit] = sent.GetValueOrDefault(unit) + enqueue.Orders.Count;
            }
        }

        Assert.Equal(sent.OrderBy(kv => kv.Key).Select(kv => (kv.Key, kv.Value)),
            preview.ByUnit.Where(u => u.Preview > 0).Select(u => (u.Unit, u.Preview)));
        Assert.Equal(400, preview.Orders);
        Assert.Equal([new UnroutableCode("OLD", 100)], preview.Unroutable);
        // B2C gains the CRM, PRESALE moves there from the ERP, OLD leaves the ERP: 300 orders go elsewhere
        Assert.Equal(300, preview.AffectedOrders);
        Assert.Equal(RoutingPreview.SampleSize, preview.AffectedSample.Count);
        var erp = preview.ByUnit.Single(u => u.Unit == "erp");
        Assert.Equal((300, 100, 0, 200), (erp.Live, erp.Preview, erp.Added, erp.Removed));
        var crm = preview.ByUnit.Single(u => u.Unit == "crm");
        Assert.Equal((0, 200, 200, 0), (crm.Live, crm.Preview, crm.Added, crm.Removed));
        Assert.Equal(["erp", "wms"], preview.ByCode.Single(c => c.Code == "B2C").LiveUnits);
        Assert.Equal(["crm"], preview.ByCode.Single(c => c.Code == "PRESALE").PreviewUnits);
    }
}
