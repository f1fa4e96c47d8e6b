using Akka.Actor;
using Akka.Persistence;
using OrderActors.Actors.Sharding;
using OrderActors.Domain.Inventory;
using static OrderActors.Actors.Inventory.InventoryProtocol;

namespace OrderActors.Actors.Inventory;

/// <summary>A product's inventory tally (patent claim 6): stock moves, receipts and counts, each stored as an event.</summary>
public sealed class InventoryActor : ReceivePersistentActor
{
    private readonly string _entityId;
    private readonly InventoryTally _tally = new();

    public InventoryActor(string entityId)
    {
        _entityId = entityId;
        PersistenceId = "inventory-" + entityId;

        Recover<TallyOpened>(e => _tally.Initialize(e.OnHand, e.OnOrder));
        Recover<StockMoved>(e => _tally.ApplyMove(e.Source, e.UpToSeq, e.Delta));
        Recover<ReceiptRecorded>(e => _tally.Receive(e.Quantity));
        Recover<StockCounted>(e => _tally.Count(e.OnHand));

        Command<ApplyStockMove>(move =>
        {
            var ack = new StockMoveApplied(_entityId, move.Source, move.UpToSeq);
            if (!_tally.IsNew(move.Source, move.UpToSeq))
            {
                Sender.Tell(ack);
                return;
            }
            var replyTo = Sender;
            PersistWithOpening(move.Opening, new StockMoved(move.Source, move.UpToSeq, move.Delta), () => replyTo.Tell(ack));
        });
        Command<GetTally>(query => Sender.Tell(_tally.Initialized
            ? State()
            : new TallyState(_entityId, query.Opening.OnHand, query.Opening.OnOrder)));
        Command<RecordReceipt>(receipt =>
        {
            var replyTo = Sender;
            PersistWithOpening(receipt.Opening, new ReceiptRecorded(receipt.Quantity), () => replyTo.Tell(State()));
        });
        Command<RecordCount>(count =>
        {
            var replyTo = Sender;
            PersistWithOpening(count.Opening, new StockCounted(count.OnHand), () => replyTo.Tell(State()));
        });
        Command<Wake>(_ => { });
        Command<StopEntity>(_ => Context.Stop(Self));
    }

    public override string PersistenceId { get; }

    public static Props PropsFor(string entityId) => Props.Create(() => new InventoryActor(entityId));

    private TallyState State() => new(_entityId, _tally.OnHand, _tally.OnOrder);

    /// <summary>Persists <paramref name="evt"/> (after the opening balance, the first time) and applies it.</summary>
    private void PersistWithOpening(Opening opening, object evt, Action then)
    {
        var events = _tally.Initialized ? new[] { evt } : [new TallyOpened(opening.OnHand, opening.OnOrder), evt];
        var remaining = events.Length;
        PersistAll(events, stored =>
        {
            switch (stored)
            {
                case TallyOpened o: _tally.Initialize(o.OnHand, o.OnOrder); break;
                case StockMoved m: _tally.ApplyMove(m.Source, m.UpToSeq, m.Delta); break;
                case ReceiptRecorded r: _tally.Receive(r.Quantity); break;
                case StockCounted c: _tally.Count(c.OnHand); break;
            }
            if (--remaining == 0) then();
        });
    }
}
