using Akka.Cluster.Hosting;
using Akka.Hosting;
using OrderActors.Actors.Sharding;
using OrderActors.Domain.Delivery;

namespace OrderActors.Actors.Delivery;

/// <summary>Registry key of the delivery entities' shard region.</summary>
public sealed class DeliveryRegion;

public static class DeliveryHosting
{
    public const string TypeName = "delivery";

    /// <summary>The delivery entities: one per unit queue, holding how far its downstream system confirmed it.</summary>
    public static AkkaConfigurationBuilder WithDelivery(this AkkaConfigurationBuilder builder, DeliveryOptions options, string? role = null) =>
        builder.WithShardRegion<DeliveryRegion>(TypeName,
            entityId => DeliveryActor.PropsFor(DeliveryQueueId.Parse(entityId), options),
            EntityShards.Extractor, EntityShards.Options(role));
}
