using OrderActors.Actors.Ingest;
using OrderActors.Actors.Units;
using OrderActors.Domain.Ingest;
using OrderActors.Domain.Orders;
using OrderActors.Domain.Units;

namespace OrderActors.Fixtures;

/// <summary>
/// The values of the v8 golden fixtures (<c>tests/fixtures/messages/v8</c>): the order-carrying events and snapshots
/// in binary format 2, which stores where each order came in (<see cref="OrderOrigin"/>: the receiving node and the
/// OMS's <c>traceparent</c>), and their JSON form with it; beside orders stored without one. Written by the build of
/// 2026-12-07 that added it. Frozen, as v1–v7 are.
/// </summary>
public static class SamplesV8
{
    public const string Version = "v8";

    private static readonly DateTimeOffset At = new(2026, 12, 7, 18, 4, 9, 517, TimeSpan.Zero);

    /// <summary>An order the OMS sent with a trace context.</summary>
    public static AcceptedOrder Traced { get; } = SamplesV1.Plain with
    {
        AcceptedAt = At,
        Offset = 7,
        Origin = new OrderOrigin("10.0.4.17:4053", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"),
    };

    /// <summary>An order sent without one (or with one that was not valid): only the node is known.</summary>
    public static AcceptedOrder Untraced { get; } = SamplesV1.Varied with { Origin = new OrderOrigin("orderactors-2.internal:4053", null) };

    /// <summary>The types stored in a new form; the form is what v8 adds, not the types.</summary>
    public static readonly Type[] PersistedTypes =
    [
        typeof(IngestProtocol.OrdersAccepted), typeof(IngestProtocol.IngestSnapshot), typeof(UnitProtocol.OrdersQueued), typeof(UnitProtocol.UnitQueueSnapshot),
    ];

    public static IReadOnlyList<(string Name, object Message)> All { get; } =
    [
        // an order from before the origin was stored, beside the two that have one
        ("orders-accepted-origin", new IngestProtocol.OrdersAccepted([Traced, Untraced, SamplesV1.Numbered(2, 8)])),
        ("ingest-snapshot-origin", new IngestProtocol.IngestSnapshot(BuildIngestState())),
        ("orders-queued-origin", new UnitProtocol.OrdersQueued(
        [
            new FeedEntry(11, Traced, At.AddSeconds(1), null),
            new FeedEntry(12, Untraced, At.AddSeconds(2), At.AddSeconds(3)),
        ])),
        ("unit-queue-snapshot-origin", new UnitProtocol.UnitQueueSnapshot(BuildUnitQueueState())),
    ];

    private static IngestState BuildIngestState()
    {
        var ledger = new IngestLedger(retainDelivered: 2);
        ledger.Accept([Traced with { Offset = 1 }, Untraced with { Offset = 2 }, SamplesV1.Numbered(1, 3)], sequenceNr: 1);
        return ledger.ToState();
    }

    private static UnitQueueState BuildUnitQueueState()
    {
        var ledger = new UnitQueueLedger(retainProcessed: 2);
        ledger.Record(ledger.Admit([Traced with { FirstQueue = 0, Offset = 1 }, Untraced with { FirstQueue = 0, Offset = 2 }], At.AddMinutes(1)), 1);
        return ledger.ToState();
    }
}
