using System.Diagnostics.Metrics;

namespace OrderActors.Actors.Telemetry;

/// <summary>A feature's meter: made by the host's factory (so that it is the host's and disposed with it), or, without one (actor specs), a meter of its own that nothing listens to.</summary>
public static class FeatureMeter
{
    public static Meter Create(IMeterFactory? meters, string name) => meters?.Create(name) ?? new Meter(name);
}
