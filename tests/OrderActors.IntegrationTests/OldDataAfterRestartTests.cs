using OrderActors.IntegrationTests.Support;
using Xunit.Abstractions;

namespace OrderActors.IntegrationTests;

/// <summary>
/// docs/how-it-works.md, "Memory stays bounded": a queue keeps only its latest 2,000 orders in memory and reads older feed pages and
/// order views back from the journal. After a kill -9 and a restart, those old pages and views are the same as before.
/// </summary>
public class OldDataAfterRestartTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Feed_pages_and_order_views_older_than_what_queues_keep_in_memory_are_served_the_same_after_a_restart()
    {
        await using var node = await NodeProcess.StartAsync();
        // 11,000 orders over 4 first queues and 4 queues per unit: some 2,750 in each, beyond the 2,000 kept in memory
        var outcomes = new OrderOutcomes();
        for (var batch = 0; batch < 11; batch++)
            await outcomes.PostBatchAsync(node.Http, Enumerable.Range(0, 1000).Select(i => ($"old-{batch:D2}-{i:D3}", "B2C")).ToList());
        await outcomes.ResolveAsync(node.Http, TimeSpan.FromSeconds(60));
        outcomes.AssertEveryAnswerKeptTheContract();
        await Feeds.AssertDeliveredExactlyOnceAsync(node.Http, outcomes.Sent, TimeSpan.FromSeconds(120));

        var feedsBefore = await Feeds.ReadAllAsync(node.Http);
        var oldest = outcomes.Sent.Keys.Order(StringComparer.Ordinal).Take(40).ToList();
        var viewsBefore = new Dictionary<string, string>();
        foreach (var id in oldest) viewsBefore[id] = (await node.Http.GetJsonAsync($"/api/orders/{id}")).Body!.ToJsonString();

        node.Kill();
        await node.StartAsync();

        var feedsAfter = await Feeds.ReadAllAsync(node.Http);
        Assert.Equal(22_000, feedsAfter.Count);
        Assert.Equal(feedsBefore, feedsAfter); // every page, from after=0, in order
        foreach (var id in oldest)
        {
            var view = await node.Http.GetJsonAsync($"/api/orders/{id}");
            Assert.Equal(200, view.Code);
            Assert.Equal(viewsBefore[id], view.Body!.ToJsonString());
        }
        var first = (await node.Http.GetJsonAsync("/api/units/erp/queues/0/orders?after=0&limit=1")).Body!["orders"]![0]!;
        Assert.Equal(1L, (long)first["seq"]!);
        Assert.NotNull(first["processedAt"]);
        output.WriteLine($"{feedsAfter.Count} feed entries and {oldest.Count} of the oldest order views the same after the restart");
    }
}
