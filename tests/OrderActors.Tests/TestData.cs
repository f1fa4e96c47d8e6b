using Akka.Actor;
using Akka.Configuration;
using OrderActors.Actors.Catalog;
using OrderActors.Actors.Ingest;
using OrderActors.Actors.Inventory;
using OrderActors.Actors.Units;
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

    /// <summary>The defaults under hocon/ (copied beside the tests), as the node reads them.</summary>
    public static readonly Config Hocon = ConfigurationFactory.ParseString(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "hocon", "orderactors.hocon")))
        .WithFallback(ConfigurationFactory.ParseString(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "hocon", "routing.hocon"))));

    /// <summary>First-queue options for specs: the defaults, a short delivery timeout, the given batching.</summary>
    public static IngestOptions Settings(TimeSpan window, int batchMax = 500, int maxPending = 50_000) => IngestOptions.From(Hocon) with
    {
        BatchWindow = window,
        BatchMaxOrders = batchMax,
        MaxPending = maxPending,
        DeliveryTimeout = TimeSpan.FromMilliseconds(500),
    };

    public static readonly UnitsOptions Units = UnitsOptions.From(Hocon);

    /// <summary>How many delivered orders a first queue keeps in memory, as the defaults say.</summary>
    public static readonly int RetainDelivered = IngestOptions.From(Hocon).RetainDelivered;

    public static readonly InventoryOptions Inventory = InventoryOptions.From(Hocon);

    public static readonly CatalogOptions Catalog = CatalogOptions.From(Hocon);

    /// <summary>A unit queue entity for specs (the defaults, or the given limits).</summary>
    public static Props UnitQueue(string entityId, StockProcessing? stock = null, int? retainProcessed = null, int? snapshotEvery = null,
        int? maxBacklog = null) =>
        UnitQueueActor.PropsFor(UnitQueueAddress.Parse(entityId), Units with
        {
            RetainProcessed = retainProcessed ?? Units.RetainProcessed,
            SnapshotEvery = snapshotEvery ?? Units.SnapshotEvery,
            MaxBacklog = maxBacklog ?? Units.MaxBacklog,
        }, stock);

    public static Order Order(string id, string code = "B2C", int quantity = 1, string sku = "11") =>
        new(id, code, "VINET", new DateTimeOffset(1996, 7, 4, 0, 0, 0, TimeSpan.Zero), [new OrderLine(sku, quantity, 14.0m)]);

    public static AcceptedOrder Accepted(string id, string code = "B2C", int firstQueue = 0, long offset = 1)
    {
        var order = Order(id, code);
        return new AcceptedOrder(order, firstQueue, offset, DateTimeOffset.UnixEpoch.AddDays(offset), OrderFingerprint.Compute(order));
    }
}
