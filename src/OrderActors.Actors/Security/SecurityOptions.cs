using Akka.Configuration;
using OrderActors.Actors.Configuration;

namespace OrderActors.Actors.Security;

/// <summary>The key store's options, read from <c>orderactors.security</c> (defaults in <c>hocon/orderactors.hocon</c>).</summary>
public sealed record SecurityOptions
{
    /// <summary>Each node asks the key store this often (changes are also pushed at once): a revoke holds everywhere within it.</summary>
    public required TimeSpan SyncInterval { get; init; }
    /// <summary>The key store snapshots every this many changes.</summary>
    public required int SnapshotEvery { get; init; }
    /// <summary>Requests per second one key may make (a token bucket of this size per second; 0 = no limit).</summary>
    public required int RequestsPerSecond { get; init; }
    /// <summary>Failed authentications one client address may make in <see cref="FailedAuthWindow"/> before its failing requests get 429.</summary>
    public required int FailedAuthLimit { get; init; }
    public required TimeSpan FailedAuthWindow { get; init; }

    public static SecurityOptions From(Config config)
    {
        var security = HoconSection.Of(config, "orderactors").Section("security");
        return new SecurityOptions
        {
            SyncInterval = security.Duration("sync-interval", TimeSpan.FromMilliseconds(10)),
            SnapshotEvery = security.Int("snapshot-every", 1),
            RequestsPerSecond = security.Int("requests-per-second", 0),
            FailedAuthLimit = security.Int("failed-auth-limit", 1),
            FailedAuthWindow = security.Duration("failed-auth-window", TimeSpan.FromSeconds(1)),
        };
    }
}
