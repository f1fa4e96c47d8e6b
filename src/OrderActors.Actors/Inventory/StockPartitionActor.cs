using Akka.Actor;
using Akka.Persistence;
using OrderActors.Actors.Persistence;
using OrderActors.Actors.Sharding;
using OrderActors.Domain.Inventory;
using static OrderActors.Actors.Inventory.InventoryProtocol;

namespace OrderActors.Actors.Inventory;

/// <summary>
/// One partition of the inventory tallies (patent claim 6): stock moves, receipts and counts of its products,
/// each stored as an event, with a snapshot every <see cref="InventoryOptions.SnapshotEvery"/> events so that recovery stays short.
/// </summary>
public sealed class StockPartitionActor : SnapshottingActor
{
    private readonly string _entityId;
    private readonly StockPartition _partition = new();

    public StockPartitionActor(StockPartitionId id, InventoryOptions options)
    {
        _entityId = id.EntityId;
        PersistenceId = id.PersistenceId;
        // a partition stores an event only for the batches that move its SKUs: the partitions' snapshots spread apart by themselves
        SnapshotEvery(options.SnapshotEvery, stagger: false);

        Recover<SnapshotOffer>(offer =>
        {
            var snapshot = (InventorySnapshot)offer.Snapshot;
            foreach (var t in snapshot.Tallies) _partition.Open(t.Sku, t.OnHand, t.OnOrder);
            _partition.RestoreAppliedUpTo(snapshot.AppliedUpTo);
        });
        Recover<StockMoved>(Apply);
        Recover<ReceiptRecorded>(Apply);
        Recover<StockCounted>(Apply);

        Command<ApplyStockMoves>(command =>
        {
            var ack = new StockMovesApplied(_entityId, command.Source, command.UpToSeq);
            if (!_partition.IsNew(command.Source, command.UpToSeq))
            {
                Sender.Tell(ack);
                return;
            }
            var replyTo = Sender;
            var deltas = command.Moves.Select(m => new SkuDelta(m.Sku, m.Delta)).ToList();
            Store(new StockMoved(command.Source, command.UpToSeq, deltas, Unopened(command.Moves.Select(m => (m.Sku, m.Opening)))),
                () => replyTo.Tell(ack));
        });
        Command<GetTally>(query => Sender.Tell(_partition.Find(query.Sku) is { } tally
            ? new TallyState(query.Sku, tally.OnHand, tally.OnOrder)
            : new TallyState(query.Sku, query.Opening.OnHand, query.Opening.OnOrder)));
        Command<GetTallies>(_ => Sender.Tell(new Tallies(_entityId, States())));
        Command<RecordReceipt>(receipt =>
        {
            var replyTo = Sender;
            Store(new ReceiptRecorded(receipt.Sku, receipt.Quantity, Unopened([(receipt.Sku, receipt.Opening)])),
                () => replyTo.Tell(StateOf(receipt.Sku)));
        });
        Command<RecordCount>(count =>
        {
            var replyTo = Sender;
            Store(new StockCounted(count.Sku, count.OnHand, Unopened([(count.Sku, count.Opening)])),
                () => replyTo.Tell(StateOf(count.Sku)));
        });
        KeepOnlyLatestSnapshot();
        Command<Wake>(_ => { });
        Command<StopEntity>(_ => Context.Stop(Self));
    }

    public override string PersistenceId { get; }

    public static Props PropsFor(StockPartitionId id, InventoryOptions options) => Props.Create(() => new StockPartitionActor(id, options));

    private IReadOnlyList<TallyOpening> Unopened(IEnumerable<(string Sku, Opening Opening)> products) =>
        products.Where(p => !_partition.IsOpen(p.Sku))
            .Select(p => new TallyOpening(p.Sku, p.Opening.OnHand, p.Opening.OnOrder))
            .DistinctBy(o => o.Sku)
            .ToList();

    private void Store<TEvent>(TEvent evt, Action then) where TEvent : class
    {
        Persist(evt, stored =>
        {
            Apply(stored);
            then();
            SnapshotIfDue(() => new InventorySnapshot(States(), _partition.AppliedUpTo.ToDictionary()));
        });
    }

    private void Apply(object evt)
    {
        switch (evt)
        {
            case StockMoved m:
                Open(m.Opened);
                _partition.ApplyMoves(m.Source, m.UpToSeq, m.Deltas.Select(d => (d.Sku, d.Delta)));
                break;
            case ReceiptRecorded r:
                Open(r.Opened);
                _partition.Receive(r.Sku, r.Quantity);
                break;
            case StockCounted c:
                Open(c.Opened);
                _partition.Count(c.Sku, c.OnHand);
                break;
        }
    }

    private void Open(IEnumerable<TallyOpening> opened)
    {
        foreach (var o in opened) _partition.Open(o.Sku, o.OnHand, o.OnOrder);
    }

    private TallyState StateOf(string sku)
    {
        var tally = _partition.Find(sku)!;
        return new TallyState(sku, tally.OnHand, tally.OnOrder);
    }

    private List<TallyState> States() =>
        _partition.Tallies.Select(kv => new TallyState(kv.Key, kv.Value.OnHand, kv.Value.OnOrder)).OrderBy(t => t.Sku, StringComparer.Ordinal).ToList();
}
