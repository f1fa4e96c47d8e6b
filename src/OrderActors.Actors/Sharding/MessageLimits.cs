namespace OrderActors.Actors.Sharding;

/// <summary>
/// Bounds on messages that carry orders and may cross nodes. Akka.Remote drops a message larger than its frame
/// size (orderactors.hocon raises it to 16 MiB); a delivery or feed page carries at most this many order lines
/// (an enriched line is at most a few hundred bytes), whatever its order count.
/// </summary>
public static class MessageLimits
{
    public const int MaxLinesPerMessage = 20_000;
}
