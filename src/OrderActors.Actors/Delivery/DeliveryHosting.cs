using Akka.Actor;
using Akka.Cluster.Hosting;
using Akka.Hosting;
using OrderActors.Actors.Sharding;
using OrderActors.Actors.Units;
using OrderActors.Domain.Delivery;
using OrderActors.Domain.Health;
using OrderActors.Domain.Routing;

namespace OrderActors.Actors.Delivery;

/// <summary>Registry key of the delivery entities' shard region.</summary>
public sealed class DeliveryRegion;

/// <summary>Registry key of the shard region of the delivery settings (one entity).</summary>
public sealed class DeliverySettingsRegion;

public static class DeliveryHosting
{
    public const string TypeName = "delivery";
    public const string SettingsTypeName = "delivery-settings";

    /// <summary>
    /// The delivery entities (one per unit queue: its delivered cursor, and the push to its unit's webhook), the
    /// delivery settings of every unit, and the keeper that wakes the delivery entities so that pushing resumes after
    /// a restart. They read the unit queues' feeds (<see cref="UnitsHosting.WithUnits"/>).
    /// </summary>
    /// <param name="journal">this node's journal health: a queue holds its pushes while the journal cannot store their confirmations</param>
    public static AkkaConfigurationBuilder WithDelivery(this AkkaConfigurationBuilder builder, DeliveryOptions options, RoutingDirectory routing,
        JournalHealth journal, DeliveryMetrics? metrics = null, string? role = null)
    {
        var http = WebhookRequest.Client(options.ConnectionIdleTimeout, options.ConnectionLifetime);
        return builder
            .WithShardRegion<DeliverySettingsRegion>(SettingsTypeName, _ => DeliverySettingsActor.PropsFor(options),
                EntityShards.Extractor, EntityShards.Options(role))
            .WithShardRegion<DeliveryRegion>(TypeName,
                (_, registry) => entityId => DeliveryActor.PropsFor(DeliveryQueueId.Parse(entityId), options, QueuesOf(routing, entityId),
                    registry.Get<UnitRegion>, registry.Get<DeliverySettingsRegion>, http, journal, metrics),
                EntityShards.Extractor, EntityShards.Options(role))
            .WithActors((system, registry) => system.ActorOf(
                WakeKeeper.PropsFor(registry.Get<DeliveryRegion>(), () => routing.AllQueues().Select(q => new DeliveryQueueId(q).EntityId), options.WakeInterval),
                "delivery-wake-keeper"));
    }

    private static int QueuesOf(RoutingDirectory routing, string entityId) =>
        routing.FindUnit(DeliveryQueueId.Parse(entityId).Queue.Unit)?.Queues ?? 1;
}
