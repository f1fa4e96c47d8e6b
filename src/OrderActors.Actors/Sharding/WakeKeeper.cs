using Akka.Actor;

namespace OrderActors.Actors.Sharding;

/// <summary>
/// Keeps every queue entity started: after a crash (or on the node that takes over a dead node's shards) the
/// first queues must resume delivering and the unit queues resume processing without waiting for new traffic.
/// One per node and feature, for that feature's entities; waking an entity that is already running costs one message.
/// The entities are asked for at each tick, so that the queues of a unit added by a routing version are woken too.
/// </summary>
public sealed class WakeKeeper : ReceiveActor, IWithTimers
{
    private sealed record Tick
    {
        public static readonly Tick Instance = new();
    }

    private readonly TimeSpan _interval;

    public WakeKeeper(IActorRef region, Func<IEnumerable<string>> entityIds, TimeSpan interval)
    {
        _interval = interval;
        Receive<Tick>(_ =>
        {
            foreach (var entityId in entityIds())
                region.Tell(new Wake(entityId));
        });
    }

    protected override void PreStart()
    {
        Self.Tell(Tick.Instance);
        Timers.StartPeriodicTimer("wake", Tick.Instance, _interval);
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props PropsFor(IActorRef region, IEnumerable<string> entityIds, TimeSpan interval)
    {
        var ids = entityIds.ToList();
        return Props.Create(() => new WakeKeeper(region, () => ids, interval));
    }

    /// <param name="entityIds">asked at each tick (a function of state that changes at runtime, e.g. the routing versions)</param>
    public static Props PropsFor(IActorRef region, Func<IEnumerable<string>> entityIds, TimeSpan interval) =>
        Props.Create(() => new WakeKeeper(region, entityIds, interval));
}
