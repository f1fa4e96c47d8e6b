using OrderActors.Actors.Delivery;

namespace OrderActors.Fixtures;

/// <summary>
/// The values of the v2 golden fixtures (<c>tests/fixtures/messages/v2</c>): the persisted types added after v1 (the
/// delivery entities' events and snapshot), as the build of 2026-12-02 that added them wrote them. Frozen, as v1 is.
/// </summary>
public static class SamplesV2
{
    public const string Version = "v2";

    public static readonly Type[] PersistedTypes = [typeof(DeliveryProtocol.OrdersDelivered), typeof(DeliveryProtocol.DeliverySnapshot)];

    private static readonly DateTimeOffset At = new(2026, 12, 2, 7, 41, 3, 517, TimeSpan.Zero);

    public static IReadOnlyList<(string Name, object Message)> All { get; } =
    [
        ("orders-delivered", new DeliveryProtocol.OrdersDelivered(10, At)),
        ("delivery-snapshot", new DeliveryProtocol.DeliverySnapshot(
            [new DeliveryProtocol.OrdersDelivered(10, At), new DeliveryProtocol.OrdersDelivered(30, At.AddSeconds(2))])),
    ];
}
