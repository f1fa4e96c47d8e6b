using OrderActors.Domain.Orders;

namespace OrderActors.Actors.Persistence;

/// <summary>
/// An event that stores the bodies of accepted orders: a first queue's batch. Other entities that record orders by
/// reference read the bodies from such events without knowing whose protocol they belong to.
/// </summary>
public interface IStoredOrders
{
    IReadOnlyList<AcceptedOrder> Orders { get; }
}
