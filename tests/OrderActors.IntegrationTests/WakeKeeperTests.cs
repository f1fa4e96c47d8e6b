using OrderActors.IntegrationTests.Support;
using Xunit.Abstractions;

namespace OrderActors.IntegrationTests;

/// <summary>
/// docs/how-it-works.md: every node wakes all queue entities every few seconds, so unfinished work resumes without
/// waiting for new traffic. Sharded entities start only when a message reaches them (entities are not remembered):
/// after a kill -9 and a restart with no traffic at all, every first queue and unit queue is started all the same,
/// and the orders that were waiting are processed.
/// </summary>
public class WakeKeeperTests(ITestOutputHelper output)
{
    [Fact]
    public async Task After_a_restart_every_queue_resumes_its_work_with_no_new_traffic()
    {
        await using var node = await NodeProcess.StartAsync();
        var outcomes = new OrderOutcomes();
        await outcomes.PostBatchAsync(node.Http, Enumerable.Range(0, 600).Select(i => ($"wake-{i:D3}", Expected.Codes[i % Expected.Codes.Length])).ToList());
        Assert.Equal(600, outcomes.Accepted);
        node.Kill();
        await node.StartAsync();

        // nothing but the admin view of the shards (which starts no entity): the queues start by themselves
        var entities = await Poll.ForAsync(async () => (await node.Http.GetJsonAsync("/api/admin/sharding")).Body!.AsArray()
                .ToDictionary(r => (string)r!["typeName"]!, r => r!["shards"]!.AsArray().Sum(s => (int)s!["entities"]!)),
            started => started.GetValueOrDefault("ingest") == Expected.FirstQueues && started.GetValueOrDefault("unit") == 2 * Expected.QueuesPerUnit,
            "every first queue and unit queue started with no traffic");
        output.WriteLine($"started with no traffic: {string.Join(", ", entities)}");
        await Feeds.AssertDeliveredExactlyOnceAsync(node.Http, outcomes.Sent, TimeSpan.FromSeconds(60));
    }
}
