using OrderActors.Actors.Units;
using OrderActors.Domain.Units;

namespace OrderActors.Fixtures;

/// <summary>
/// The values of the v9 golden fixtures (<c>tests/fixtures/messages/v9</c>): a unit queue's orders recorded as
/// references to where their first queue stored them (<see cref="UnitProtocol.OrderRefsQueued"/>, binary format 3 and
/// its JSON form), so that each order's body is stored once. Written by the build of 2026-12-07 that added it. Frozen,
/// as v1–v8 are.
/// </summary>
public static class SamplesV9
{
    public const string Version = "v9";

    private static readonly DateTimeOffset At = new(2026, 12, 7, 21, 12, 40, 83, TimeSpan.Zero);

    public static readonly Type[] PersistedTypes = [typeof(UnitProtocol.OrderRefsQueued)];

    public static IReadOnlyList<(string Name, object Message)> All { get; } =
    [
        // waiting to be processed (a stock unit), from two stored batches of first queue 3
        ("orders-queued-by-reference", new UnitProtocol.OrderRefsQueued(new QueuedRefs(41, At, null,
            [new OrderRef(3, 118, 27), new OrderRef(3, 119, 27), new OrderRef(3, 121, 28)]))),
        // recorded and processed in one write (a unit whose processing has no side effect), large numbers
        ("orders-queued-by-reference-processed", new UnitProtocol.OrderRefsQueued(new QueuedRefs(5_000_000_001, At, At,
            [new OrderRef(0, 9_000_000_000, 3_000_000_000)]))),
    ];
}
