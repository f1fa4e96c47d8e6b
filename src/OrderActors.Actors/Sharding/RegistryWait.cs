using Akka.Actor;
using Akka.Hosting;

namespace OrderActors.Actors.Sharding;

/// <summary>
/// Waits for an actor to appear in Akka.Hosting's <see cref="ActorRegistry"/>. The registry's own <c>GetAsync</c>
/// looks the key up and only then adds its waiter: a registration landing between the two notifies nobody, and the
/// wait never ends. A node whose sample-catalog loader lost that race (it starts beside Akka) never became ready:
/// that was the rare start-up hang. Polling the registry cannot miss a registration.
/// </summary>
public static class RegistryWait
{
    public static async Task<IActorRef> WhenRegisteredAsync<TKey>(this ActorRegistry registry, CancellationToken ct)
    {
        while (true)
        {
            if (registry.TryGet<TKey>(out var actor)) return actor;
            await Task.Delay(TimeSpan.FromMilliseconds(50), ct);
        }
    }
}
