using Akka.Configuration;
using OrderActors.Actors.Configuration;

namespace OrderActors.Actors.Delivery;

/// <summary>The delivery feature's options, read from <c>orderactors.delivery</c> (defaults in <c>hocon/orderactors.hocon</c>).</summary>
public sealed record DeliveryOptions
{
    /// <summary>A delivery entity snapshots every this many events.</summary>
    public required int SnapshotEvery { get; init; }
    /// <summary>The longest a feed request may wait for new orders (<c>wait=</c>).</summary>
    public required TimeSpan MaxFeedWait { get; init; }

    public static DeliveryOptions From(Config config)
    {
        var delivery = HoconSection.Of(config, "orderactors.delivery");
        return new DeliveryOptions
        {
            SnapshotEvery = delivery.Int("snapshot-every", 1),
            MaxFeedWait = delivery.Duration("max-feed-wait"),
        };
    }
}
