using OrderActors.Actors.Ingest;
using OrderActors.Actors.Units;
using OrderActors.Domain.Ingest;
using OrderActors.Domain.Routing;
using OrderActors.Domain.Units;

namespace OrderActors.Fixtures;

/// <summary>
/// The values of the v11 golden fixtures (<c>tests/fixtures/messages/v11</c>): routing versions recorded with the
/// orders (binary format 4). A first queue's cut (<see cref="IngestProtocol.RoutingCutRecorded"/>) and its snapshot
/// with cuts; a unit queue's entries, by reference and with bodies, and its snapshot, each with the version that
/// routed them. Written by the build of 2026-12-07 that added them (issue 29). Frozen, as v1–v10 are.
/// </summary>
public static class SamplesV11
{
    public const string Version = "v11";

    private static readonly DateTimeOffset At = new(2026, 12, 7, 23, 58, 12, 406, TimeSpan.Zero);

    public static readonly Type[] PersistedTypes =
    [
        typeof(IngestProtocol.RoutingCutRecorded), typeof(IngestProtocol.IngestSnapshot), typeof(UnitProtocol.OrderRefsQueued),
        typeof(UnitProtocol.OrdersQueued), typeof(UnitProtocol.UnitQueueSnapshot),
    ];

    public static IReadOnlyList<(string Name, object Message)> All { get; } =
    [
        ("routing-cut", new IngestProtocol.RoutingCutRecorded(121, 2)),
        ("routing-cut-large", new IngestProtocol.RoutingCutRecorded(9_000_000_001, 70_000)),
        ("ingest-snapshot-cuts", new IngestProtocol.IngestSnapshot(BuildIngestState(), [new RoutingCut(2, 2), new RoutingCut(3, 5)])),
        ("orders-queued-by-reference-version", new UnitProtocol.OrderRefsQueued(new QueuedRefs(42, At, null,
            [new OrderRef(3, 122, 29), new OrderRef(3, 123, 29)], RoutingVersion: 2))),
        ("orders-queued-version", new UnitProtocol.OrdersQueued(
        [
            new FeedEntry(13, SamplesV8.Traced, At.AddSeconds(1), null, RoutingVersion: 2),
            new FeedEntry(14, SamplesV8.Untraced, At.AddSeconds(2), At.AddSeconds(3), RoutingVersion: 70_000),
        ])),
        ("unit-queue-snapshot-version", new UnitProtocol.UnitQueueSnapshot(BuildUnitQueueState())),
    ];

    private static IngestState BuildIngestState()
    {
        var ledger = new IngestLedger(retainDelivered: 2);
        ledger.Accept([SamplesV8.Traced with { Offset = 1 }, SamplesV8.Untraced with { Offset = 2 }, SamplesV1.Numbered(1, 3)], sequenceNr: 1);
        return ledger.ToState();
    }

    private static UnitQueueState BuildUnitQueueState()
    {
        var ledger = new UnitQueueLedger(retainProcessed: 2);
        ledger.Record(ledger.Admit([SamplesV8.Traced with { FirstQueue = 0, Offset = 1 }], At.AddMinutes(1), routingVersion: 1), 1);
        ledger.Record(ledger.Admit([SamplesV8.Untraced with { FirstQueue = 0, Offset = 2 }], At.AddMinutes(2), routingVersion: 3), 2);
        return ledger.ToState();
    }
}
