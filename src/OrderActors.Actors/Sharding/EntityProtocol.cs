using OrderActors.Actors.Serialization;

namespace OrderActors.Actors.Sharding;

/// <summary>A message addressed to one sharded entity.</summary>
public interface IEntityMessage : IOrderActorsMessage
{
    string EntityId { get; }
}

/// <summary>Keeps an entity started: sent periodically so that queues with unfinished work resume after a crash.</summary>
public sealed record Wake(string EntityId) : IEntityMessage;

/// <summary>
/// The hand-off stop message of our persistent entities (the default PoisonPill would drop whatever is
/// still in their mailbox, akka.net #7090): an entity finishes what it has buffered, then stops.
/// </summary>
public sealed record StopEntity : IOrderActorsMessage
{
    public static readonly StopEntity Instance = new();
}
