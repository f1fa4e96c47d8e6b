using OrderActors.Actors;
using Akka.Configuration;
using OrderActors.Actors.Serialization;
using OrderActors.Actors.Sharding;

namespace OrderActors.Tests;

/// <summary>An actor system for specs: our serializer bound as in production, and serialize-messages on to prove it.</summary>
public static class ActorSpecConfig
{
    public static readonly Config Config = ConfigurationFactory.ParseString($$"""
        akka.loglevel = INFO
        # CI runs these specs beside the integration tests' node processes on 2 cores: dilate TestKit waits.
        akka.test.timefactor = 3
        akka.actor {
          serialize-messages = on
          serializers.orderactors = "{{typeof(OrderActorsSerializer).AssemblyQualifiedName}}"
          serialization-bindings {
            "{{typeof(IOrderActorsMessage).AssemblyQualifiedName}}" = orderactors
          }
          serialization-identifiers {
            "{{typeof(OrderActorsSerializer).AssemblyQualifiedName}}" = {{OrderActorsSerializer.SerializerId}}
          }
        }
        akka.persistence.journal.plugin = "akka.persistence.journal.inmem"
        akka.persistence.snapshot-store.plugin = "akka.persistence.snapshot-store.inmem"
        # what the entities read of the node's settings, as hocon/ gives it
        orderactors.journal-read-back-timeout = {{TestData.Hocon.GetString("orderactors.journal-read-back-timeout")}}
        """);
}
