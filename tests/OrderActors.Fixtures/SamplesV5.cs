using OrderActors.Actors.Security;

namespace OrderActors.Fixtures;

/// <summary>
/// The values of the v5 golden fixtures (<c>tests/fixtures/messages/v5</c>): the key store's events and snapshot, as
/// the build of 2026-12-02 that added them wrote them. Frozen, as v1–v4 are.
/// </summary>
public static class SamplesV5
{
    public const string Version = "v5";

    private static readonly DateTimeOffset At = new(2026, 12, 2, 18, 20, 5, 125, TimeSpan.Zero);

    // the hash of a key nobody holds: fixtures carry no secret
    public static readonly SecurityProtocol.ApiKeyEntry Consumer = new("k7m2x9qpw4ab", "erp-reader ü", "consumer", ["erp", "wms"],
        "n4bQgYhMfWwaL+qN1dFcxjGE5sJWBgqKJMHJ1ab2cd8=", At);

    public static readonly SecurityProtocol.ApiKeyEntry Producer = new("p3r8t6vy2zcd", "oms", "producer", [],
        "q9x2YhMfWwaL+qN1dFcxjGE5sJWBgqKJMHJ1ab2cd8A=", At.AddMinutes(-3), At);

    public static readonly Type[] PersistedTypes =
        [typeof(SecurityProtocol.KeyAdded), typeof(SecurityProtocol.KeyRevoked), typeof(SecurityProtocol.KeysSnapshot)];

    public static IReadOnlyList<(string Name, object Message)> All { get; } =
    [
        ("key-added", new SecurityProtocol.KeyAdded(Consumer)),
        ("key-revoked", new SecurityProtocol.KeyRevoked("p3r8t6vy2zcd", At)),
        ("keys-snapshot", new SecurityProtocol.KeysSnapshot(7, [Consumer, Producer])),
    ];
}
