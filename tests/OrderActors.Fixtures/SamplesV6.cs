using OrderActors.Actors.Delivery;

namespace OrderActors.Fixtures;

/// <summary>
/// The values of the v6 golden fixtures (<c>tests/fixtures/messages/v6</c>): a webhook queue's confirmations stored
/// together, as the build of 2026-12-03 that added them wrote them. Frozen, as v1–v5 are.
/// </summary>
public static class SamplesV6
{
    public const string Version = "v6";

    private static readonly DateTimeOffset At = new(2026, 12, 3, 9, 55, 12, 480, TimeSpan.Zero);

    public static readonly Type[] PersistedTypes = [typeof(DeliveryProtocol.OrdersDeliveredTogether)];

    public static IReadOnlyList<(string Name, object Message)> All { get; } =
    [
        ("orders-delivered-together", new DeliveryProtocol.OrdersDeliveredTogether(
        [
            new DeliveryProtocol.OrdersDelivered(104, At, 1),
            new DeliveryProtocol.OrdersDelivered(109, At.AddMilliseconds(4), 1),
            new DeliveryProtocol.OrdersDelivered(117, At.AddSeconds(3), 3),
        ])),
    ];
}
