using Akka.Actor;
using Akka.Event;
using Akka.Persistence;
using OrderActors.Actors.Catalog;
using OrderActors.Actors.Inventory;
using OrderActors.Actors.Persistence;
using OrderActors.Actors.Sharding;
using OrderActors.Domain.Inventory;
using OrderActors.Domain.Orders;
using OrderActors.Domain.Units;
using static OrderActors.Actors.Units.UnitProtocol;

namespace OrderActors.Actors.Units;

/// <summary>What processing does to stock in the unit that keeps inventory (the WMS by default).</summary>
public sealed record StockProcessing(StockEffects Effects, Func<IActorRef> InventoryRegion, CatalogStore Catalog, TimeSpan Timeout, int Partitions = 8);

/// <summary>
/// A business unit's second queue, e.g. <c>erp-2</c> (patent claim 3): a sharded persistent entity that records
/// each order once (deduping redeliveries by order id) with a gapless seq, processes its orders in seq order,
/// and serves the processed ones as a feed that the downstream system reads by cursor. In the stock unit,
/// processing applies each recorded batch's net stock moves to the inventory partitions, exactly once, before the
/// batch counts as processed.
/// The backlog (orders recorded and not processed yet) is bounded: at <c>maxBacklog</c> a new delivery is held,
/// answered <see cref="OrdersHeld"/> and recorded once the backlog drains. The first queues, whose deliveries are
/// then not confirmed, fill up and intake answers 429, so overload stops at the door instead of in memory.
/// </summary>
public sealed class UnitQueueActor : SnapshottingActor, IWithTimers
{
    private const int ProcessBatchMax = 1000;
    private const string MovesTimer = "moves";

    private readonly string _entityId;
    private readonly StockProcessing? _stock;
    private UnitQueueLedger _ledger;
    private readonly int _retainProcessed;
    private readonly int _maxBacklog;
    private long _snapshotAtSeq;
    private readonly long _snapshotInterval;
    // Deliveries held while the backlog is at its bound: the latest copy from each first queue, and whom to confirm to.
    private readonly Dictionary<int, (EnqueueOrders Command, IActorRef ReplyTo)> _held = new();
    private bool _overloaded; // for the log: set when holding starts, cleared once the backlog is down to half the bound
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private bool _processingScheduled;
    // The batch whose stock moves are out, and the moves no inventory partition has confirmed yet, by partition entity id.
    private long _movesUpTo;
    private Dictionary<string, InventoryProtocol.ApplyStockMoves>? _awaitingMoves;

    public UnitQueueActor(string entityId, StockProcessing? stock, int retainProcessed = 2_000, int snapshotEvery = 10_000,
        int maxBacklog = DefaultMaxBacklog)
    {
        _maxBacklog = maxBacklog;
        _ledger = new UnitQueueLedger(retainProcessed);
        _retainProcessed = retainProcessed;
        _snapshotInterval = snapshotEvery + snapshotEvery * (QueueAssignment.Fnv1a(entityId) % 8) / 8;
        _entityId = entityId;
        _stock = stock;
        PersistenceId = PersistenceIdFor(entityId);

        Recover<SnapshotOffer>(offer =>
        {
            _ledger = UnitQueueLedger.FromState(((UnitQueueSnapshot)offer.Snapshot).State, _retainProcessed);
            _snapshotAtSeq = _ledger.LastSeq;
        });
        Recover<OrdersQueued>(e => _ledger.Record(e.Entries, LastSequenceNr));
        Recover<OrdersProcessed>(e => _ledger.MarkProcessed(e.UpToSeq, e.At, e.NextBatchEnd));
        Recover<RecoveryCompleted>(_ => ScheduleProcessing());

        Command<EnqueueOrders>(command => Enqueue(command, Sender));
        Command<ReleaseHeld>(_ => ReleaseNextHeld());
        Command<ProcessPending>(_ => Process());
        Command<InventoryProtocol.StockMovesApplied>(OnMovesApplied);
        Command<StockMovesTimeout>(t =>
        {
            if (_awaitingMoves is null || _movesUpTo != t.To) return;
            _log.Warning("{0}: inventory partitions {1} did not confirm batch ..{2}; sending again",
                _entityId, string.Join(",", _awaitingMoves.Keys), t.To);
            SendMoves();
        });
        Command<GetUnitOrderStatus>(OnGetStatus);
        Command<GetFeed>(OnGetFeed);
        Command<GetUnitStats>(_ => Sender.Tell(new UnitQueueStats(_entityId, _ledger.LastSeq, _ledger.ProcessedSeq, _ledger.Depth)));
        Command<Wake>(_ => ScheduleProcessing());
        Command<StopEntity>(_ => DeferAsync(StopEntity.Instance, _ => Context.Stop(Self)));
        KeepOnlyLatestSnapshot();
    }

