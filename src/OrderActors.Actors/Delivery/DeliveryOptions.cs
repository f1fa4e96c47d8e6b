using Akka.Configuration;
using OrderActors.Actors.Configuration;
using OrderActors.Domain.Delivery;

namespace OrderActors.Actors.Delivery;

/// <summary>The delivery feature's options, read from <c>orderactors.delivery</c> (defaults in <c>hocon/orderactors.hocon</c>).</summary>
public sealed record DeliveryOptions
{
    /// <summary>A delivery entity snapshots every this many events.</summary>
    public required int SnapshotEvery { get; init; }
    /// <summary>The longest a feed request may wait for new orders (<c>wait=</c>).</summary>
    public required TimeSpan MaxFeedWait { get; init; }
    /// <summary>Each unit's delivery until changed at runtime (<c>orderactors.delivery.units</c>; a unit not named there: pull).</summary>
    public required IReadOnlyDictionary<string, UnitDeliverySettings> Defaults { get; init; }
    /// <summary>Retries of a failed webhook request wait from this long (doubling, with full jitter)...</summary>
    public required TimeSpan RetryFirst { get; init; }
    /// <summary>...up to this long between attempts.</summary>
    public required TimeSpan RetryMax { get; init; }
    /// <summary>How many delivered marks a queue keeps exact; the older ones are merged pairwise (<see cref="DeliveryCursor"/>).</summary>
    public required int MarksKept { get; init; }
    /// <summary>A webhook queue stores its receiver's confirmations once this many orders are confirmed...</summary>
    public required int CursorStoreEvery { get; init; }
    /// <summary>...or this long after the first one not stored yet.</summary>
    public required TimeSpan CursorStoreInterval { get; init; }
    /// <summary>How long the webhook sender keeps an idle connection to a receiver (below the receivers' own keep-alive).</summary>
    public required TimeSpan ConnectionIdleTimeout { get; init; }
    /// <summary>...and uses a connection at most this long, so that a receiver's address change is picked up.</summary>
    public required TimeSpan ConnectionLifetime { get; init; }
    /// <summary>A feed read of a webhook queue not answered within its wait plus this long is asked again.</summary>
    public required TimeSpan FeedGrace { get; init; }
    /// <summary>While the journal cannot be written, a webhook queue looks this often whether it can push again.</summary>
    public required TimeSpan JournalRecheck { get; init; }
    /// <summary>How often each node wakes every delivery entity (so that pushing resumes after a crash).</summary>
    public required TimeSpan WakeInterval { get; init; }
    /// <summary>What a webhook unit's settings take when they do not say (the admin API, and the units above).</summary>
    public required WebhookDefaults WebhookDefaults { get; init; }

    public static DeliveryOptions From(Config config)
    {
        var root = HoconSection.Of(config, "orderactors");
        var delivery = root.Section("delivery");
        var webhook = delivery.Section("webhook-defaults");
        var defaults = new WebhookDefaults(webhook.Int("batch", 1, 1000), webhook.Duration("timeout", TimeSpan.FromMilliseconds(100)),
            webhook.Int("max-attempts", 1));
        return new DeliveryOptions
        {
            WebhookDefaults = defaults,
            SnapshotEvery = delivery.Int("snapshot-every", 1),
            MaxFeedWait = delivery.Duration("max-feed-wait"),
            RetryFirst = delivery.Duration("retry-first", TimeSpan.FromMilliseconds(1)),
            RetryMax = delivery.Duration("retry-max", TimeSpan.FromMilliseconds(1)),
            MarksKept = delivery.Int("marks-kept", 16),
            CursorStoreEvery = delivery.Int("cursor-store-every", 1),
            CursorStoreInterval = delivery.Duration("cursor-store-interval", TimeSpan.FromMilliseconds(1)),
            ConnectionIdleTimeout = delivery.Duration("connection-idle-timeout", TimeSpan.FromMilliseconds(1)),
            ConnectionLifetime = delivery.Duration("connection-lifetime", TimeSpan.FromSeconds(1)),
            FeedGrace = delivery.Duration("feed-grace", TimeSpan.FromMilliseconds(1)),
            JournalRecheck = delivery.Duration("journal-recheck", TimeSpan.FromMilliseconds(10)),
            WakeInterval = root.Duration("wake-interval", TimeSpan.FromMilliseconds(1)),
            Defaults = delivery.Has("units") && delivery.Section("units") is var units
                ? units.Names().ToDictionary(u => u, u => UnitDefaults(units.Section(u), defaults), StringComparer.Ordinal)
                : new Dictionary<string, UnitDeliverySettings>(),
        };
    }

    private static UnitDeliverySettings UnitDefaults(HoconSection unit, WebhookDefaults defaults)
    {
        var mode = unit.String("mode") switch
        {
            "pull" => DeliveryMode.Pull,
            "webhook" => DeliveryMode.Webhook,
            var other => throw unit.Invalid("mode", $"must be pull or webhook (got '{other}')"),
        };
        if (mode == DeliveryMode.Pull) return UnitDeliverySettings.Pull;
        var settings = new UnitDeliverySettings(mode, unit.String("url"), unit.StringList("secrets"),
            unit.Has("batch") ? unit.Int("batch", 1, 1000) : defaults.Batch, unit.Has("timeout") ? unit.Duration("timeout") : defaults.Timeout,
            unit.Has("on-failure") && unit.String("on-failure") == "park" ? FailurePolicy.Park : FailurePolicy.Block,
            unit.Has("max-attempts") ? unit.Int("max-attempts", 1) : defaults.MaxAttempts);
        var errors = settings.Validate();
        return errors.IsEmpty ? settings : throw new ConfigurationException($"{unit.Path}: {errors.Summary()}");
    }
}
