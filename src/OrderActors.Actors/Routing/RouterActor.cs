using System.Diagnostics;
using Akka.Actor;
using OrderActors.Actors.Telemetry;
using OrderActors.Actors.Units;
using OrderActors.Domain.Orders;
using OrderActors.Domain.Routing;
using static OrderActors.Actors.Routing.RouterProtocol;

namespace OrderActors.Actors.Routing;

/// <summary>
/// The router (patent claims 3–4): matches each order's code against the units' preset codes and sends it to
/// the second queue of every matched unit that corresponds to its first queue. Stateless, one per node.
/// </summary>
public sealed class RouterActor : ReceiveActor
{
    private static readonly ActivitySource Tracing = OrderTracing.Source("Routing");

    public RouterActor(RoutingTable table, IActorRef unitRegion)
    {
        Receive<RouteOrders>(route =>
        {
            using var span = OrderTracing.Start(Tracing, "route orders", ActivityKind.Internal, route.Orders);
            var parts = new Dictionary<string, List<AcceptedOrder>>(StringComparer.Ordinal);
            foreach (var order in route.Orders)
            {
                foreach (var target in table.Route(order.Order.BusinessCode, route.FirstQueue))
                {
                    if (!parts.TryGetValue(target.EntityId, out var list))
                        parts[target.EntityId] = list = new List<AcceptedOrder>();
                    list.Add(order);
                }
            }

            span?.SetTag("messaging.system", OrderTracing.System)
                .SetTag("messaging.batch.message_count", route.Orders.Count)
                .SetTag("orderactors.first_queue", route.FirstQueue)
                .SetTag("orderactors.routing.version", table.Version)
                .SetTag("orderactors.unit_queues", string.Join(",", parts.Keys));
            var replyTo = Sender;
            replyTo.Tell(new RoutePlan(route.DeliveryId, parts.Keys.ToArray()));
            foreach (var (entityId, orders) in parts)
                unitRegion.Tell(new UnitProtocol.EnqueueOrders(entityId, route.FirstQueue, route.DeliveryId, orders, route.StoredIn), replyTo);
        });
    }

    public static Props PropsFor(RoutingTable table, IActorRef unitRegion) =>
        Props.Create(() => new RouterActor(table, unitRegion));
}
