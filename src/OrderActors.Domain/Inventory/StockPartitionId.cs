using OrderActors.Domain.Orders;

namespace OrderActors.Domain.Inventory;

/// <summary>
/// An inventory partition, <c>stock-p</c>: the sharded entity holding the tallies of every SKU whose FNV-1a hash
/// modulo the number of partitions is p, and its persistence id (<c>inventory-stock-p</c>).
/// </summary>
public readonly record struct StockPartitionId(int Partition)
{
    private const string Prefix = "stock-";

    public string EntityId => Prefix + Partition;

    public string PersistenceId => "inventory-" + EntityId;

    public static StockPartitionId For(string sku, int partitions) => new((int)(QueueAssignment.Fnv1a(sku) % (uint)partitions));

    public static IEnumerable<StockPartitionId> All(int partitions) => Enumerable.Range(0, partitions).Select(p => new StockPartitionId(p));

    public static StockPartitionId Parse(string entityId) =>
        entityId.StartsWith(Prefix, StringComparison.Ordinal) && int.TryParse(entityId.AsSpan(Prefix.Length), out var partition) && partition >= 0
            ? new StockPartitionId(partition)
            : throw new ArgumentException($"'{entityId}' is not a stock partition id (stock-p)", nameof(entityId));

    public override string ToString() => EntityId;
}
