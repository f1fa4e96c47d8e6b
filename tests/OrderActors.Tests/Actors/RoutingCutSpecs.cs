using Akka.Actor;
using OrderActors.Actors.Ingest;
using OrderActors.Actors.Routing;
using OrderActors.Domain.Ingest;
using OrderActors.Domain.Orders;
using OrderActors.Domain.Routing;
using Xunit.Abstractions;
using static OrderActors.Actors.Ingest.IngestProtocol;

namespace OrderActors.Tests.Actors;

/// <summary>A first queue switches routing versions at a cut it stores: every order before it by the old version, every one after it by the new.</summary>
public class RoutingCutSpecs(ITestOutputHelper output) : Akka.TestKit.Xunit2.TestKit(ActorSpecConfig.Config, output: output)
{
    private static readonly RoutingDefinition V1 = new(
        new Dictionary<string, UnitDefinition> { ["erp"] = new(4), ["wms"] = new(4) },
        new Dictionary<string, CodeDefinition> { ["B2C"] = new(["erp", "wms"]), ["RETURN"] = new(["wms"]) });

    private static readonly RoutingDefinition V2 = V1 with
    {
        Units = new Dictionary<string, UnitDefinition> { ["crm"] = new(2), ["erp"] = new(4), ["wms"] = new(4) },
        Codes = new Dictionary<string, CodeDefinition> { ["B2C"] = new(["erp", "wms", "crm"]), ["RETURN"] = new(["erp"]) },
    };

    /// <summary>The versions as the routing tables entity holds them after publishing <paramref name="definitions"/> over <see cref="V1"/>.</summary>
    private static List<PublishedVersion> Published(params RoutingDefinition[] definitions)
    {
        var versions = new RoutingVersions(V1);
        versions.Apply(versions.Configured);
        foreach (var definition in definitions)
        {
            versions.SetDraft(definition);
            var (verdict, version, _) = versions.Publish(versions.Live.Version, "ops", DateTimeOffset.UtcNow, null);
            Assert.Equal(PublishVerdict.Published, verdict);
            versions.Apply(version!);
        }
        return versions.Versions.ToList();
    }

    private static Submission Submit(string id) => IngestActorSpecs.Submit(id);

    /// <summary>Confirms every hand-off to the first queue as the units would, and returns each one's orders and version.</summary>
    private List<(List<long> Offsets, int Version)> HandOffs(Akka.TestKit.TestProbe router, int orders)
    {
        var seen = new List<(List<long>, int)>();
        while (seen.Sum(h => h.Item1.Count) < orders)
        {
            var route = router.ExpectMsg<RouterProtocol.RouteOrders>(TimeSpan.FromSeconds(5));
            seen.Add((route.Orders.Select(o => o.Offset).ToList(), route.RoutingVersion));
            router.Reply(new RouterProtocol.RoutePlan(route.DeliveryId, []));
        }
        return seen;
    }

    [Fact]
    public void A_version_published_on_this_node_is_cut_in_before_the_next_order_and_no_hand_off_mixes_versions()
    {
        var directory = new RoutingDirectory(V1);
        var router = CreateTestProbe();
        var settings = TestData.Settings(TimeSpan.Zero) with { DeliveryBatchMax = 1000 };
        var queue = FirstQueueId.Parse("ingest-1");
        var ingest = Sys.ActorOf(IngestActor.PropsFor(queue, router, settings, routing: directory));

        ingest.Tell(new SubmitOrders(queue.EntityId, [Submit("a"), Submit("b"), Submit("c")]));
        ExpectMsg<SubmitResults>();
        directory.Update(Published(V2));
        ingest.Tell(new SubmitOrders(queue.EntityId, [Submit("d"), Submit("e")]));
        ExpectMsg<SubmitResults>();

        var handOffs = HandOffs(router, 5);
        Assert.All(handOffs, h => Assert.Single(h.Offsets.Select(o => o < 4 ? 1 : 2).Distinct())); // none crosses the cut
        Assert.Equal([1L, 2, 3], handOffs.Where(h => h.Version == 1).SelectMany(h => h.Offsets));
        Assert.Equal([4L, 5], handOffs.Where(h => h.Version == 2).SelectMany(h => h.Offsets));

        ingest.Tell(new GetAcceptedOrder(queue.EntityId, "c"));
        Assert.Equal(1, ExpectMsg<AcceptedOrderReply>().RoutingVersion);
        ingest.Tell(new GetAcceptedOrder(queue.EntityId, "d"));
        Assert.Equal(2, ExpectMsg<AcceptedOrderReply>().RoutingVersion);
    }

