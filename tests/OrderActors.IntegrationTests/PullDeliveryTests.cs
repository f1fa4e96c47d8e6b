using System.Diagnostics;
using OrderActors.IntegrationTests.Support;
using Xunit.Abstractions;

namespace OrderActors.IntegrationTests;

/// <summary>
/// Delivery in <c>pull</c> mode (docs/API.md "Delivery"): a consumer reads its queue's feed and acknowledges what it
/// has processed; the ack is the committed cursor, stored durably, and the orders up to it count as delivered.
/// </summary>
public class PullDeliveryTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_consumer_reads_and_acks_in_steps_and_delivered_follows_its_acks_monotone_and_durable()
    {
        await using var node = await NodeProcess.StartAsync();
        // orders for erp queue 2 only (first queue 2, PRESALE: erp alone), so that their seqs are 1..n there
        var ids = Enumerable.Range(0, 400).Select(i => $"pull-{i:D3}").Where(id => Expected.FirstQueue(id) == 2).Take(30).ToList();
        var outcomes = new OrderOutcomes();
        await outcomes.PostBatchAsync(node.Http, ids.Select(id => (id, "PRESALE")).ToList());
        await outcomes.ResolveAsync(node.Http, TimeSpan.FromSeconds(30));
        Assert.Equal(ids.Count, outcomes.Accepted);

        var feed = await Poll.ForAsync(() => node.Http.GetJsonAsync("/api/units/erp/queues/2/orders?after=0&limit=1000"),
            r => r.Body!["orders"]!.AsArray().Count == ids.Count, "every order processed in erp-2");
        var bySeq = feed.Body!["orders"]!.AsArray().ToDictionary(o => (long)o!["seq"]!, o => (string)o!["orderId"]!);

        // nothing acked yet: every order stays processed
        Assert.All(ids, id => Assert.Equal("processed", ViewOf(node, id).Result.Units["erp"]));

        // ack in two steps: what the cursor covers is delivered, the rest is not
        Assert.Equal(10L, (long)(await Ack(node, 10)).Body!["deliveredUpTo"]!);
        Assert.Equal(200, (await Ack(node, 10)).Code); // the same ack again: idempotent
        Assert.Equal(10L, (long)(await Ack(node, 4)).Body!["deliveredUpTo"]!); // an older ack changes nothing
        var beyond = await Ack(node, ids.Count + 1);
        Assert.Equal(409, beyond.Code);
        Assert.NotNull(beyond.Body!["errors"]!["upTo"]);
        Assert.Equal(400, (await node.Http.PostAsync("/api/units/erp/queues/2/ack", "{}")).Code);
        Assert.Equal(404, (await node.Http.PostAsync("/api/units/erp/queues/9/ack", "{\"upTo\":1}")).Code);
        Assert.Equal(404, (await node.Http.PostAsync("/api/units/crm/queues/0/ack", "{\"upTo\":1}")).Code);

        foreach (var (seq, id) in bySeq)
        {
            var view = await ViewOf(node, id);
            Assert.Equal(seq <= 10 ? "delivered" : "processed", view.Units["erp"]);
            Assert.Equal(seq <= 10 ? "delivered" : "processed", view.Status); // erp is its only unit
            Assert.Equal(seq <= 10, view.DeliveredAt is not null);
        }

        // the ack survives a kill -9
        node.Kill();
        await node.StartAsync();
        Assert.Equal(10L, (long)(await Ack(node, 0)).Body!["deliveredUpTo"]!);
        Assert.Equal(ids.Count, (long)(await Ack(node, ids.Count)).Body!["deliveredUpTo"]!);
        foreach (var id in ids) Assert.Equal("delivered", (await ViewOf(node, id)).Status);
        output.WriteLine($"{ids.Count} orders in erp-2 acked in two steps, the cursor kept across a kill -9");
    }

    [Fact]
    public async Task A_long_poll_waits_for_the_next_order_and_answers_as_soon_as_it_is_processed()
    {
        await using var node = await NodeProcess.StartAsync();
        var id = Enumerable.Range(0, 100).Select(i => $"poll-{i:D2}").First(x => Expected.FirstQueue(x) == 2);

        // an empty queue with wait=1: the answer is empty, after about a second
        var clock = Stopwatch.StartNew();
        var empty = await node.Http.GetJsonAsync("/api/units/erp/queues/2/orders?after=0&wait=1");
        Assert.Equal(200, empty.Code);
        Assert.Empty(empty.Body!["orders"]!.AsArray());
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(5));

        var answeredAt = DateTimeOffset.MaxValue;
        var poll = node.Http.GetJsonAsync("/api/units/erp/queues/2/orders?after=0&wait=20")
            .ContinueWith(t => { answeredAt = DateTimeOffset.UtcNow; return t.Result; });
        await Task.Delay(300); // the poll is waiting in the queue
        Assert.False(poll.IsCompleted);
        Assert.Equal(202, (await node.Http.PostJsonAsync("/api/orders", Expected.Order(id, "PRESALE"))).Code);
        // when does the order show in the feed to a plain (not waiting) read, asked every 10 ms?
        DateTimeOffset seenAt;
        while (true)
        {
            var plain = await node.Http.GetJsonAsync("/api/units/erp/queues/2/orders?after=0");
            if (plain.Body!["orders"]!.AsArray().Count > 0)
            {
                seenAt = DateTimeOffset.UtcNow;
                break;
            }
            Assert.False(clock.Elapsed > TimeSpan.FromSeconds(30), "the order never showed in the feed");
            await Task.Delay(10);
        }
        var page = await poll;
        var entry = page.Body!["orders"]!.AsArray().Single()!;
        Assert.Equal(id, (string)entry["orderId"]!);
        var late = answeredAt - seenAt;
        output.WriteLine($"the long-poll answered {late.TotalMilliseconds:N0} ms after a plain read first saw the order (negative: before)");
        Assert.True(late < TimeSpan.FromMilliseconds(250), $"the long-poll answered {late.TotalMilliseconds:N0} ms after the order could be read");

        Assert.Equal(400, (await node.Http.GetJsonAsync("/api/units/erp/queues/2/orders?wait=31")).Code);
        Assert.Equal(400, (await node.Http.GetJsonAsync("/api/units/erp/queues/2/orders?wait=-1")).Code);
    }

    private static Task<Reply> Ack(NodeProcess node, long upTo) =>
        node.Http.PostAsync("/api/units/erp/queues/2/ack", $"{{\"upTo\":{upTo}}}");

    private sealed record View(string Status, Dictionary<string, string> Units, string? DeliveredAt);

    private static async Task<View> ViewOf(NodeProcess node, string id)
    {
        var body = (await node.Http.GetJsonAsync($"/api/orders/{id}")).Body!;
        var units = body["units"]!.AsArray();
        return new View((string)body["status"]!, units.ToDictionary(u => (string)u!["unit"]!, u => (string)u!["status"]!),
            (string?)units.First(u => (string)u!["unit"]! == "erp")!["deliveredAt"]);
    }
}