    public override string PersistenceId { get; }

    public ITimerScheduler Timers { get; set; } = null!;

    /// <param name="retainProcessed">How many processed orders stay in memory (older ones are read back from the journal).</param>
    /// <param name="snapshotEvery">A snapshot is stored every this many recorded orders, or up to twice as many (see <see cref="SnapshotIfDue"/>).</param>
    /// <param name="maxBacklog">At this many unprocessed orders, new deliveries are held until the backlog drains.</param>
    public static Props PropsFor(string entityId, StockProcessing? stock = null, int retainProcessed = 2_000, int snapshotEvery = 10_000,
        int maxBacklog = DefaultMaxBacklog) =>
        Props.Create(() => new UnitQueueActor(entityId, stock, retainProcessed, snapshotEvery, maxBacklog));

    public const int DefaultMaxBacklog = 5_000;

    private void Enqueue(EnqueueOrders command, IActorRef replyTo)
    {
        var ack = new OrdersEnqueued(_entityId, command.DeliveryId);
        var now = DateTimeOffset.UtcNow;
        var fresh = _ledger.Admit(command.Orders, now);
        if (fresh.Count == 0)
        {
            replyTo.Tell(ack);
            ReleaseHeldIfRoom();
            return;
        }
        if (_ledger.Depth >= _maxBacklog)
        {
            Hold(command, replyTo);
            return;
        }
        if (_stock is null && _ledger.Depth == 0)
        {
            // Processing has no side effect in this unit: record the orders as processed in the same write.
            fresh = fresh.Select(e => e with { ProcessedAt = now }).ToList();
        }

        _held.Remove(command.SourceQueue); // a copy held earlier is answered by this write
        Persist(new OrdersQueued(fresh), stored =>
        {
            _ledger.Record(stored.Entries, LastSequenceNr);
            SnapshotIfDue();
            replyTo.Tell(ack);
            ScheduleProcessing();
            ReleaseHeldIfRoom();
        });
    }

    private void Hold(EnqueueOrders command, IActorRef replyTo)
    {
        if (!_overloaded)
        {
            _overloaded = true;
            _log.Info("{0}: {1} orders not processed yet (bound {2}); new deliveries wait until the backlog drains",
                _entityId, _ledger.Depth, _maxBacklog);
        }
        _held[command.SourceQueue] = (command, replyTo);
        replyTo.Tell(new OrdersHeld(_entityId, command.DeliveryId, _ledger.Depth));
    }

    /// <summary>Records held deliveries one at a time (each write assigns seqs from the last recorded one) while there is room.</summary>
    private void ReleaseHeldIfRoom()
    {
        if (_overloaded && _held.Count == 0 && _ledger.Depth < _maxBacklog / 2)
        {
            _overloaded = false;
            _log.Info("{0}: backlog down to {1}; deliveries flow again", _entityId, _ledger.Depth);
        }
        if (_held.Count > 0 && _ledger.Depth < _maxBacklog) Self.Tell(ReleaseHeld.Instance);
    }

    private void ReleaseNextHeld()
    {
        if (_held.Count == 0 || _ledger.Depth >= _maxBacklog) return;
        var (source, (command, replyTo)) = _held.First();
        _held.Remove(source);
        Enqueue(command, replyTo);
    }

    /// <summary>
    /// Snapshots the queue every <c>snapshotEvery</c> recorded orders or a little more, so that recovery replays at
    /// most that many orders' events (the events themselves stay: older feed pages are read from them). The unit
    /// queues fill at about the same pace, and their snapshots, taken together, stalled every write of the journal
    /// they share (e2e p99 at 5,000 orders/s: 221 ms with them, 81 ms without): each queue stretches its interval by
    /// its own share, one to two times <c>snapshotEvery</c>, so that they spread apart.
    /// </summary>
    private void SnapshotIfDue()
    {
        if (_ledger.LastSeq - _snapshotAtSeq < _snapshotInterval) return;
        _snapshotAtSeq = _ledger.LastSeq;
        SaveSnapshot(new UnitQueueSnapshot(_ledger.ToState()));
    }

    private void OnGetStatus(GetUnitOrderStatus query)
    {
        var (entry, inJournal) = _ledger.Find(query.FirstQueue, query.Offset);
        if (inJournal is null)
        {
            Sender.Tell(new UnitOrderStatus(_entityId, entry));
            return;
        }
        var entityId = _entityId;
        ReadJournal(inJournal, events => new UnitOrderStatus(entityId, StoredEntries(events)
            .Where(e => e.Order.FirstQueue == query.FirstQueue && e.Order.Offset == query.Offset)
            .Select(e => e with { ProcessedAt = inJournal.ProcessedAt(e) })
            .FirstOrDefault()));
    }

