using Akka.Configuration;
using OrderActors.Actors.Configuration;

namespace OrderActors.Node.Admin;

/// <summary>The cluster operations' options, read from <c>orderactors.admin</c> (defaults in <c>hocon/orderactors.hocon</c>).</summary>
public sealed record AdminOptions(TimeSpan ShardingStatsTimeout)
{
    public static AdminOptions From(Config config) =>
        new(HoconSection.Of(config, "orderactors.admin").Duration("sharding-stats-timeout", TimeSpan.FromMilliseconds(1)));
}
