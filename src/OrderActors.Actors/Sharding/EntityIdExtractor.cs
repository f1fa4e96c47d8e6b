using Akka.Cluster.Sharding;

namespace OrderActors.Actors.Sharding;

/// <summary>
/// One shard per entity: we have few, long-lived entities (first queues and unit queues), so giving each its
/// own shard lets the coordinator spread them evenly over the nodes.
/// </summary>
public sealed class EntityIdExtractor : IMessageExtractor
{
    // StartEntity and ShardingEnvelope are handled by Akka.Cluster.Sharding itself (AK2001).
    public string? EntityId(object message) => (message as IEntityMessage)?.EntityId;

    public object? EntityMessage(object message) => message;

    public string? ShardId(object message) => EntityId(message);

    public string ShardId(string entityId, object? messageHint = null) => entityId;
}
