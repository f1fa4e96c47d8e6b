using Akka.Actor;

namespace OrderActors.Actors.Sharding;

/// <summary>
/// Keeps every queue entity started: after a crash (or on the node that takes over a dead node's shards) the
/// first queues must resume delivering and the unit queues resume processing without waiting for new traffic.
/// One per node; waking an entity that is already running costs one message.
/// </summary>
public sealed class WakeKeeper : ReceiveActor, IWithTimers
{
    private sealed record Tick
    {
        public static readonly Tick Instance = new();
    }

    private readonly TimeSpan _interval;

    public WakeKeeper(IReadOnlyList<(IActorRef Region, string EntityId)> targets, TimeSpan interval)
    {
        _interval = interval;
        Receive<Tick>(_ =>
        {
            foreach (var (region, entityId) in targets)
                region.Tell(new Wake(entityId));
        });
    }

    protected override void PreStart()
    {
        Self.Tell(Tick.Instance);
        Timers.StartPeriodicTimer("wake", Tick.Instance, _interval);
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props PropsFor(IReadOnlyList<(IActorRef Region, string EntityId)> targets, TimeSpan interval) =>
        Props.Create(() => new WakeKeeper(targets, interval));
}
