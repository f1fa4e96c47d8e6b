using Akka.Configuration;
using OrderActors.Actors.Configuration;

namespace OrderActors.Node.Health;

/// <summary><c>orderactors.health</c> (defaults in <c>hocon/orderactors.hocon</c>): how the node probes its journal.</summary>
public sealed record HealthOptions(TimeSpan ProbeInterval, TimeSpan ProbeTimeout, long MinFreeBytes)
{
    public static HealthOptions From(Config config)
    {
        var section = HoconSection.Of(config, "orderactors.health");
        var minFree = section.Raw.GetByteSize("min-free-space") ?? throw section.Invalid("min-free-space", "must be a size such as 64MiB");
        return new HealthOptions(
            section.Duration("probe-interval", TimeSpan.FromMilliseconds(50)),
            section.Duration("probe-timeout", TimeSpan.FromMilliseconds(100)),
            minFree);
    }
}