    private void OnGetFeed(GetFeed query)
    {
        var (entries, inJournal) = _ledger.Feed(query.After, query.Limit, MessageLimits.MaxLinesPerMessage);
        var (entityId, lastSeq, processedSeq) = (_entityId, _ledger.LastSeq, _ledger.ProcessedSeq);
        if (inJournal is null)
        {
            Sender.Tell(new FeedPage(entityId, entries, lastSeq, processedSeq));
            return;
        }
        ReadJournal(inJournal, events => new FeedPage(entityId,
            UnitQueueLedger.PageFromJournal(StoredEntries(events), inJournal, query.After, query.Limit, processedSeq, MessageLimits.MaxLinesPerMessage, entries),
            lastSeq, processedSeq));
    }

    /// <summary>Answers the sender from events read back from the journal (entries no longer kept in memory).</summary>
    private void ReadJournal(JournalSpan span, Func<IReadOnlyList<object>, object> answer) =>
        Context.ActorOf(JournalReader.PropsFor(PersistenceId, span.FromSequenceNr, span.ToSequenceNr, answer, Sender, TimeSpan.FromSeconds(30)));

    private static IEnumerable<FeedEntry> StoredEntries(IReadOnlyList<object> events) =>
        events.OfType<OrdersQueued>().SelectMany(e => e.Entries);

    private void ScheduleProcessing()
    {
        if (_processingScheduled || _awaitingMoves is not null || _ledger.Depth == 0) return;
        _processingScheduled = true;
        Self.Tell(ProcessPending.Instance);
    }

    /// <summary>Processes queued orders in seq order, a batch at a time, and records that they are processed.</summary>
    private void Process()
    {
        _processingScheduled = false;
        if (_awaitingMoves is not null) return;

        if (_ledger.InProgress is not { } next) return;
        if (_stock is null)
        {
            RecordProcessed(next.To);
            return;
        }
        // The stock unit sends the batch's net moves and counts it processed once every partition confirms them.
        // The batch's boundaries are stored, so after a restart the very same batch goes out and the partitions
        // recognise it.
        var moves = _stock.Effects.NetMoves(_ledger.Range(next.From, next.To));
        if (moves.Count == 0)
        {
            RecordProcessed(next.To);
            return;
        }
        var catalog = _stock.Catalog.Current;
        _movesUpTo = next.To;
        _awaitingMoves = moves
            .Select(m => new InventoryProtocol.SkuMove(m.Key, m.Value, catalog.Products.TryGetValue(m.Key, out var product)
                ? new InventoryProtocol.Opening(product.StockOnHand, product.OnOrder)
                : new InventoryProtocol.Opening(0, 0)))
            .GroupBy(m => InventoryProtocol.EntityIdFor(m.Sku, _stock.Partitions))
            .ToDictionary(g => g.Key, g => new InventoryProtocol.ApplyStockMoves(g.Key, _entityId, next.To, g.ToList()), StringComparer.Ordinal);
        SendMoves();
    }

    /// <summary>Sends every move not confirmed yet, and (re)arms the resend timer.</summary>
    private void SendMoves()
    {
        var region = _stock!.InventoryRegion();
        foreach (var move in _awaitingMoves!.Values) region.Tell(move);
        Timers.StartSingleTimer(MovesTimer, new StockMovesTimeout(_movesUpTo), _stock.Timeout);
    }

    private void OnMovesApplied(InventoryProtocol.StockMovesApplied applied)
    {
        if (_awaitingMoves is null || _movesUpTo != applied.UpToSeq) return;
        _awaitingMoves.Remove(applied.EntityId);
        if (_awaitingMoves.Count > 0) return;
        _awaitingMoves = null;
        Timers.Cancel(MovesTimer);
        RecordProcessed(applied.UpToSeq);
    }

    /// <summary>Records orders up to <paramref name="upToSeq"/> as processed and, in the same write, names the next batch.</summary>
    private void RecordProcessed(long upToSeq) =>
        Persist(new OrdersProcessed(upToSeq, DateTimeOffset.UtcNow, _ledger.NextBatchEnd(upToSeq, ProcessBatchMax)), stored =>
        {
            _ledger.MarkProcessed(stored.UpToSeq, stored.At, stored.NextBatchEnd);
            SnapshotIfDue();
            ScheduleProcessing();
            ReleaseHeldIfRoom();
        });
}
