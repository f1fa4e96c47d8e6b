using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Sharding;
using Akka.Hosting;
using OrderActors.Actors.Catalog;
using OrderActors.Actors.Delivery;
using OrderActors.Actors.Ingest;
using OrderActors.Actors.Inventory;
using OrderActors.Actors.Units;
using OrderActors.Node.Hosting;
using OrderActors.Node.Http;
using OrderActors.Node.Units;
using OrderActors.Domain.Security;
using OrderActors.Node.Security;

namespace OrderActors.Node.Admin;

public sealed record MemberView(string Address, string Status, IReadOnlyList<string> Roles, bool Leader, bool Reachable);

public sealed record ShardView(string ShardId, string Node, int Entities);

public sealed record RegionView(string TypeName, IReadOnlyList<ShardView> Shards);

public sealed record AddressBody(string? Address);

/// <summary>
/// <c>/api/admin</c>: cluster operations for operators (docs/API.md, "Operations"). Answers only callers on loopback,
/// unless an admin token is configured (<c>--admin-token</c>), which is then required as a Bearer token.
/// </summary>
public static class AdminEndpoints
{
    public static IEndpointRouteBuilder MapAdmin(this IEndpointRouteBuilder app)
    {
        var admin = app.MapAdminGroup(Need.Administer);

        admin.MapGet("/cluster/members", (ActorSystem system) =>
        {
            var state = Cluster.Get(system).State;
            return TypedResults.Ok(state.Members.OrderBy(m => m.Address.ToString()).Select(m => new MemberView(
                m.Address.ToString(), m.Status.ToString(), m.Roles.Order().ToList(), state.Leader == m.Address,
                !state.Unreachable.Contains(m))).ToList());
        }).WithSummary("The cluster members as this node sees them");
        admin.MapPost("/cluster/leave", (AddressBody body, ActorSystem system) => ClusterCommand(body, system, (c, a) => c.Leave(a))).WithSummary("Make a member leave the cluster gracefully")
            .Produces(202).Answers(400, 404);
        admin.MapPost("/cluster/down", (AddressBody body, ActorSystem system) => ClusterCommand(body, system, (c, a) => c.Down(a))).WithSummary("Down a member (it is taken out of the cluster at once)")
            .Produces(202).Answers(400, 404);

        admin.MapGet("/sharding", async (ActorRegistry registry, AdminOptions options, ApiOptions api, CancellationToken ct) =>
        {
            var regions = new (string TypeName, Type Key)[]
            {
                (IngestHosting.TypeName, typeof(IngestRegion)), (UnitsHosting.TypeName, typeof(UnitRegion)),
                (InventoryHosting.TypeName, typeof(InventoryRegion)), (CatalogHosting.TypeName, typeof(CatalogRegion)),
                (DeliveryHosting.TypeName, typeof(DeliveryRegion)),
            };
            var views = new List<RegionView>();
            foreach (var (typeName, key) in regions)
            {
                var stats = await ShardingStatsAsync(registry, options, api, key, ct);
                views.Add(new RegionView(typeName, stats.Regions
                    .SelectMany(r => r.Value.Stats.Select(s => new ShardView(s.Key, r.Key.ToString(), s.Value)))
                    .OrderBy(s => s.ShardId, StringComparer.Ordinal).ToList()));
            }
            return TypedResults.Ok(views);
        }).WithSummary("Where every shard of each entity type lives, and its entities").UnavailableOnTimeout("The shard regions did not answer in time; try again.");
        admin.MapGet("/queues", async (ActorRegistry registry, UnitQueries queries, AdminOptions options, ApiOptions api, CancellationToken ct) =>
        {
            var members = await ShardMembersAsync(registry, options, api, QueueRegions, ct);
            var placement = members.Values.SelectMany(m => m).ToDictionary(StringComparer.Ordinal); // queue names differ between the two kinds
            var queues = await queries.GetQueuesAsync(ct);
            return TypedResults.Ok(queues.Select(q => q with { Node = placement.GetValueOrDefault(q.Name, "") }).ToList());
        }).WithSummary("Every first queue and unit queue: node, depth, last seq").UnavailableOnTimeout("The queues did not answer in time; try again.");
        return app;
    }

    /// <summary>The regions of the queues: a queue is its own shard, named as the queue (ingest-2, erp-2).</summary>
    public static readonly (string TypeName, Type Key)[] QueueRegions = [(IngestHosting.TypeName, typeof(IngestRegion)), (UnitsHosting.TypeName, typeof(UnitRegion))];

    /// <summary>Per region (by type name), the member that hosts each of its shards.</summary>
    public static async Task<Dictionary<string, Dictionary<string, string>>> ShardMembersAsync(ActorRegistry registry, AdminOptions admin, ApiOptions api,
        IEnumerable<(string TypeName, Type Key)> regions, CancellationToken ct)
    {
        var members = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        foreach (var (typeName, key) in regions)
        {
            var stats = await ShardingStatsAsync(registry, admin, api, key, ct);
            members[typeName] = stats.Regions.SelectMany(r => r.Value.Stats.Keys.Select(shard => (shard, member: r.Key.ToString())))
                .ToDictionary(p => p.shard, p => p.member, StringComparer.Ordinal);
        }
        return members;
    }

    /// <summary>Where every shard of a region lives and how many entities it has, across the cluster.</summary>
    /// <remarks>The region asks every other region within the stats timeout; our ask waits for it within the API's ask timeout.</remarks>
    private static async Task<ClusterShardingStats> ShardingStatsAsync(ActorRegistry registry, AdminOptions admin, ApiOptions api, Type region,
        CancellationToken ct)
    {
        var regionRef = await registry.GetAsync(region, ct);
        return await regionRef.Ask<ClusterShardingStats>(new GetClusterShardingStats(admin.ShardingStatsTimeout), api.AskTimeout, ct);
    }

    public static IServiceCollection AddAdmin(this IServiceCollection services, Akka.Configuration.Config hocon) =>
        services.AddSingleton(AdminOptions.From(hocon));

    private static IResult ClusterCommand(AddressBody body, ActorSystem system, Action<Cluster, Address> command)
    {
        if (string.IsNullOrWhiteSpace(body.Address))
            return Problems.Field(400, "address", "is required, e.g. akka.tcp://orderactors@127.0.0.1:4053");
        Address address;
        try
        {
            address = Address.Parse(body.Address);
        }
        catch (UriFormatException e)
        {
            return Problems.Field(400, "address", $"is not an actor system address: {e.Message}");
        }
        var cluster = Cluster.Get(system);
        if (cluster.State.Members.All(m => m.Address != address))
            return Problems.Field(404, "address", $"'{body.Address}' is not a member of the cluster");
        command(cluster, address);
        return Results.Accepted();
    }
}
