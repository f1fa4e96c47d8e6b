using OrderActors.Actors.Delivery;
using OrderActors.Domain.Delivery;

namespace OrderActors.Fixtures;

/// <summary>
/// The values of the v7 golden fixtures (<c>tests/fixtures/messages/v7</c>): a webhook attempt that did not deliver,
/// and a delivery snapshot that keeps the latest of them, as the build of 2026-12-07 that added them wrote them.
/// Frozen, as v1–v6 are.
/// </summary>
public static class SamplesV7
{
    public const string Version = "v7";

    private static readonly DateTimeOffset At = new(2026, 12, 7, 16, 12, 3, 250, TimeSpan.Zero);

    public static readonly FailedAttempt Refused = new(41, 47, At, 503, "503 Service Unavailable", 212);

    public static readonly FailedAttempt NoAnswer = new(48, 48, At.AddSeconds(2), null, "no answer within 10s", 10_004);

    public static readonly Type[] PersistedTypes = [typeof(DeliveryProtocol.DeliveryAttemptFailed)];

    public static IReadOnlyList<(string Name, object Message)> All { get; } =
    [
        ("delivery-attempt-failed", new DeliveryProtocol.DeliveryAttemptFailed(Refused)),
        ("delivery-attempt-no-answer", new DeliveryProtocol.DeliveryAttemptFailed(NoAnswer)),
        ("delivery-snapshot-failed-attempts", new DeliveryProtocol.DeliverySnapshot(
            [new DeliveryProtocol.OrdersDelivered(40, At.AddSeconds(-5), 1)], 40, [], [], [Refused, NoAnswer])),
    ];
}
