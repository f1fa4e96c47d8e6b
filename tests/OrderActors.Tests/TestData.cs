using OrderActors.Actors.Hosting;
using OrderActors.Domain.Inventory;
using OrderActors.Domain.Orders;
using OrderActors.Domain.Routing;

namespace OrderActors.Tests;

internal static class TestData
{
    /// <summary>The default table of API.md, built by hand (not from hocon/), so tests check the HOCON too.</summary>
    public static RoutingTable DefaultRouting() => new(1,
    [
        new BusinessUnit("erp", ["B2C", "B2B", "PRESALE", "SERVICE", "RETURN"], 4),
        new BusinessUnit("wms", ["B2C", "B2B", "TRANSFER", "RETURN"], 4),
    ]);

    /// <summary>Pipeline settings for specs: the default routing, short timeouts, the given batching.</summary>
    public static OrderActorsSettings Settings(TimeSpan window, int batchMax = 500, int maxPending = 50_000) => new(
        IngestQueues: 4, BatchWindow: window, BatchMaxOrders: batchMax, DeliveryBatchMax: 1000,
        DeliveryTimeout: TimeSpan.FromMilliseconds(500), WakeInterval: TimeSpan.FromSeconds(10),
        AskTimeout: TimeSpan.FromSeconds(3), Routing: DefaultRouting(),
        StockEffects: new StockEffects(new Dictionary<string, StockEffect>()),
        StockUnit: "wms", CatalogSyncInterval: TimeSpan.FromSeconds(2), MaxPending: maxPending);

    public static Order Order(string id, string code = "B2C", int quantity = 1, string sku = "11") =>
        new(id, code, "VINET", new DateTimeOffset(1996, 7, 4, 0, 0, 0, TimeSpan.Zero), [new OrderLine(sku, quantity, 14.0m)]);

    public static AcceptedOrder Accepted(string id, string code = "B2C", int firstQueue = 0, long offset = 1)
    {
        var order = Order(id, code);
        return new AcceptedOrder(order, firstQueue, offset, DateTimeOffset.UnixEpoch.AddDays(offset), OrderFingerprint.Compute(order));
    }
}
