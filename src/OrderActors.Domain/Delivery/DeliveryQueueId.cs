using OrderActors.Domain.Routing;

namespace OrderActors.Domain.Delivery;

/// <summary>
/// The delivery state of one unit queue: the sharded entity <c>erp-2</c> of the delivery region (the same id as its
/// unit queue) and its persistence id <c>delivery-erp-2</c>.
/// </summary>
public readonly record struct DeliveryQueueId(UnitQueueAddress Queue)
{
    public string EntityId => Queue.EntityId;

    public string PersistenceId => "delivery-" + Queue.EntityId;

    public static DeliveryQueueId Parse(string entityId) => new(UnitQueueAddress.Parse(entityId));

    public override string ToString() => EntityId;
}
