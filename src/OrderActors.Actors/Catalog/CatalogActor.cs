using Akka.Actor;
using Akka.Cluster.Tools.PublishSubscribe;
using Akka.Persistence;
using OrderActors.Actors.Persistence;
using OrderActors.Actors.Sharding;
using OrderActors.Domain.Catalog;
using static OrderActors.Actors.Catalog.CatalogProtocol;

namespace OrderActors.Actors.Catalog;

/// <summary>
/// The catalog of record: one sharded persistent entity (any node can recover it). Each change is one event with a
/// new version, published to every node's <see cref="CatalogReplica"/>. A snapshot every <see cref="CatalogOptions.SnapshotEvery"/>
/// changes bounds recovery; only the latest is kept.
/// </summary>
public sealed class CatalogActor : SnapshottingActor
{
    private CatalogSnapshot _catalog = CatalogSnapshot.Empty;

    public CatalogActor(CatalogOptions options)
    {
        SnapshotEvery(options.SnapshotEvery, stagger: false); // one entity: nothing to spread its snapshots from
        var mediator = DistributedPubSub.Get(Context.System).Mediator;

        Recover<SnapshotOffer>(offer =>
        {
            if (offer.Snapshot is CatalogState state)
                _catalog = CatalogSnapshot.Empty.With(state.Version, state.Manufacturers, state.Products);
        });
        Recover<CatalogChanged>(Apply);

        Command<UpsertCatalog>(upsert =>
        {
            if ((upsert.OnlyIfEmpty && !_catalog.IsEmpty) || (upsert.Manufacturers.Count == 0 && upsert.Products.Count == 0))
            {
                Sender.Tell(new CatalogUnchanged(_catalog.Version));
                return;
            }
            var replyTo = Sender;
            Persist(new CatalogChanged(_catalog.Version + 1, upsert.Manufacturers, upsert.Products), changed =>
            {
                Apply(changed);
                replyTo.Tell(changed);
                mediator.Tell(new Publish(Topic, changed));
                SnapshotIfDue(State);
            });
        });
        Command<GetCatalog>(query => Sender.Tell(query.KnownVersion == _catalog.Version
            ? new CatalogUnchanged(_catalog.Version)
            : State()));
        KeepOnlyLatestSnapshot();
        Command<Wake>(_ => { });
        Command<StopEntity>(_ => Context.Stop(Self));
    }

    public override string PersistenceId => "catalog";

    public static Props PropsFor(CatalogOptions options) => Props.Create(() => new CatalogActor(options));

    private void Apply(CatalogChanged changed) =>
        _catalog = _catalog.With(changed.Version, changed.Manufacturers, changed.Products);

    private CatalogState State() =>
        new(_catalog.Version, _catalog.Manufacturers.Values.ToList(), _catalog.Products.Values.ToList());
}
