using Akka.Configuration;
using OrderActors.Actors.Configuration;

namespace OrderActors.Node.Http;

/// <summary>The HTTP layer's options, read from <c>orderactors</c> (defaults in <c>hocon/orderactors.hocon</c>).</summary>
public sealed record ApiOptions(TimeSpan AskTimeout)
{
    public static ApiOptions From(Config config) =>
        new(HoconSection.Of(config, "orderactors").Duration("ask-timeout", TimeSpan.FromMilliseconds(1)));
}
