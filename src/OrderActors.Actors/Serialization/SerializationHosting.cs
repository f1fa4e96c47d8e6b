using Akka.Hosting;
using OrderActors.Actors.Sharding;

namespace OrderActors.Actors.Serialization;

public static class SerializationHosting
{
    /// <summary>Binds every persisted or remote message (<see cref="IOrderActorsMessage"/>) to <see cref="OrderActorsSerializer"/>.</summary>
    public static AkkaConfigurationBuilder WithOrderActorsSerialization(this AkkaConfigurationBuilder builder) =>
        builder.WithCustomSerializer(OrderActorsSerializer.Name, [typeof(IOrderActorsMessage)], system => new OrderActorsSerializer(system));
}
