using Akka.Actor;
using Akka.Cluster.Tools.PublishSubscribe;
using static OrderActors.Actors.Security.SecurityProtocol;

namespace OrderActors.Actors.Security;

/// <summary>
/// Keeps this node's <see cref="KeyDirectoryStore"/> current: takes what the key store publishes, and asks every
/// <c>sync-interval</c>, so that a revoked key stops working on every node within that interval even if a
/// publication was missed.
/// </summary>
public sealed class KeyReplica : ReceiveActor, IWithTimers
{
    private sealed record Sync
    {
        public static readonly Sync Instance = new();
    }

    private readonly KeyDirectoryStore _store;
    private readonly IActorRef _region;
    private readonly TimeSpan _syncInterval;

    public KeyReplica(KeyDirectoryStore store, IActorRef region, TimeSpan syncInterval)
    {
        (_store, _region, _syncInterval) = (store, region, syncInterval);
        Receive<SubscribeAck>(_ => { });
        Receive<KeysState>(state =>
        {
            _store.Replace(state.ToDirectory());
            _store.MarkSynced();
        });
        Receive<KeysUnchanged>(_ => _store.MarkSynced());
        Receive<Sync>(_ => _region.Tell(new GetKeys(_store.SyncedAt is null ? -1 : _store.Current.Version)));
    }

    public ITimerScheduler Timers { get; set; } = null!;

    protected override void PreStart()
    {
        DistributedPubSub.Get(Context.System).Mediator.Tell(new Subscribe(Topic, Self));
        Self.Tell(Sync.Instance);
        Timers.StartPeriodicTimer("sync", Sync.Instance, _syncInterval);
    }

    public static Props PropsFor(KeyDirectoryStore store, IActorRef region, TimeSpan syncInterval) =>
        Props.Create(() => new KeyReplica(store, region, syncInterval));
}
