using Akka.Actor;
using Akka.Event;
using Akka.Persistence;
using OrderActors.Actors.Inventory;
using OrderActors.Actors.Persistence;
using OrderActors.Actors.Sharding;
using OrderActors.Domain.Inventory;
using OrderActors.Domain.Orders;
using OrderActors.Domain.Queues;
using OrderActors.Domain.Routing;
using OrderActors.Domain.Units;
using static OrderActors.Actors.Units.UnitProtocol;

namespace OrderActors.Actors.Units;

/// <summary>
/// A business unit's second queue, e.g. <c>erp-2</c> (patent claim 3): a sharded persistent entity that records
/// each order once (deduping redeliveries by order id) with a gapless seq, processes its orders in seq order,
/// and serves the processed ones as a feed that the downstream system reads by cursor. In the stock unit,
/// processing applies each recorded batch's net stock moves to the inventory partitions, exactly once, before the
/// batch counts as processed (<see cref="StockMoveBatch{TPart}"/>). The backlog is bounded (<see cref="BacklogGate{TDelivery}"/>).
/// </summary>
public sealed class UnitQueueActor : SnapshottingActor, IWithTimers
{
    private const string MovesTimer = "moves";

    private readonly string _entityId;
    private readonly UnitsOptions _options;
    private readonly StockProcessing? _stock;
    private UnitQueueLedger _ledger;
    private readonly SnapshotSchedule _snapshots;
    private readonly BacklogGate<(EnqueueOrders Command, IActorRef ReplyTo)> _gate;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private bool _processingScheduled;
    private StockMoveBatch<InventoryProtocol.ApplyStockMoves>? _moves;
    // Feed requests waiting for new orders (long-polls), bounded: past the bound a request is answered at once.
    private const int MaxFeedWaiters = 1000;
    private readonly List<(long Id, GetFeed Query, IActorRef ReplyTo)> _feedWaiters = new();
    private long _lastWaiter;

    public UnitQueueActor(UnitQueueAddress address, UnitsOptions options, StockProcessing? stock)
    {
        _entityId = address.EntityId;
        _options = options;
        _stock = stock;
        PersistenceId = address.PersistenceId;
        _ledger = new UnitQueueLedger(options.RetainProcessed);
        // the unit queues fill at about the same pace: each stretches its snapshot interval by its own share so that
        // their snapshot writes into the journal they share spread apart
        _snapshots = new SnapshotSchedule(options.SnapshotEvery, staggerSlot: (int)(QueueAssignment.Fnv1a(_entityId) % 8));
        _gate = new BacklogGate<(EnqueueOrders, IActorRef)>(options.MaxBacklog);

        Recover<SnapshotOffer>(offer =>
        {
            _ledger = UnitQueueLedger.FromState(((UnitQueueSnapshot)offer.Snapshot).State, options.RetainProcessed);
            _snapshots.LastAt = _ledger.LastSeq;
        });
        Recover<OrdersQueued>(e => _ledger.Record(e.Entries, LastSequenceNr));
        Recover<OrdersProcessed>(e => _ledger.MarkProcessed(e.UpToSeq, e.At, e.NextBatchEnd));
        Recover<RecoveryCompleted>(_ => ScheduleProcessing());

        Command<EnqueueOrders>(command => Enqueue(command, Sender));
        Command<ReleaseHeld>(_ =>
        {
            if (_gate.TryTakeNext(_ledger.Depth, out var held)) Enqueue(held.Command, held.ReplyTo);
        });
        Command<ProcessPending>(_ => Process());
        Command<InventoryProtocol.StockMovesApplied>(applied =>
        {
            if (_moves is null || !_moves.Confirm(applied.EntityId, applied.UpToSeq)) return;
            _moves = null;
            Timers.Cancel(MovesTimer);
            RecordProcessed(applied.UpToSeq);
        });
        Command<StockMovesTimeout>(t =>
        {
            if (_moves is null || _moves.UpTo != t.To) return;
            _log.Warning("{0}: inventory partitions {1} did not confirm batch ..{2}; sending again", _entityId, string.Join(",", _moves.Unconfirmed.Keys), t.To);
            SendMoves();
        });
        Command<GetUnitOrderStatus>(OnGetStatus);
        Command<GetFeed>(query => AnswerFeed(query, Sender, mayWait: true));
        Command<FeedWaitOver>(over =>
        {
            var i = _feedWaiters.FindIndex(w => w.Id == over.Waiter);
            if (i < 0) return;
            var (_, query, replyTo) = _feedWaiters[i];
            _feedWaiters.RemoveAt(i);
            AnswerFeed(query, replyTo, mayWait: false);
        });
        Command<GetUnitStats>(_ => Sender.Tell(new UnitQueueStats(_entityId, _ledger.LastSeq, _ledger.ProcessedSeq, _ledger.Depth)));
        Command<Wake>(_ => ScheduleProcessing());
        Command<StopEntity>(_ =>
        {
            AnswerFeedWaiters(all: true);
            DeferAsync(StopEntity.Instance, _ => Context.Stop(Self));
        });
        KeepOnlyLatestSnapshot();
    }

    public override string PersistenceId { get; }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props PropsFor(UnitQueueAddress address, UnitsOptions options, StockProcessing? stock = null) =>
        Props.Create(() => new UnitQueueActor(address, options, stock));

