using OrderActors.Domain.Delivery;
using OrderActors.Node.Ingest;
using OrderActors.Node.Telemetry;

namespace OrderActors.Tests.Telemetry;

/// <summary>The operator page's plain parts: parked groups, the recent rejections, the latency window.</summary>
public class PagePartsTests
{
    private static readonly DateTimeOffset At = DateTimeOffset.Parse("2026-12-07T10:00:00Z");

    private static (string, string, ParkedOrder) Parked(string unit, int queue, long seq, int? status, string error, int minutes) =>
        (unit, $"{unit}:{queue}:{seq}", new ParkedOrder(seq, $"o-{seq}", status, error, 3, At, At.AddMinutes(minutes)));

    [Fact]
    public void Parked_orders_are_grouped_by_unit_and_reason_largest_first_each_group_oldest_first()
    {
        var groups = ParkedGroups.Of([
            Parked("wms", 1, 7, 500, "500 Internal Server Error", 5), Parked("wms", 0, 3, 500, "500 Internal Server Error", 1),
            Parked("wms", 2, 9, 500, "500 Internal Server Error", 3), Parked("erp", 0, 4, 400, "400 Bad Request", 2),
            Parked("erp", 1, 5, 500, "500 Internal Server Error", 4),
        ]);
        Assert.Equal([("wms", 3), ("erp", 1), ("erp", 1)], groups.Select(g => (g.Unit, g.Count)));
        Assert.Equal(["wms:0:3", "wms:2:9", "wms:1:7"], groups[0].DeliveryIds);
        Assert.Equal((At.AddMinutes(1), At.AddMinutes(5)), (groups[0].FirstParkedAt, groups[0].LastParkedAt));
        Assert.Equal(["400 Bad Request", "500 Internal Server Error"], groups.Skip(1).Select(g => g.Error));
    }

    [Fact]
    public void The_recent_rejections_keep_the_latest_newest_first_within_their_bound()
    {
        var recent = new RecentRejections(3);
        Assert.Empty(recent.Latest(10));
        for (var i = 0; i < 5; i++) recent.Add(new Rejection(At.AddSeconds(i), $"o-{i}", 400, "invalid", "bad"));
        Assert.Equal(["o-4", "o-3", "o-2"], recent.Latest(10).Select(r => r.OrderId));
        Assert.Equal(["o-4"], recent.Latest(1).Select(r => r.OrderId));
    }

    [Fact]
    public void The_latency_window_reads_its_quantiles_within_five_percent_and_forgets_what_left_the_window()
    {
        var window = new LatencyWindow(seconds: 10);
        for (var i = 1; i <= 100; i++) window.Record(i / 1000.0, second: 100); // 1..100 ms
        var q = window.Read(now: 105)!;
        Assert.Equal(100, q.Count);
        Assert.InRange(q.P50, 0.050, 0.050 * 1.05);
        Assert.InRange(q.P99, 0.099, 0.099 * 1.05);
        window.Record(2.0, second: 112);
        Assert.Equal((1L, 2.0), (window.Read(now: 112)!.Count, Math.Round(window.Read(now: 112)!.P50, 1))); // second 100 left the window
        Assert.Null(window.Read(now: 200));
    }
}

public class ActorFieldsTests
{
    [Theory]
    [InlineData("akka.tcp://orderactors@127.0.0.1:4053/system/sharding/delivery/erp-2/erp-2", "delivery", "erp-2", "erp", 2)]
    [InlineData("akka.tcp://orderactors@127.0.0.1:4053/system/sharding/unit/wms-0/wms-0", "unit", "wms-0", "wms", 0)]
    [InlineData("akka.tcp://orderactors@127.0.0.1:4053/system/sharding/ingest/ingest-3/ingest-3", "ingest", "ingest-3", null, 3)]
    [InlineData("akka.tcp://orderactors@127.0.0.1:4053/system/sharding/catalog/catalog/catalog", "catalog", "catalog", null, null)]
    public void A_sharded_entitys_path_gives_its_region_entity_unit_and_queue(string path, string region, string entity, string? unit, int? queue)
    {
        var fields = OrderActors.Node.Telemetry.ActorFields.Of(path).ToDictionary(f => f.Key, f => f.Value);
        Assert.Equal((path, region, entity), ((string)fields["ActorPath"], (string)fields["Region"], (string)fields["Entity"]));
        Assert.Equal(unit, fields.GetValueOrDefault("Unit") as string);
        Assert.Equal(queue, fields.GetValueOrDefault("Queue") as int?);
    }

    [Fact]
    public void An_actor_outside_sharding_has_its_path_only() =>
        Assert.Equal(["ActorPath"], OrderActors.Node.Telemetry.ActorFields.Of("akka://orderactors/user/journal-metrics").Select(f => f.Key));
}
