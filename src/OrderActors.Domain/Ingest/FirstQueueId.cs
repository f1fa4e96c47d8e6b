using OrderActors.Domain.Orders;

namespace OrderActors.Domain.Ingest;

/// <summary>
/// A first queue, <c>ingest-k</c>: the sharded entity and the persistence id (the journal's key) of queue k. An
/// order's first queue is FNV-1a of its id modulo the number of first queues (<see cref="QueueAssignment"/>).
/// </summary>
public readonly record struct FirstQueueId(int Queue)
{
    public const string Prefix = "ingest-";

    public string EntityId => Prefix + Queue;

    /// <summary>The journal's key of this queue's events (the entity id: stored data keeps it).</summary>
    public string PersistenceId => EntityId;

    public static FirstQueueId Of(string orderId, int queues) => new(QueueAssignment.FirstQueue(orderId, queues));

    public static IEnumerable<FirstQueueId> All(int queues) => Enumerable.Range(0, queues).Select(q => new FirstQueueId(q));

    public static FirstQueueId Parse(string entityId) =>
        entityId.StartsWith(Prefix, StringComparison.Ordinal) && int.TryParse(entityId.AsSpan(Prefix.Length), out var queue) && queue >= 0
            ? new FirstQueueId(queue)
            : throw new ArgumentException($"'{entityId}' is not a first queue id (ingest-k)", nameof(entityId));

    public override string ToString() => EntityId;
}
