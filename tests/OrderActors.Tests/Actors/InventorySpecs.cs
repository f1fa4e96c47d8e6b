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

public class StockPartitionSpecs(ITestOutputHelper output) : Akka.TestKit.Xunit2.TestKit(ActorSpecConfig.Config, output: output)
{
    private static readonly Opening Opening = new(22, 30);

    [Fact]
    public void A_partition_applies_a_batch_once_across_redelivery_and_restart()
    {
        var partition = Sys.ActorOf(StockPartitionActor.PropsFor(new StockPartitionId(1), TestData.Inventory));
        ApplyStockMoves Batch(long upTo, long delta) => new("stock-1", "wms-2", upTo, [new SkuMove("11", delta, Opening), new SkuMove("42", 1, new Opening(0, 0))]);
        partition.Tell(Batch(5, -12));
        ExpectMsg<StockMovesApplied>();
        partition.Tell(Batch(5, -12)); // redelivered
        Assert.Equal(new StockMovesApplied("stock-1", "wms-2", 5), ExpectMsg<StockMovesApplied>());

        Watch(partition);
        Sys.Stop(partition);
        ExpectTerminated(partition);
        var revived = Sys.ActorOf(StockPartitionActor.PropsFor(new StockPartitionId(1), TestData.Inventory));
        revived.Tell(Batch(5, -12)); // and again after a restart
        ExpectMsg<StockMovesApplied>();
        revived.Tell(Batch(9, 4));   // a new batch
        ExpectMsg<StockMovesApplied>();

        revived.Tell(new GetTally("stock-1", "11", new Opening(0, 0)));
        Assert.Equal(new TallyState("11", 22 - 12 + 4, 30), ExpectMsg<TallyState>());
        revived.Tell(new GetTallies("stock-1"));
        Assert.Equal([new TallyState("11", 14, 30), new TallyState("42", 2, 0)], ExpectMsg<Tallies>().States);
    }

    [Fact]
    public void An_untouched_tally_reports_the_opening_figures_without_storing_them()
    {
        var partition = Sys.ActorOf(StockPartitionActor.PropsFor(new StockPartitionId(0), TestData.Inventory));
        partition.Tell(new GetTally("stock-0", "1", new Opening(39, 0)));
        Assert.Equal(new TallyState("1", 39, 0), ExpectMsg<TallyState>());
        partition.Tell(new GetTallies("stock-0"));
        Assert.Empty(ExpectMsg<Tallies>().States);
        partition.Tell(new RecordReceipt("stock-0", "1", 5, new Opening(40, 2)));
        Assert.Equal(new TallyState("1", 45, 0), ExpectMsg<TallyState>());
        partition.Tell(new RecordCount("stock-0", "1", 3, new Opening(0, 0)));
        Assert.Equal(new TallyState("1", 3, 0), ExpectMsg<TallyState>());
    }
}

public class StockUnitSpecs(ITestOutputHelper output) : Akka.TestKit.Xunit2.TestKit(ActorSpecConfig.Config, output: output)
{
    private static readonly StockEffects Effects = new(new Dictionary<string, StockEffect>
    {
        ["B2C"] = StockEffect.Ship, ["RETURN"] = StockEffect.Restock, ["TRANSFER"] = StockEffect.None,
    });

    private static long _offset;

    private static AcceptedOrder Order(string id, string code, params (string Sku, int Qty)[] lines)
    {
        var order = new Order(id, code, null, null, lines.Select(l => new OrderLine(l.Sku, l.Qty, null)).ToList());
        return new AcceptedOrder(order, 1, Interlocked.Increment(ref _offset), DateTimeOffset.UnixEpoch, OrderFingerprint.Compute(order));
    }

