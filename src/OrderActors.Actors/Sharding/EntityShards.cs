using Akka.Cluster.Hosting;
using Akka.Cluster.Sharding;

namespace OrderActors.Actors.Sharding;

/// <summary>How every feature shards its entities: one shard per entity, coordinator state in DData, our hand-off stop.</summary>
public static class EntityShards
{
    public static readonly EntityIdExtractor Extractor = new();

    public static ShardOptions Options(string? role = null) => new()
    {
        StateStoreMode = StateStoreMode.DData,
        RememberEntities = false,
        HandOffStopMessage = StopEntity.Instance,
        Role = role,
    };
}