    private void Enqueue(EnqueueOrders command, IActorRef replyTo)
    {
        var ack = new OrdersEnqueued(_entityId, command.DeliveryId);
        var now = DateTimeOffset.UtcNow;
        var fresh = _ledger.Admit(command.Orders, now);
        if (fresh.Count == 0)
        {
            replyTo.Tell(ack);
            BacklogChanged();
            return;
        }
        if (_gate.MustHold(_ledger.Depth))
        {
            if (_gate.Hold(command.SourceQueue, (command, replyTo)))
                _log.Info("{0}: {1} orders not processed yet (bound {2}); new deliveries wait until the backlog drains",
                    _entityId, _ledger.Depth, _gate.MaxBacklog);
            replyTo.Tell(new OrdersHeld(_entityId, command.DeliveryId));
            return;
        }
        // Processing has no side effect in this unit: record the orders as processed in the same write.
        if (_stock is null && _ledger.Depth == 0) fresh = fresh.Select(e => e with { ProcessedAt = now }).ToList();

        _gate.Forget(command.SourceQueue);
        Persist(new OrdersQueued(fresh), stored =>
        {
            _ledger.Record(stored.Entries, LastSequenceNr);
            SnapshotIfDue();
            replyTo.Tell(ack);
            AnswerFeedWaiters();
            ScheduleProcessing();
            BacklogChanged();
        });
    }

    /// <summary>Lets held deliveries go, one at a time (each write assigns seqs from the last recorded one), while there is room.</summary>
    private void BacklogChanged()
    {
        var (recovered, release) = _gate.Changed(_ledger.Depth);
        if (recovered) _log.Info("{0}: backlog down to {1}; deliveries flow again", _entityId, _ledger.Depth);
        if (release) Self.Tell(ReleaseHeld.Instance);
    }

    private void SnapshotIfDue()
    {
        // the events stay: older feed pages are read from them; the snapshot bounds what recovery replays
        if (_snapshots.Due(_ledger.LastSeq, _ledger.Depth)) SaveSnapshot(new UnitQueueSnapshot(_ledger.ToState()));
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
        AnswerFromJournal(inJournal.FromSequenceNr, inJournal.ToSequenceNr, events =>
            new UnitOrderStatus(entityId, UnitQueueLedger.EntryFromJournal(StoredEntries(events), inJournal, query.FirstQueue, query.Offset)));
    }

    private void AnswerFeed(GetFeed query, IActorRef replyTo, bool mayWait)
    {
        if (mayWait && query.WaitMs > 0 && query.After >= _ledger.ProcessedSeq && _feedWaiters.Count < MaxFeedWaiters)
        {
            var id = ++_lastWaiter;
            _feedWaiters.Add((id, query, replyTo));
            Timers.StartSingleTimer($"feed-wait-{id}", new FeedWaitOver(id), TimeSpan.FromMilliseconds(query.WaitMs));
            return;
        }
        var (entries, inJournal) = _ledger.Feed(query.After, query.Limit, MessageLimits.MaxLinesPerMessage);
        var (entityId, lastSeq, processedSeq) = (_entityId, _ledger.LastSeq, _ledger.ProcessedSeq);
        if (inJournal is null)
        {
            replyTo.Tell(new FeedPage(entityId, entries, lastSeq, processedSeq));
            return;
        }
        AnswerFromJournal(inJournal.FromSequenceNr, inJournal.ToSequenceNr, events => new FeedPage(entityId,
            UnitQueueLedger.PageFromJournal(StoredEntries(events), inJournal, query.After, query.Limit, processedSeq, MessageLimits.MaxLinesPerMessage, entries),
            lastSeq, processedSeq), replyTo);
    }

    /// <summary>Answers the long-polls that now have orders to see (or all of them, before a hand-off).</summary>
    private void AnswerFeedWaiters(bool all = false)
    {
        if (_feedWaiters.Count == 0) return;
        var ready = _feedWaiters.Where(w => all || w.Query.After < _ledger.ProcessedSeq).ToList();
        foreach (var waiter in ready)
        {
            _feedWaiters.Remove(waiter);
            Timers.Cancel($"feed-wait-{waiter.Id}");
            AnswerFeed(waiter.Query, waiter.ReplyTo, mayWait: false);
        }
    }

    private static IEnumerable<FeedEntry> StoredEntries(IReadOnlyList<object> events) =>
        events.OfType<OrdersQueued>().SelectMany(e => e.Entries);

    private void ScheduleProcessing()
    {
        if (_processingScheduled || _moves is not null || _ledger.Depth == 0) return;
        _processingScheduled = true;
        Self.Tell(ProcessPending.Instance);
    }

    /// <summary>Processes queued orders in seq order, a batch at a time, and records that they are processed.</summary>
    private void Process()
    {
        _processingScheduled = false;
        if (_moves is not null || _ledger.InProgress is not { } next) return;
        // The stock unit sends the batch's net moves and counts it processed once every partition confirms them. The
        // batch's boundaries are stored, so after a restart the very same batch goes out and the partitions recognise it.
        _moves = _stock?.Plan(_entityId, next.To, _ledger.Range(next.From, next.To));
        if (_moves is null)
            RecordProcessed(next.To);
        else
            SendMoves();
    }

    /// <summary>Sends every move not confirmed yet, and (re)arms the resend timer.</summary>
    private void SendMoves()
    {
        var region = _stock!.InventoryRegion();
        foreach (var move in _moves!.Unconfirmed.Values) region.Tell(move);
        Timers.StartSingleTimer(MovesTimer, new StockMovesTimeout(_moves.UpTo), _stock.Timeout);
    }

    /// <summary>Records orders up to <paramref name="upToSeq"/> as processed and, in the same write, names the next batch.</summary>
    private void RecordProcessed(long upToSeq) =>
        Persist(new OrdersProcessed(upToSeq, DateTimeOffset.UtcNow, _ledger.NextBatchEnd(upToSeq, _options.ProcessBatchMax)), stored =>
        {
            _ledger.MarkProcessed(stored.UpToSeq, stored.At, stored.NextBatchEnd);
            SnapshotIfDue();
            AnswerFeedWaiters();
            ScheduleProcessing();
            BacklogChanged();
        });
}
