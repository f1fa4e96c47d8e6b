using Akka.Actor;
using OrderActors.Actors.Catalog;
using OrderActors.Actors.Inventory;
using OrderActors.Actors.Units;
using OrderActors.Domain.Catalog;
using OrderActors.Domain.Inventory;
using OrderActors.Domain.Orders;
using Xunit.Abstractions;
using static OrderActors.Actors.Inventory.InventoryProtocol;

namespace OrderActors.Tests.Actors;

public class InventoryActorSpecs(ITestOutputHelper output) : Akka.TestKit.Xunit2.TestKit(Serialization.ActorSpecConfig.Config, output: output)
{
    private static readonly Opening Opening = new(22, 30);

    [Fact]
    public void A_tally_applies_a_batch_once_across_redelivery_and_restart()
    {
        var tally = Sys.ActorOf(InventoryActor.PropsFor("sku-11"));
        tally.Tell(new ApplyStockMove("sku-11", "wms-2", 5, -12, Opening));
        ExpectMsg<StockMoveApplied>();
        tally.Tell(new ApplyStockMove("sku-11", "wms-2", 5, -12, Opening)); // redelivered
        Assert.Equal(new StockMoveApplied("sku-11", "wms-2", 5), ExpectMsg<StockMoveApplied>());

        Watch(tally);
        Sys.Stop(tally);
        ExpectTerminated(tally);
        var revived = Sys.ActorOf(InventoryActor.PropsFor("sku-11"));
        revived.Tell(new ApplyStockMove("sku-11", "wms-2", 5, -12, Opening)); // and again after a restart
        ExpectMsg<StockMoveApplied>();
        revived.Tell(new ApplyStockMove("sku-11", "wms-2", 9, 4, Opening));  // a new batch
        ExpectMsg<StockMoveApplied>();

        revived.Tell(new GetTally("sku-11", new Opening(0, 0)));
        Assert.Equal(new TallyState("sku-11", 22 - 12 + 4, 30), ExpectMsg<TallyState>());
    }

    [Fact]
    public void An_untouched_tally_reports_the_opening_figures_without_storing_them()
    {
        var tally = Sys.ActorOf(InventoryActor.PropsFor("sku-1"));
        tally.Tell(new GetTally("sku-1", new Opening(39, 0)));
        Assert.Equal(new TallyState("sku-1", 39, 0), ExpectMsg<TallyState>());
        tally.Tell(new RecordReceipt("sku-1", 5, new Opening(40, 2)));
        Assert.Equal(new TallyState("sku-1", 45, 0), ExpectMsg<TallyState>());
        tally.Tell(new RecordCount("sku-1", 3, new Opening(0, 0)));
        Assert.Equal(new TallyState("sku-1", 3, 0), ExpectMsg<TallyState>());
    }
}

public class StockUnitSpecs(ITestOutputHelper output) : Akka.TestKit.Xunit2.TestKit(Serialization.ActorSpecConfig.Config, output: output)
{
    private static readonly StockEffects Effects = new(new Dictionary<string, StockEffect>
    {
        ["B2C"] = StockEffect.Ship, ["RETURN"] = StockEffect.Restock, ["TRANSFER"] = StockEffect.None,
    });

    private static AcceptedOrder Order(string id, string code, params (string Sku, int Qty)[] lines)
    {
        var order = new Order(id, code, null, null, lines.Select(l => new OrderLine(l.Sku, l.Qty, null)).ToList());
        return new AcceptedOrder(order, 1, 1, DateTimeOffset.UnixEpoch, OrderFingerprint.Compute(order));
    }

    [Fact]
    public void The_stock_unit_processes_a_batch_only_after_every_tally_confirms_and_redoes_the_same_batch_after_a_restart()
    {
        var inventory = CreateTestProbe();
        var catalog = new CatalogStore();
        catalog.Apply(new CatalogProtocol.CatalogChanged(1, [new Manufacturer("5", "M")],
            [new Product("11", "Queso", "5", 21m, 22, 30, 30, null, false)]));
        // a long resend timeout: this spec is about the restart (resends have their own spec below)
        var stock = new StockProcessing(Effects, () => inventory.Ref, catalog, TimeSpan.FromSeconds(30));

        var unit = Sys.ActorOf(UnitQueueActor.PropsFor("wms-1", stock));
        unit.Tell(new UnitProtocol.EnqueueOrders("wms-1", 1, 1,
        [
            Order("a", "B2C", ("11", 12), ("42", 1)),
            Order("b", "RETURN", ("11", 2)),
            Order("c", "TRANSFER", ("11", 100)),
        ]));
        ExpectMsg<UnitProtocol.OrdersEnqueued>();

        var moves = inventory.ReceiveN(2).Cast<ApplyStockMove>().OrderBy(m => m.EntityId).ToList();
        Assert.Equal([("sku-11", -10L), ("sku-42", -1L)], moves.Select(m => (m.EntityId, m.Delta)));
        Assert.All(moves, m => Assert.Equal(("wms-1", 3L), (m.Source, m.UpToSeq)));
        Assert.Equal(new Opening(22, 30), moves[0].Opening);

        // one tally confirms, then the unit's node dies: nothing is processed yet
        unit.Tell(new StockMoveApplied("sku-11", "wms-1", 3));
        unit.Tell(new UnitProtocol.GetUnitStats("wms-1"));
        Assert.Equal(0, ExpectMsg<UnitProtocol.UnitQueueStats>().ProcessedSeq);
        Watch(unit);
        Sys.Stop(unit);
        ExpectTerminated(unit);

        // restarted, it sends the very same batch (same source and seq range) so the tallies recognise it
        var inventoryAfter = CreateTestProbe();
        var revived = Sys.ActorOf(UnitQueueActor.PropsFor("wms-1", stock with { InventoryRegion = () => inventoryAfter.Ref }));
        var again = inventoryAfter.ReceiveN(2, TimeSpan.FromSeconds(3)).Cast<ApplyStockMove>().OrderBy(m => m.EntityId).ToList();
        Assert.Equal(moves, again);

        revived.Tell(new StockMoveApplied("sku-11", "wms-1", 3));
        revived.Tell(new StockMoveApplied("sku-42", "wms-1", 3));
        AwaitAssert(() =>
        {
            revived.Tell(new UnitProtocol.GetUnitStats("wms-1"));
            Assert.Equal(3, ExpectMsg<UnitProtocol.UnitQueueStats>().ProcessedSeq);
        }, TimeSpan.FromSeconds(3));
    }

    [Fact]
    public void A_tally_that_does_not_confirm_is_sent_the_move_again()
    {
        var inventory = CreateTestProbe();
        var stock = new StockProcessing(Effects, () => inventory.Ref, new CatalogStore(), TimeSpan.FromMilliseconds(300));
        var unit = Sys.ActorOf(UnitQueueActor.PropsFor("wms-3", stock));
        unit.Tell(new UnitProtocol.EnqueueOrders("wms-3", 3, 1, [Order("a", "B2C", ("7", 1))]));
        ExpectMsg<UnitProtocol.OrdersEnqueued>();

        var first = inventory.ExpectMsg<ApplyStockMove>();
        Assert.Equal(new Opening(0, 0), first.Opening); // a SKU missing from this node's catalog opens at zero
        Assert.Equal(first, inventory.ExpectMsg<ApplyStockMove>(TimeSpan.FromSeconds(3)));
    }
}
