using Akka.Actor;
using OrderActors.Actors.Routing;
using OrderActors.Domain.Routing;
using OrderActors.Fixtures;
using Xunit.Abstractions;
using static OrderActors.Actors.Routing.RouterProtocol;

namespace OrderActors.Tests.Actors;

public class RoutingTablesSpecs(ITestOutputHelper output) : Akka.TestKit.Xunit2.TestKit(ActorSpecConfig.Config, output: output)
{
    [Fact]
    public void A_draft_is_checked_stored_and_published_over_the_expected_version_and_the_versions_survive_a_restart()
    {
        // (as HOCON or a request would give it: plain lists, which the in-memory journal's own serialization takes)
        var tables = Sys.ActorOf(RoutingTablesActor.PropsFor(Plain(SamplesV10.Configured), snapshotEvery: 100));
        tables.Tell(new GetRoutingTables());
        var initial = ExpectMsg<RoutingTablesState>();
        Assert.Equal((1, RoutingVersions.ConfiguredBy, (RoutingDefinition?)null), (initial.Live.Version, initial.Live.PublishedBy, initial.Draft));

        var withCrm = SamplesV10.WithCrm with { UnknownCode = UnknownCodePolicy.Reject }; // quarantine is not offered yet
        tables.Tell(new SetRoutingDraft(Plain(SamplesV10.WithCrm), "ops-key"));
        Assert.Equal(["unknownCode"], ExpectMsg<RoutingDraftRefused>().Errors.Select(e => e.Field));

        // a draft that changes a unit's queue count is refused, naming the field; nothing is stored
        var resized = withCrm with { Units = new Dictionary<string, UnitDefinition>(withCrm.Units) { ["erp"] = new(8) } };
        tables.Tell(new SetRoutingDraft(Plain(resized), "ops-key"));
        Assert.Equal(["units.erp.queues"], ExpectMsg<RoutingDraftRefused>().Errors.Select(e => e.Field));
        tables.Tell(new PublishRouting(1, "ops-key", null));
        Assert.Equal(PublishVerdict.NoDraft, ExpectMsg<RoutingPublishOutcome>().Verdict);

        tables.Tell(new SetRoutingDraft(Plain(withCrm), "ops-key"));
        Assert.True(RoutingDiff.Between(withCrm, ExpectMsg<RoutingTablesState>().Draft!).IsEmpty);
        tables.Tell(new PublishRouting(2, "ops-key", "connect the CRM"));
        Assert.Equal(PublishVerdict.Stale, ExpectMsg<RoutingPublishOutcome>().Verdict);
        tables.Tell(new PublishRouting(1, "ops-key", "connect the CRM"));
        var published = ExpectMsg<RoutingPublishOutcome>();
        Assert.Equal(PublishVerdict.Published, published.Verdict);
        Assert.Equal([1, 2], published.State.Versions.Select(v => v.Version));
        Assert.Equal(("ops-key", "connect the CRM"), (published.State.Live.PublishedBy, published.State.Live.Note));
        Assert.Null(published.State.Draft);

        Watch(tables);
        Sys.Stop(tables);
        ExpectTerminated(tables);

        // restarted on a node configured differently: version 1 is the one the first publish stored
        var other = SamplesV10.Configured with { Units = new Dictionary<string, UnitDefinition> { ["erp"] = new(4) } };
        var revived = Sys.ActorOf(RoutingTablesActor.PropsFor(Plain(other), snapshotEvery: 100));
        revived.Tell(new GetRoutingTables());
        var state = ExpectMsg<RoutingTablesState>();
        Assert.Equal([1, 2], state.Versions.Select(v => v.Version));
        Assert.Equal(["erp", "wms"], state.Versions[0].Definition.Units.Keys.Order());
        Assert.True(RoutingDiff.Between(withCrm, state.Live.Definition).IsEmpty);
    }

    private static RoutingDefinition Plain(RoutingDefinition definition) => StoredRoutingDefinition.Store(definition).Load();
}
