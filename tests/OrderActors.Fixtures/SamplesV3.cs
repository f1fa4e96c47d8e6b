using OrderActors.Actors.Delivery;
using OrderActors.Domain.Delivery;

namespace OrderActors.Fixtures;

/// <summary>
/// The values of the v3 golden fixtures (<c>tests/fixtures/messages/v3</c>): the delivery settings' event, added after
/// v2, as the build of 2026-12-02 that added it wrote it. Frozen, as v1 and v2 are.
/// </summary>
public static class SamplesV3
{
    public const string Version = "v3";

    public static readonly Type[] PersistedTypes = [typeof(DeliveryProtocol.UnitDeliverySet)];

    public static IReadOnlyList<(string Name, object Message)> All { get; } =
    [
        ("unit-delivery-set-webhook", new DeliveryProtocol.UnitDeliverySet("erp", new UnitDeliverySettings(DeliveryMode.Webhook,
            "https://erp.example/orders", ["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"], 50, TimeSpan.FromSeconds(5), FailurePolicy.Park, 8,
            TimeSpan.FromHours(1), 200), 3)),
        ("unit-delivery-set-pull", new DeliveryProtocol.UnitDeliverySet("wms", UnitDeliverySettings.Pull, 1)),
    ];
}