    [Fact]
    public void The_stock_unit_processes_a_batch_only_after_every_tally_confirms_and_redoes_the_same_batch_after_a_restart()
    {
        var inventory = CreateTestProbe();
        var catalog = new CatalogStore();
        catalog.Apply(new CatalogProtocol.CatalogChanged(1, [new Manufacturer("5", "M")],
            [new Product("11", "Queso", "5", 21m, 22, 30, 30, null, false)]));
        // a long resend timeout: this spec is about the restart (resends have their own spec below)
        var stock = new StockProcessing(_ => Effects, () => inventory.Ref, catalog, TimeSpan.FromSeconds(30), 8);

        var unit = Sys.ActorOf(TestData.UnitQueue("wms-1", stock));
        unit.Tell(new UnitProtocol.EnqueueOrders("wms-1", 1, 1,
        [
            Order("a", "B2C", ("11", 12), ("42", 1)),
            Order("b", "RETURN", ("11", 2)),
            Order("c", "TRANSFER", ("11", 100)),
        ]));
        ExpectMsg<UnitProtocol.OrdersEnqueued>();

        // one message per partition touched (SKUs 11 and 42 are in different partitions of 8)
        var moves = inventory.ReceiveN(2).Cast<ApplyStockMoves>().OrderBy(m => m.EntityId).ToList();
        Assert.Equal(new[] { StockPartitionId.For("11", 8).EntityId, StockPartitionId.For("42", 8).EntityId }.Order(), moves.Select(m => m.EntityId));
        var all = moves.SelectMany(m => m.Moves).OrderBy(m => m.Sku).ToList();
        Assert.Equal([("11", -10L), ("42", -1L)], all.Select(m => (m.Sku, m.Delta)));
        Assert.All(moves, m => Assert.Equal(("wms-1", 3L), (m.Source, m.UpToSeq)));
        Assert.Equal(new Opening(22, 30), all[0].Opening);

        // one partition confirms, then the unit's node dies: nothing is processed yet
        unit.Tell(new StockMovesApplied(moves[0].EntityId, "wms-1", 3));
        unit.Tell(new UnitProtocol.GetUnitStats("wms-1"));
        Assert.Equal(0, ExpectMsg<UnitProtocol.UnitQueueStats>().ProcessedSeq);
        Watch(unit);
        Sys.Stop(unit);
        ExpectTerminated(unit);

        // restarted, it sends the very same batch (same source and seq range) so the tallies recognise it
        var inventoryAfter = CreateTestProbe();
        var revived = Sys.ActorOf(TestData.UnitQueue("wms-1", stock with { InventoryRegion = () => inventoryAfter.Ref }));
        var again = inventoryAfter.ReceiveN(2, TimeSpan.FromSeconds(3)).Cast<ApplyStockMoves>().OrderBy(m => m.EntityId).ToList();
        Assert.Equal(moves.Select(m => (m.EntityId, m.Source, m.UpToSeq)), again.Select(m => (m.EntityId, m.Source, m.UpToSeq)));
        Assert.Equal(moves.SelectMany(m => m.Moves), again.SelectMany(m => m.Moves));

        revived.Tell(new StockMovesApplied(moves[0].EntityId, "wms-1", 3));
        revived.Tell(new StockMovesApplied(moves[1].EntityId, "wms-1", 3));
        AwaitAssert(() =>
        {
            revived.Tell(new UnitProtocol.GetUnitStats("wms-1"));
            Assert.Equal(3, ExpectMsg<UnitProtocol.UnitQueueStats>().ProcessedSeq);
        }, TimeSpan.FromSeconds(3));
    }

    [Fact]
    public void At_its_backlog_bound_a_unit_queue_holds_a_new_delivery_and_records_it_once_processing_drains_the_backlog()
    {
        var inventory = CreateTestProbe();
        var stock = new StockProcessing(_ => Effects, () => inventory.Ref, new CatalogStore(), TimeSpan.FromSeconds(30), 8);
        var unit = Sys.ActorOf(TestData.UnitQueue("wms-2", stock, maxBacklog: 2));
        unit.Tell(new UnitProtocol.EnqueueOrders("wms-2", 1, 2, [Order("h1", "B2C", ("7", 1)), Order("h2", "B2C", ("7", 2))]));
        ExpectMsg<UnitProtocol.OrdersEnqueued>();
        var moves = inventory.ExpectMsg<ApplyStockMoves>(); // processing waits for this tally

        // two orders not processed: at the bound, a delivery from another first queue is held, not recorded
        var fromQueue2 = Order("h3", "B2C", ("7", 3)) with { FirstQueue = 2, Offset = 1 };
        unit.Tell(new UnitProtocol.EnqueueOrders("wms-2", 2, 1, [fromQueue2]));
        Assert.Equal(new UnitProtocol.OrdersHeld("wms-2", 1), ExpectMsg<UnitProtocol.OrdersHeld>());
        unit.Tell(new UnitProtocol.EnqueueOrders("wms-2", 2, 1, [fromQueue2])); // sent again: the copy held is replaced
        ExpectMsg<UnitProtocol.OrdersHeld>();
        unit.Tell(new UnitProtocol.GetUnitStats("wms-2"));
        Assert.Equal(2, ExpectMsg<UnitProtocol.UnitQueueStats>().LastSeq);

        // the tally confirms: the first batch is processed, and the held delivery is recorded and confirmed once
        unit.Tell(new StockMovesApplied(moves.EntityId, "wms-2", moves.UpToSeq));
        Assert.Equal(new UnitProtocol.OrdersEnqueued("wms-2", 1), ExpectMsg<UnitProtocol.OrdersEnqueued>());
        unit.Tell(new UnitProtocol.GetUnitStats("wms-2"));
        var stats = ExpectMsg<UnitProtocol.UnitQueueStats>();
        Assert.Equal((3L, 2L), (stats.LastSeq, stats.ProcessedSeq));
        Assert.Equal(3, inventory.ExpectMsg<ApplyStockMoves>().UpToSeq); // and it is processed in its turn
    }

    [Fact]
    public void A_tally_that_does_not_confirm_is_sent_the_move_again()
    {
        var inventory = CreateTestProbe();
        var stock = new StockProcessing(_ => Effects, () => inventory.Ref, new CatalogStore(), TimeSpan.FromMilliseconds(300), 8);
        var unit = Sys.ActorOf(TestData.UnitQueue("wms-3", stock));
        unit.Tell(new UnitProtocol.EnqueueOrders("wms-3", 3, 1, [Order("a", "B2C", ("7", 1))]));
        ExpectMsg<UnitProtocol.OrdersEnqueued>();

        var first = inventory.ExpectMsg<ApplyStockMoves>();
        Assert.Equal(new Opening(0, 0), first.Moves[0].Opening); // a SKU missing from this node's catalog opens at zero
        var again = inventory.ExpectMsg<ApplyStockMoves>(TimeSpan.FromSeconds(3));
        Assert.Equal((first.EntityId, first.Source, first.UpToSeq), (again.EntityId, again.Source, again.UpToSeq));
        Assert.Equal(first.Moves, again.Moves);
    }
}