    [Fact]
    public void Orders_checked_against_a_later_version_than_the_queue_knows_are_cut_in_at_that_version_and_it_survives_a_restart()
    {
        var router = CreateTestProbe();
        var settings = TestData.Settings(TimeSpan.Zero) with { SnapshotEvery = 3, RetainDelivered = 1 };
        var queue = FirstQueueId.Parse("ingest-2");
        var ingest = Sys.ActorOf(IngestActor.PropsFor(queue, router, settings)); // this node knows no later version

        ingest.Tell(new SubmitOrders(queue.EntityId, [Submit("a"), Submit("b")]));
        ExpectMsg<SubmitResults>();
        ingest.Tell(new SubmitOrders(queue.EntityId, [Submit("c"), Submit("d")], RoutingVersion: 3)); // checked on a node that has version 3
        ExpectMsg<SubmitResults>();
        ingest.Tell(new SubmitOrders(queue.EntityId, [Submit("e")], RoutingVersion: 2)); // a node behind: never back
        ExpectMsg<SubmitResults>();
        var before = HandOffs(router, 5);
        Assert.Equal([(1, 1), (3, 3), (5, 3)],
            before.SelectMany(h => h.Offsets.Select(o => (o, h.Version))).Where(x => x.o is 1 or 3 or 5).Select(x => ((int)x.o, x.Version)));

        Watch(ingest);
        Sys.Stop(ingest);
        ExpectTerminated(ingest);
        var revived = Sys.ActorOf(IngestActor.PropsFor(queue, router, settings));
        foreach (var (id, version) in new[] { ("a", 1), ("b", 1), ("c", 3), ("d", 3), ("e", 3) })
        {
            revived.Tell(new GetAcceptedOrder(queue.EntityId, id));
            Assert.Equal(version, ExpectMsg<AcceptedOrderReply>().RoutingVersion);
        }
        revived.Tell(new SubmitOrders(queue.EntityId, [Submit("f")]));
        ExpectMsg<SubmitResults>();
        // what was not confirmed before the stop is handed on again, each hand-off by the version of its orders
        var after = HandOffs(router, 1);
        while (!after.SelectMany(h => h.Offsets).Contains(6)) after.AddRange(HandOffs(router, 1));
        Assert.All(after, h => Assert.Equal(h.Offsets[0] < 3 ? 1 : 3, h.Version));
        Assert.Equal(3, after.Single(h => h.Offsets.Contains(6)).Version);
    }

    [Fact]
    public void An_order_checked_against_the_version_before_whose_code_the_queue_s_version_takes_no_unit_for_is_refused_not_stored()
    {
        var withoutReturn = V1 with { Codes = new Dictionary<string, CodeDefinition> { ["B2C"] = new(["erp", "wms"]) } };
        var directory = new RoutingDirectory(V1);
        directory.Update(Published(V1 with { Codes = new Dictionary<string, CodeDefinition> { ["B2C"] = new(["erp", "wms"]), ["RETURN"] = new(["erp", "wms"]) } }, withoutReturn));
        var router = CreateTestProbe();
        var queue = FirstQueueId.Parse("ingest-3");
        var ingest = Sys.ActorOf(IngestActor.PropsFor(queue, router, TestData.Settings(TimeSpan.Zero), routing: directory));

        // checked on a node still at version 1, where RETURN routes
        ingest.Tell(new SubmitOrders(queue.EntityId, [Submit("sale"), new Submission(TestData.Order("back", "RETURN"), "f")], RoutingVersion: 1));
        var outcomes = ExpectMsg<SubmitResults>().Outcomes;

        Assert.Equal([AdmitDecision.Accept, AdmitDecision.UnknownCode], outcomes.Select(o => o.Decision));
        var route = router.ExpectMsg<RouterProtocol.RouteOrders>();
        Assert.Equal(["sale"], route.Orders.Select(o => o.OrderId));
        Assert.Equal(3, route.RoutingVersion);
        ingest.Tell(new GetAcceptedOrder(queue.EntityId, "back"));
        Assert.Null(ExpectMsg<AcceptedOrderReply>().Order);
    }

    [Fact]
    public void A_queue_asked_to_stop_while_it_stores_a_cut_answers_the_batch_behind_the_cut_before_it_stops()
    {
        var directory = new RoutingDirectory(V1);
        directory.Update(Published(V2));
        var router = CreateTestProbe();
        var queue = FirstQueueId.Parse("ingest-0");
        var settings = TestData.Settings(TimeSpan.Zero);
        var ingest = Sys.ActorOf(IngestActor.PropsFor(queue, router, settings, routing: directory));
        Watch(ingest);

        ingest.Tell(new SubmitOrders(queue.EntityId, [Submit("a"), Submit("b")])); // the cut to version 2 goes first
        ingest.Tell(OrderActors.Actors.Sharding.StopEntity.Instance);

        Assert.All(ExpectMsg<SubmitResults>().Outcomes, o => Assert.Equal(AdmitDecision.Accept, o.Decision));
        ExpectTerminated(ingest);
        var revived = Sys.ActorOf(IngestActor.PropsFor(queue, router, settings, routing: directory));
        revived.Tell(new GetAcceptedOrder(queue.EntityId, "b"));
        Assert.Equal(2, ExpectMsg<AcceptedOrderReply>().RoutingVersion);
    }
}
