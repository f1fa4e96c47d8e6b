using Akka.Hosting;
using OrderActors.Actors.Sharding;

using OrderActors.Actors.Serialization;

namespace OrderActors.Actors;

public static class SerializationHosting
{
    /// <summary>Binds every persisted or remote message (<see cref="IOrderActorsMessage"/>) to <see cref="OrderActorsSerializer"/>.</summary>
    public static AkkaConfigurationBuilder WithOrderActorsSerialization(this AkkaConfigurationBuilder builder) =>
        builder.WithCustomSerializer(OrderActorsSerializer.Name, [typeof(IOrderActorsMessage)], system => new OrderActorsSerializer(system));
}
