using Akka.Actor;
using Akka.Cluster.Tools.PublishSubscribe;
using Akka.Event;
using OrderActors.Domain.Routing;
using static OrderActors.Actors.Routing.RouterProtocol;

namespace OrderActors.Actors.Routing;

/// <summary>
/// Keeps this node's <see cref="RoutingDirectory"/> current: takes what the routing tables entity publishes, and asks
/// every <c>sync-interval</c>, so that a node that missed a publication has the new version within that interval.
/// </summary>
public sealed class RoutingReplica : ReceiveActor, IWithTimers
{
    private sealed record Sync
    {
        public static readonly Sync Instance = new();
    }

    private readonly TimeSpan _syncInterval;

    public RoutingReplica(RoutingDirectory directory, IActorRef region, TimeSpan syncInterval)
    {
        _syncInterval = syncInterval;
        var log = Context.GetLogger();
        Receive<SubscribeAck>(_ => { });
        Receive<RoutingTablesState>(state =>
        {
            if (directory.Update(state.Versions))
                log.Info("routing version {0} is live on this node ({1} versions known)", directory.LiveVersion.Version, directory.Versions.Count);
        });
        Receive<Sync>(_ => region.Tell(new GetRoutingTables()));
    }

    public ITimerScheduler Timers { get; set; } = null!;

    protected override void PreStart()
    {
        DistributedPubSub.Get(Context.System).Mediator.Tell(new Subscribe(Topic, Self));
        Self.Tell(Sync.Instance);
        Timers.StartPeriodicTimer("sync", Sync.Instance, _syncInterval);
    }

    public static Props PropsFor(RoutingDirectory directory, IActorRef region, TimeSpan syncInterval) =>
        Props.Create(() => new RoutingReplica(directory, region, syncInterval));
}
