using OrderActors.Domain.Security;

namespace OrderActors.Actors.Security;

/// <summary>
/// This node's copy of the keys, read by every HTTP request with no network hop; the <see cref="KeyReplica"/> replaces
/// it whole when the key store changes.
/// </summary>
public sealed class KeyDirectoryStore
{
    private KeyDirectory _current = KeyDirectory.Empty;
    private long _syncedAtTicks;

    public KeyDirectory Current => Volatile.Read(ref _current);

    /// <summary>When the replica last heard from the key store (null: not yet since the node started).</summary>
    public DateTimeOffset? SyncedAt => Interlocked.Read(ref _syncedAtTicks) is var t and > 0 ? new DateTimeOffset(t, TimeSpan.Zero) : null;

    public void Replace(KeyDirectory directory)
    {
        if (directory.Version >= Current.Version) Volatile.Write(ref _current, directory);
    }

    public void MarkSynced() => Interlocked.Exchange(ref _syncedAtTicks, DateTimeOffset.UtcNow.UtcTicks);
}
