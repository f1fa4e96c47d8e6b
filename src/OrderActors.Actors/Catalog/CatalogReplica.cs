using Akka.Actor;
using Akka.Cluster.Tools.PublishSubscribe;
using Akka.Event;
using static OrderActors.Actors.Catalog.CatalogProtocol;

namespace OrderActors.Actors.Catalog;

/// <summary>
/// Keeps this node's <see cref="CatalogStore"/> current: applies the changes the catalog entity publishes, and
/// checks the version every <c>syncInterval</c> so that a missed publication is made good by a full copy.
/// </summary>
public sealed class CatalogReplica : ReceiveActor, IWithTimers
{
    private sealed record Sync
    {
        public static readonly Sync Instance = new();
    }

    private readonly CatalogStore _store;
    private readonly IActorRef _catalogRegion;
    private readonly TimeSpan _syncInterval;
    private readonly ILoggingAdapter _log = Context.GetLogger();

    public CatalogReplica(CatalogStore store, IActorRef catalogRegion, TimeSpan syncInterval)
    {
        _store = store;
        _catalogRegion = catalogRegion;
        _syncInterval = syncInterval;

        Receive<SubscribeAck>(_ => { });
        Receive<CatalogChanged>(change =>
        {
            if (!_store.Apply(change)) Self.Tell(Sync.Instance);
        });
        Receive<CatalogState>(state =>
        {
            var before = _store.Current.Version;
            _store.Replace(state);
            _store.MarkSynced();
            if (_store.Current.Version != before)
                _log.Info("catalog at version {0}: {1} manufacturers, {2} products",
                    _store.Current.Version, _store.Current.Manufacturers.Count, _store.Current.Products.Count);
        });
        Receive<CatalogUnchanged>(_ => _store.MarkSynced());
        Receive<Sync>(_ => _catalogRegion.Tell(new GetCatalog(_store.Current.Version)));
    }

    public ITimerScheduler Timers { get; set; } = null!;

    protected override void PreStart()
    {
        DistributedPubSub.Get(Context.System).Mediator.Tell(new Subscribe(Topic, Self));
        Self.Tell(Sync.Instance);
        Timers.StartPeriodicTimer("sync", Sync.Instance, _syncInterval);
    }

    public static Props PropsFor(CatalogStore store, IActorRef catalogRegion, TimeSpan syncInterval) =>
        Props.Create(() => new CatalogReplica(store, catalogRegion, syncInterval));
}
