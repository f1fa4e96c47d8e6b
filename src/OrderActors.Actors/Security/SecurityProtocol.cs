using OrderActors.Actors.Serialization;
using OrderActors.Actors.Sharding;
using OrderActors.Domain.Security;

namespace OrderActors.Actors.Security;

/// <summary>The messages of the key store: one sharded entity holds every API key's hash, each node a replica.</summary>
public static class SecurityProtocol
{
    public const string EntityId = "keys";
    public const string Topic = "orderactors-keys";

    /// <summary>One key as stored and published: its hash (SHA-256, base64), never the key.</summary>
    public sealed record ApiKeyEntry(string Id, string Name, string Role, IReadOnlyList<string> Units, string Sha256, DateTimeOffset CreatedAt,
        DateTimeOffset? RevokedAt = null)
    {
        public StoredKey ToDomain() => new(Id, Name, Enum.Parse<ApiRole>(Role, ignoreCase: true), Units, Convert.FromBase64String(Sha256), CreatedAt, RevokedAt);

        public static ApiKeyEntry From(StoredKey key) => new(key.Id, key.Name, key.Role.ToString().ToLowerInvariant(), key.Units,
            Convert.ToBase64String(key.Hash), key.CreatedAt, key.RevokedAt);
    }

    /// <summary>Adds a key (the node made it and hashed it); answered with the <see cref="KeysState"/> that has it.</summary>
    public sealed record AddKey(ApiKeyEntry Key) : IEntityMessage
    {
        string IEntityMessage.EntityId => SecurityProtocol.EntityId;
    }

    /// <summary>Revokes a key; answered with <see cref="KeyRevokeResult"/>.</summary>
    public sealed record RevokeKey(string Id) : IEntityMessage
    {
        string IEntityMessage.EntityId => SecurityProtocol.EntityId;
    }

    public sealed record KeyRevokeResult(bool Found, KeysState State) : IOrderActorsMessage;

    /// <summary>Every key, if the store is past <paramref name="KnownVersion"/> (else <see cref="KeysUnchanged"/>).</summary>
    public sealed record GetKeys(long KnownVersion) : IEntityMessage
    {
        string IEntityMessage.EntityId => SecurityProtocol.EntityId;
    }

    /// <summary>Every key at one version of the store (revoked ones too, with when); also what a change publishes.</summary>
    public sealed record KeysState(long Version, IReadOnlyList<ApiKeyEntry> Keys) : IOrderActorsMessage
    {
        public KeyDirectory ToDirectory() => new(Version, Keys.Select(k => k.ToDomain()));
    }

    public sealed record KeysUnchanged(long Version) : IOrderActorsMessage;

    // --- stored events and snapshot ---

    public sealed record KeyAdded(ApiKeyEntry Key) : IOrderActorsMessage;

    public sealed record KeyRevoked(string Id, DateTimeOffset At) : IOrderActorsMessage;

    public sealed record KeysSnapshot(long Version, IReadOnlyList<ApiKeyEntry> Keys) : IOrderActorsMessage;
}
