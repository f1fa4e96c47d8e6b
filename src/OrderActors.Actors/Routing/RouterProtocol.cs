using System.Text.Json.Serialization;
using OrderActors.Actors.Serialization;
using OrderActors.Actors.Sharding;
using OrderActors.Domain.Ingest;
using OrderActors.Domain.Orders;
using OrderActors.Domain.Routing;

namespace OrderActors.Actors.Routing;

/// <summary>Messages of the router actor.</summary>
public static class RouterProtocol
{
    /// <summary>
    /// Route a delivery of orders taken, in sequence, from first queue <see cref="FirstQueue"/>. The router answers the
    /// sender with a <see cref="RoutePlan"/> and sends each target unit queue its part, with the sender as reply-to.
    /// <see cref="StoredIn"/> names the first queue's events that hold the orders (null from an older node), so
    /// that the unit queues can record references to them rather than the bodies. Every order of a delivery is routed
    /// by one version, <see cref="RoutingVersion"/> (a delivery never crosses a first queue's cut).
    /// </summary>
    public sealed record RouteOrders(int FirstQueue, long DeliveryId, IReadOnlyList<AcceptedOrder> Orders, IReadOnlyList<StoredBatch>? StoredIn = null,
        int RoutingVersion = 1) : IOrderActorsMessage;

    /// <summary>The unit queues (entity ids) a delivery went to; each will confirm with <c>OrdersEnqueued</c>.</summary>
    public sealed record RoutePlan(long DeliveryId, IReadOnlyList<string> Targets) : IOrderActorsMessage;

    // --- the routing tables of the cluster: one sharded entity (RoutingTablesActor) ---------------

    public const string TablesEntityId = "tables";

    /// <summary>Where the routing tables entity publishes its state after each publish (every node's <see cref="RoutingReplica"/> listens).</summary>
    public const string Topic = "orderactors-routing";

    /// <summary>The draft and every version; answered with <see cref="RoutingTablesState"/> (also published on <see cref="Topic"/> after each publish).</summary>
    public sealed record GetRoutingTables : IEntityMessage
    {
        string IEntityMessage.EntityId => TablesEntityId;
    }

    /// <summary>Replaces the draft; answered with <see cref="RoutingTablesState"/>, or <see cref="RoutingDraftRefused"/> naming each field that cannot be taken.</summary>
    public sealed record SetRoutingDraft(RoutingDefinition Draft, string By) : IEntityMessage
    {
        string IEntityMessage.EntityId => TablesEntityId;
    }

    public sealed record RoutingDraftRefused(IReadOnlyList<RoutingFieldError> Errors) : IOrderActorsMessage;

    /// <summary>Publishes the draft over <see cref="ExpectedVersion"/>; answered with <see cref="RoutingPublishOutcome"/>.</summary>
    public sealed record PublishRouting(int ExpectedVersion, string By, string? Note) : IEntityMessage
    {
        string IEntityMessage.EntityId => TablesEntityId;
    }

    /// <summary>What a publish did: <see cref="PublishVerdict.Published"/> with the new live version in <see cref="State"/>, or why not.</summary>
    public sealed record RoutingPublishOutcome(PublishVerdict Verdict, IReadOnlyList<RoutingFieldError> Errors, RoutingTablesState State) : IOrderActorsMessage;

    public sealed record RoutingTablesState(RoutingDefinition? Draft, IReadOnlyList<PublishedVersion> Versions) : IOrderActorsMessage
    {
        [JsonIgnore] public PublishedVersion Live => Versions[^1];
    }

    // persisted

    public sealed record RoutingDraftSet(RoutingDefinition Draft, string By, DateTimeOffset At) : IOrderActorsMessage;

    public sealed record RoutingVersionPublished(PublishedVersion Version) : IOrderActorsMessage;

    public sealed record RoutingTablesSnapshot(RoutingDefinition? Draft, IReadOnlyList<PublishedVersion> Published) : IOrderActorsMessage;
}
