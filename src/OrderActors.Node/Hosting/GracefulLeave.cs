using System.Diagnostics;
using Akka.Actor;

namespace OrderActors.Node.Hosting;

/// <summary>
/// SIGTERM: the node leaves the cluster, handing its shards off, while HTTP still answers (intake 503 +
/// Retry-After, readiness not ready); only then does the host stop the HTTP server. Without this the server stops
/// first, and for the whole hand-off callers would meet a closed port instead of an answer that sends them on.
/// A node downed by the cluster (the split brain resolver, or an operator) takes the same path: its shutdown starts on
/// Akka's side, and stops the host at once, so that it refuses intake and reports not ready while it goes.
/// </summary>
public sealed class GracefulLeave(ActorSystem system, IHostApplicationLifetime lifetime, ILogger<GracefulLeave> log) : IHostedLifecycleService
{
    /// <summary>The exit code of a node the cluster downed: not 0, so that its supervisor starts it again.</summary>
    public const int DownedExitCode = 3;

    public Task StartingAsync(CancellationToken cancellationToken)
    {
        CoordinatedShutdown.Get(system).AddTask(CoordinatedShutdown.PhaseBeforeServiceUnbind, "orderactors-stop-host", () =>
        {
            if (!lifetime.ApplicationStopping.IsCancellationRequested)
            {
                log.LogWarning("The cluster is shutting this node down ({Reason}): refusing intake from now on",
                    CoordinatedShutdown.Get(system).ShutdownReason?.GetType().Name ?? "unknown reason");
                _ = Task.Run(lifetime.StopApplication); // not inline: stopping callbacks may wait for this very shutdown
            }
            return Task.FromResult(Akka.Done.Instance);
        });
        return Task.CompletedTask;
    }

    /// <summary>Whether the cluster downed this node (as opposed to a leave it was asked for).</summary>
    public bool Downed => CoordinatedShutdown.Get(system).ShutdownReason is CoordinatedShutdown.ClusterDowningReason;

    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        log.LogInformation("Leaving the cluster: handing the shards off while HTTP answers 503 with Retry-After");
        await CoordinatedShutdown.Get(system).Run(CoordinatedShutdown.ClrExitReason.Instance).WaitAsync(cancellationToken);
        log.LogInformation("Left the cluster in {Seconds:N1} s; closing HTTP", clock.Elapsed.TotalSeconds);
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
