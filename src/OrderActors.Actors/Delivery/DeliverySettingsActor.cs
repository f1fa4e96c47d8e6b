using Akka.Actor;
using Akka.Cluster.Tools.PublishSubscribe;
using Akka.Persistence;
using OrderActors.Actors.Sharding;
using OrderActors.Domain.Delivery;
using static OrderActors.Actors.Delivery.DeliveryProtocol;

namespace OrderActors.Actors.Delivery;

/// <summary>
/// The delivery settings of every unit, and whether its delivery is paused, as one sharded persistent entity: the
/// HOCON defaults until an operator changes a unit at runtime (admin API); each change is stored, then published to
/// every node's delivery entities, which also ask again when they wake, so a missed publication is made good within a
/// wake interval. A pause set by a receiver's 410 Gone ends with a change of settings; an operator's only by resume.
/// </summary>
public sealed class DeliverySettingsActor : ReceivePersistentActor
{
    private readonly Dictionary<string, UnitDelivery> _changed = new(StringComparer.Ordinal);
    private readonly DeliveryOptions _options;

    public DeliverySettingsActor(DeliveryOptions options)
    {
        _options = options;
        var mediator = DistributedPubSub.Get(Context.System).Mediator;
        Recover<UnitDeliverySet>(e => _changed[e.Unit] = Apply(e));
        Recover<UnitDeliveryPaused>(e => _changed[e.Unit] = Apply(e));

        Command<GetUnitDelivery>(q => Sender.Tell(Current(q.Unit)));
        Command<SetUnitDelivery>(set => Store(new UnitDeliverySet(set.Unit, set.Settings, Current(set.Unit).Version + 1), Apply, mediator));
        Command<PauseUnitDelivery>(pause =>
        {
            var current = Current(pause.Unit);
            // resuming what is not paused, or pausing again what is, changes nothing
            if ((pause.Reason is null && current.Paused is null) || (pause.Reason is not null && current.Paused is not null))
            {
                Sender.Tell(current);
                return;
            }
            Store(new UnitDeliveryPaused(pause.Unit, pause.Reason, pause.ByReceiver, current.Version + 1, DateTimeOffset.UtcNow), Apply, mediator);
        });
        Command<Wake>(_ => { });
        Command<StopEntity>(_ => Context.Stop(Self));
    }

    public override string PersistenceId => SettingsEntityId;

    private void Store<TEvent>(TEvent e, Func<TEvent, UnitDelivery> apply, IActorRef mediator) where TEvent : class
    {
        var replyTo = Sender;
        Persist(e, stored =>
        {
            var current = apply(stored);
            _changed[current.Unit] = current;
            replyTo.Tell(current);
            mediator.Tell(new Publish(SettingsTopic, current));
        });
    }

    private UnitDelivery Apply(UnitDeliverySet e)
    {
        var paused = Current(e.Unit).Paused;
        return new UnitDelivery(e.Unit, e.Settings, e.Version, paused is { ByReceiver: true } ? null : paused);
    }

    private UnitDelivery Apply(UnitDeliveryPaused e) =>
        Current(e.Unit) with { Version = e.Version, Paused = e.Reason is null ? null : new UnitPause(e.Reason, e.ByReceiver, e.At) };

    private UnitDelivery Current(string unit) =>
        _changed.GetValueOrDefault(unit) ?? new UnitDelivery(unit, _options.Defaults.GetValueOrDefault(unit) ?? UnitDeliverySettings.Pull, 0);

    public static Props PropsFor(DeliveryOptions options) => Props.Create(() => new DeliverySettingsActor(options));
}
