using System.Diagnostics;
using Akka.Actor;
using Akka.Event;
using OrderActors.Actors.Telemetry;
using OrderActors.Actors.Units;
using OrderActors.Domain.Orders;
using OrderActors.Domain.Routing;
using static OrderActors.Actors.Routing.RouterProtocol;

namespace OrderActors.Actors.Routing;

/// <summary>
/// The router (patent claims 3–4): matches each order's code against the units' preset codes of the routing version
/// its delivery carries, and sends it to the second queue of every matched unit that corresponds to its first queue.
/// It holds no order, one per node. A delivery routed by a version this node has not heard of yet (published a
/// moment ago, and its first queue knew first) waits, with what arrives after it, until the routing tables entity
/// answers with that version.
/// </summary>
public sealed class RouterActor : ReceiveActor, IWithStash, IWithTimers
{
    private static readonly ActivitySource Tracing = OrderTracing.Source("Routing");
    private static readonly TimeSpan AskAgain = TimeSpan.FromSeconds(1);

    private readonly RoutingDirectory _directory;
    private readonly IActorRef _tables;
    private readonly IActorRef _unitRegion;
    private readonly ILoggingAdapter _log = Context.GetLogger();

    public RouterActor(RoutingDirectory directory, IActorRef tables, IActorRef unitRegion)
    {
        (_directory, _tables, _unitRegion) = (directory, tables, unitRegion);
        Routing();
    }

    public IStash Stash { get; set; } = null!;
    public ITimerScheduler Timers { get; set; } = null!;

    private void Routing()
    {
        Receive<RouteOrders>(route =>
        {
            if (_directory.Table(route.RoutingVersion) is { } table)
                Route(route, table);
            else
                AwaitVersion(route);
        });
        Receive<RoutingTablesState>(state => _directory.Update(state.Versions));
    }

    private void AwaitVersion(RouteOrders first)
    {
        _log.Info("routing version {0} is not known on this node yet: asking the routing tables", first.RoutingVersion);
        Stash.Stash();
        _tables.Tell(new GetRoutingTables());
        Timers.StartPeriodicTimer("ask", AskTables.Instance, AskAgain);
        Become(() =>
        {
            Receive<RoutingTablesState>(state =>
            {
                _directory.Update(state.Versions);
                if (_directory.Table(first.RoutingVersion) is null) return;
                Timers.Cancel("ask");
                Become(Routing);
                Stash.UnstashAll();
            });
            Receive<AskTables>(_ => _tables.Tell(new GetRoutingTables()));
            ReceiveAny(_ => Stash.Stash());
        });
    }

    private void Route(RouteOrders route, RoutingTable table)
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
            _unitRegion.Tell(new UnitProtocol.EnqueueOrders(entityId, route.FirstQueue, route.DeliveryId, orders, route.StoredIn, table.Version), replyTo);
    }

    private sealed record AskTables
    {
        public static readonly AskTables Instance = new();
    }

    public static Props PropsFor(RoutingDirectory directory, IActorRef tables, IActorRef unitRegion) =>
        Props.Create(() => new RouterActor(directory, tables, unitRegion));
}
