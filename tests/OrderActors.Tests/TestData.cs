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

    public static Order Order(string id, string code = "B2C", int quantity = 1, string sku = "11") =>
        new(id, code, "VINET", new DateTimeOffset(1996, 7, 4, 0, 0, 0, TimeSpan.Zero), [new OrderLine(sku, quantity, 14.0m)]);

    public static AcceptedOrder Accepted(string id, string code = "B2C", int firstQueue = 0, long offset = 1)
    {
        var order = Order(id, code);
        return new AcceptedOrder(order, firstQueue, offset, DateTimeOffset.UnixEpoch.AddDays(offset), OrderFingerprint.Compute(order));
    }
}
