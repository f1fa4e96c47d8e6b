using OrderActors.IntegrationTests.Support;
using Xunit.Abstractions;

namespace OrderActors.IntegrationTests;

/// <summary>1,000 orders over all six codes reach processed in exactly the right units, each once, in gapless seq.</summary>
public class RoutingEndToEndTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_thousand_orders_over_all_codes_reach_exactly_the_units_they_route_to()
    {
        await using var node = await NodeProcess.StartAsync();
        var codeByOrder = Enumerable.Range(0, 1000).ToDictionary(i => $"e2e-{i:D4}", i => Expected.Codes[i % Expected.Codes.Length]);
        var ids = codeByOrder.Keys.ToList();

        // 800 in batches of 100, 200 one per request, 16 at a time.
        var batches = ids.Take(800).Chunk(100).Select(async chunk =>
        {
            var reply = await node.Http.PostJsonAsync("/api/orders/batch", chunk.Select(id => Expected.Order(id, codeByOrder[id])).ToArray());
            Assert.Equal(200, reply.Code);
            Assert.Equal(chunk.Length, (int)reply.Body!["accepted"]!);
        });
        using var gate = new SemaphoreSlim(16);
        var singles = ids.Skip(800).Select(async id =>
        {
            await gate.WaitAsync();
            try { Assert.Equal(202, (await node.Http.PostJsonAsync("/api/orders", Expected.Order(id, codeByOrder[id]))).Code); }
            finally { gate.Release(); }
        });
        await Task.WhenAll(batches.Concat(singles));

        var took = await Feeds.AssertDeliveredExactlyOnceAsync(node.Http, codeByOrder, TimeSpan.FromSeconds(60));
        output.WriteLine($"all 1,000 orders processed in every unit {took.TotalMilliseconds:N0} ms after the last 202");

        var sample = await node.Http.GetJsonAsync($"/api/orders/{ids[0]}");
        Assert.Equal("processed", (string)sample.Body!["status"]!);
        var units = await node.Http.GetJsonAsync("/api/units");
        Assert.Equal(Expected.Units, units.Body!.AsArray().Select(u => (string)u!["unit"]!).Order());
        Assert.All(units.Body!.AsArray(), u => Assert.Equal([0L, 0L, 0L, 0L], u!["depth"]!.AsArray().Select(d => (long)d!)));
    }
}
