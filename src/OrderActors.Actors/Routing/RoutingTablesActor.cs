using Akka.Actor;
using Akka.Cluster.Tools.PublishSubscribe;
using Akka.Persistence;
using OrderActors.Actors.Persistence;
using OrderActors.Actors.Sharding;
using OrderActors.Domain.Routing;
using static OrderActors.Actors.Routing.RouterProtocol;

namespace OrderActors.Actors.Routing;

/// <summary>
/// The routing tables of the cluster, as one sharded persistent entity: the draft being edited and every published
/// version, kept for ever (<see cref="RoutingVersions"/>). A draft is checked field by field against the live table
/// before it is stored; a publish is decided over the version its caller expects. The first publish also stores the
/// configured table as version 1, as this node has it, so that every node reads the same version 1 from then on.
/// </summary>
public sealed class RoutingTablesActor : SnapshottingActor
{
    private readonly RoutingVersions _versions;

    public RoutingTablesActor(RoutingDefinition configured, int snapshotEvery)
    {
        _versions = new RoutingVersions(configured);
        SnapshotEvery(snapshotEvery, stagger: false); // one entity: nothing to spread its snapshots from
        Recover<SnapshotOffer>(offer =>
        {
            var snapshot = (RoutingTablesSnapshot)offer.Snapshot;
            foreach (var version in snapshot.Published) _versions.Apply(version);
            if (snapshot.Draft is { } draft) _versions.SetDraft(draft);
        });
        Recover<RoutingDraftSet>(e => _versions.SetDraft(e.Draft));
        Recover<RoutingVersionPublished>(e => _versions.Apply(e.Version));

        Command<GetRoutingTables>(_ => Sender.Tell(State()));
        Command<SetRoutingDraft>(set =>
        {
            if (_versions.Check(set.Draft) is { Count: > 0 } errors)
            {
                Sender.Tell(new RoutingDraftRefused(errors));
                return;
            }
            var replyTo = Sender;
            Persist(new RoutingDraftSet(set.Draft, set.By, DateTimeOffset.UtcNow), stored =>
            {
                _versions.SetDraft(stored.Draft);
                SnapshotIfDue(Snapshot);
                replyTo.Tell(State());
            });
        });
        Command<PublishRouting>(publish =>
        {
            var (verdict, version, errors) = _versions.Publish(publish.ExpectedVersion, publish.By, DateTimeOffset.UtcNow, publish.Note);
            if (version is null)
            {
                Sender.Tell(new RoutingPublishOutcome(verdict, errors, State()));
                return;
            }
            var replyTo = Sender;
            var events = _versions.ConfiguredToFreeze is { } configuredVersion
                ? new[] { new RoutingVersionPublished(configuredVersion), new RoutingVersionPublished(version) }
                : [new RoutingVersionPublished(version)];
            PersistAll(events, stored =>
            {
                _versions.Apply(stored.Version);
                if (stored.Version.Version != version.Version) return; // the frozen version 1 first
                SnapshotIfDue(Snapshot);
                replyTo.Tell(new RoutingPublishOutcome(PublishVerdict.Published, [], State()));
                DistributedPubSub.Get(Context.System).Mediator.Tell(new Publish(Topic, State()));
            });
        });
        Command<Wake>(_ => { });
        Command<StopEntity>(_ => Context.Stop(Self));
        KeepOnlyLatestSnapshot();
    }

    public override string PersistenceId => "routing-" + TablesEntityId;

    public static Props PropsFor(RoutingDefinition configured, int snapshotEvery) =>
        Props.Create(() => new RoutingTablesActor(configured, snapshotEvery));

    private RoutingTablesState State() => new(_versions.Draft, _versions.Versions);

    private object Snapshot() => new RoutingTablesSnapshot(_versions.Draft, _versions.Stored.ToList());
}
