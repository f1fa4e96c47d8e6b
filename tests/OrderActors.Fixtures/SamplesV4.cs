using OrderActors.Actors.Delivery;
using OrderActors.Domain.Delivery;

namespace OrderActors.Fixtures;

/// <summary>
/// The values of the v4 golden fixtures (<c>tests/fixtures/messages/v4</c>): the parked orders, replays, pauses and
/// business progress of the delivery feature, and the delivered mark and snapshot in the form that carries them, as
/// the build of 2026-12-02 that added them wrote them. Frozen, as v1–v3 are.
/// </summary>
public static class SamplesV4
{
    public const string Version = "v4";

    private static readonly DateTimeOffset At = new(2026, 12, 2, 10, 30, 15, 250, TimeSpan.Zero);

    public static readonly ParkedOrder Parked = new(17, "10248-ü", 400, "400 Bad Request", 3, At.AddMinutes(-5), At);

    public static readonly BusinessStatus Shipped = new("shipped", At.AddHours(-1), "DHL 00340434161094015902", "two parcels", At);

    public static readonly Type[] PersistedTypes =
    [
        typeof(DeliveryProtocol.UnitDeliveryPaused), typeof(DeliveryProtocol.OrdersParked), typeof(DeliveryProtocol.ParkedRetried),
        typeof(DeliveryProtocol.ParkedArchived), typeof(DeliveryProtocol.ParkedDelivered), typeof(DeliveryProtocol.DeliveryReplayed),
        typeof(DeliveryProtocol.OrderStatusReported),
    ];

    public static IReadOnlyList<(string Name, object Message)> All { get; } =
    [
        ("unit-delivery-paused", new DeliveryProtocol.UnitDeliveryPaused("erp", "the receiver answered 410 Gone", true, 4, At)),
        ("unit-delivery-resumed", new DeliveryProtocol.UnitDeliveryPaused("erp", null, false, 5, At)),
        ("orders-parked", new DeliveryProtocol.OrdersParked([Parked, Parked with { Seq = 18, OrderId = "10249", Status = null, Error = "no answer within 10s" }])),
        ("parked-retried", new DeliveryProtocol.ParkedRetried([17, 18], At)),
        ("parked-archived", new DeliveryProtocol.ParkedArchived([18], At)),
        ("parked-delivered", new DeliveryProtocol.ParkedDelivered(17, At, 1)),
        ("delivery-replayed", new DeliveryProtocol.DeliveryReplayed(12, At)),
        ("order-status-reported", new DeliveryProtocol.OrderStatusReported(17, Shipped)),
        ("order-status-reported-bare", new DeliveryProtocol.OrderStatusReported(3, new BusinessStatus("picked", At, null, null, At))),
        ("orders-delivered-attempts", new DeliveryProtocol.OrdersDelivered(20, At, 2)),
        ("delivery-snapshot-full", new DeliveryProtocol.DeliverySnapshot(
            [new DeliveryProtocol.OrdersDelivered(16, At.AddMinutes(-6), 1), new DeliveryProtocol.OrdersDelivered(20, At, 2)], 11,
            [Parked, Parked with { Seq = 18, State = ParkedState.Archived, SettledAt = At }],
            [new DeliveryProtocol.OrderStatusReported(17, Shipped)])),
    ];
}
