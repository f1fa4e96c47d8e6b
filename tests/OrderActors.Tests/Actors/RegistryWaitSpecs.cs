using Akka.Hosting;
using OrderActors.Actors.Sharding;
using Xunit.Abstractions;

namespace OrderActors.Tests.Actors;

public class RegistryWaitSpecs(ITestOutputHelper output) : Akka.TestKit.Xunit2.TestKit(ActorSpecConfig.Config, output: output)
{
    private sealed class Marker;

    [Fact]
    public async Task A_wait_ends_when_the_actor_is_registered_after_it_began_or_at_once_when_it_already_is()
    {
        var registry = new ActorRegistry();
        var wait = registry.WhenRegisteredAsync<Marker>(CancellationToken.None);
        Assert.False(wait.IsCompleted);
        registry.Register<Marker>(TestActor);
        Assert.Same(TestActor, await wait.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Same(TestActor, await registry.WhenRegisteredAsync<Marker>(CancellationToken.None));
    }

    [Fact]
    public async Task A_wait_can_be_cancelled()
    {
        using var cts = new CancellationTokenSource();
        var wait = new ActorRegistry().WhenRegisteredAsync<Marker>(cts.Token);
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait);
    }
}
