using System.Diagnostics;
using Akka.Actor;

namespace OrderActors.Node.Hosting;

/// <summary>
/// SIGTERM: the node leaves the cluster, handing its shards off, while HTTP still answers (intake 503 +
/// Retry-After, readiness not ready); only then does the host stop the HTTP server. Without this the server stops
/// first, and for the whole hand-off callers would meet a closed port instead of an answer that sends them on.
/// </summary>
public sealed class GracefulLeave(ActorSystem system, ILogger<GracefulLeave> log) : IHostedLifecycleService
{
    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        log.LogInformation("Leaving the cluster: handing the shards off while HTTP answers 503 with Retry-After");
        await CoordinatedShutdown.Get(system).Run(CoordinatedShutdown.ClrExitReason.Instance).WaitAsync(cancellationToken);
        log.LogInformation("Left the cluster in {Seconds:N1} s; closing HTTP", clock.Elapsed.TotalSeconds);
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
