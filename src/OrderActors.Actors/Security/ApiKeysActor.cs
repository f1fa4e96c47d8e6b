using Akka.Actor;
using Akka.Cluster.Tools.PublishSubscribe;
using Akka.Persistence;
using OrderActors.Actors.Persistence;
using OrderActors.Actors.Sharding;
using static OrderActors.Actors.Security.SecurityProtocol;

namespace OrderActors.Actors.Security;

/// <summary>
/// The API keys of the cluster, as one sharded persistent entity: each change is stored, then published whole to
/// every node's <see cref="KeyReplica"/>, which also asks every sync interval, so a missed publication (or a revoke)
/// reaches every node within that interval.
/// </summary>
public sealed class ApiKeysActor : SnapshottingActor
{
    private readonly List<ApiKeyEntry> _keys = new();
    private long _version;

    public ApiKeysActor(SecurityOptions options)
    {
        SnapshotEvery(options.SnapshotEvery, stagger: false); // one entity: nothing to spread its snapshots from
        var mediator = DistributedPubSub.Get(Context.System).Mediator;
        Recover<SnapshotOffer>(offer =>
        {
            var s = (KeysSnapshot)offer.Snapshot;
            _version = s.Version;
            _keys.Clear();
            _keys.AddRange(s.Keys);
        });
        Recover<KeyAdded>(Apply);
        Recover<KeyRevoked>(Apply);

        Command<GetKeys>(q => Sender.Tell(q.KnownVersion == _version ? new KeysUnchanged(_version) : State()));
        Command<AddKey>(add =>
        {
            if (_keys.Any(k => k.Id == add.Key.Id)) Sender.Tell(State()); // the same add again (a retried ask)
            else Store(new KeyAdded(add.Key), Apply, mediator, State);
        });
        Command<RevokeKey>(revoke =>
        {
            var key = _keys.FirstOrDefault(k => k.Id == revoke.Id);
            if (key is null || key.RevokedAt is not null) Sender.Tell(new KeyRevokeResult(key is not null, State()));
            else Store(new KeyRevoked(revoke.Id, DateTimeOffset.UtcNow), Apply, mediator, () => new KeyRevokeResult(true, State()));
        });
        Command<Wake>(_ => { });
        Command<StopEntity>(_ => Context.Stop(Self));
    }

    public override string PersistenceId => "security-" + EntityId;

    private KeysState State() => new(_version, _keys.ToList());

    private void Store<TEvent>(TEvent e, Action<TEvent> apply, IActorRef mediator, Func<object> reply) where TEvent : class
    {
        var replyTo = Sender;
        Persist(e, stored =>
        {
            apply(stored);
            SnapshotIfDue(() => new KeysSnapshot(_version, _keys.ToList()));
            replyTo.Tell(reply());
            mediator.Tell(new Publish(Topic, State()));
        });
    }

    private void Apply(KeyAdded e)
    {
        _keys.Add(e.Key);
        _version++;
    }

    private void Apply(KeyRevoked e)
    {
        var i = _keys.FindIndex(k => k.Id == e.Id);
        if (i >= 0) _keys[i] = _keys[i] with { RevokedAt = e.At };
        _version++;
    }

    public static Props PropsFor(SecurityOptions options) => Props.Create(() => new ApiKeysActor(options));
}
