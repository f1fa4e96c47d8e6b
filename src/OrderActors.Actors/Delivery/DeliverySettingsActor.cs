using Akka.Actor;
using Akka.Cluster.Tools.PublishSubscribe;
using Akka.Persistence;
using OrderActors.Actors.Sharding;
using OrderActors.Domain.Delivery;
using static OrderActors.Actors.Delivery.DeliveryProtocol;

namespace OrderActors.Actors.Delivery;

/// <summary>
/// The delivery settings of every unit, as one sharded persistent entity: the HOCON defaults until an operator
/// changes a unit at runtime (admin API); each change is stored, then published to every node's delivery entities,
/// which also ask again when they wake, so a missed publication is made good within a wake interval.
/// </summary>
public sealed class DeliverySettingsActor : ReceivePersistentActor
{
    private readonly Dictionary<string, UnitDelivery> _changed = new(StringComparer.Ordinal);

    public DeliverySettingsActor(DeliveryOptions options)
    {
        var mediator = DistributedPubSub.Get(Context.System).Mediator;
        Recover<UnitDeliverySet>(e => _changed[e.Unit] = new UnitDelivery(e.Unit, e.Settings, e.Version));

        Command<GetUnitDelivery>(q => Sender.Tell(Current(q.Unit, options)));
        Command<SetUnitDelivery>(set =>
        {
            var replyTo = Sender;
            Persist(new UnitDeliverySet(set.Unit, set.Settings, Current(set.Unit, options).Version + 1), stored =>
            {
                var current = new UnitDelivery(stored.Unit, stored.Settings, stored.Version);
                _changed[stored.Unit] = current;
                replyTo.Tell(current);
                mediator.Tell(new Publish(SettingsTopic, current));
            });
        });
        Command<Wake>(_ => { });
        Command<StopEntity>(_ => Context.Stop(Self));
    }

    public override string PersistenceId => SettingsEntityId;

    private UnitDelivery Current(string unit, DeliveryOptions options) =>
        _changed.GetValueOrDefault(unit) ?? new UnitDelivery(unit, options.Defaults.GetValueOrDefault(unit) ?? UnitDeliverySettings.Pull, 0);

    public static Props PropsFor(DeliveryOptions options) => Props.Create(() => new DeliverySettingsActor(options));
}
