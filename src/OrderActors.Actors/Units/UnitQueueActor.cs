using Akka.Actor;
using Akka.Event;
using Akka.Persistence;
using OrderActors.Actors.Inventory;
using OrderActors.Actors.Sharding;
using OrderActors.Domain.Inventory;
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
/// batch counts as processed (<see cref="StockMoveProcess"/>). The backlog is bounded (<see cref="BacklogGate{TDelivery}"/>);
/// what it stores and reads back is <see cref="UnitQueueJournalActor"/>'s.
/// </summary>
public sealed class UnitQueueActor : UnitQueueJournalActor, IWithTimers
{
    private const string MovesTimer = "moves";

    private readonly StockMoveProcess? _stock;
    private readonly BacklogGate<(EnqueueOrders Command, IActorRef ReplyTo)> _gate;
    private readonly LongPolls<(GetFeed Query, IActorRef ReplyTo)> _feedWaiters;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private bool _processingScheduled;

    public UnitQueueActor(UnitQueueAddress address, UnitsOptions options, StockProcessing? stock, UnitsMetrics? metrics = null)
        : base(address, options, metrics)
    {
        _stock = stock is null ? null : new StockMoveProcess(stock);
        _gate = new BacklogGate<(EnqueueOrders, IActorRef)>(options.MaxBacklog);
        _feedWaiters = new LongPolls<(GetFeed, IActorRef)>(options.MaxFeedWaiters);

        Recover<RecoveryCompleted>(_ => ReadBodiesThen(() =>
        {
            ReportDepth();
            ScheduleProcessing();
        }));
        Command<EnqueueOrders>(command => Enqueue(command, Sender));
        Command<ReleaseHeld>(_ =>
        {
            if (_gate.TryTakeNext(Ledger.Depth, out var held)) Enqueue(held.Command, held.ReplyTo);
        });
        Command<ProcessPending>(_ => Process());
        Command<InventoryProtocol.StockMovesApplied>(applied =>
        {
            if (_stock?.Confirmed(applied) != true) return;
            Timers.Cancel(MovesTimer);
            Processed(applied.UpToSeq);
        });
        Command<StockMovesTimeout>(t =>
        {
            if (_stock?.IsWaitingFor(t.To) != true) return;
            _log.Warning("{0}: inventory partitions {1} did not confirm batch ..{2}; sending again", EntityId, _stock.UnconfirmedPartitions, t.To);
            SendMoves();
        });
        Command<GetFeed>(query => AnswerFeed(query, Sender, mayWait: true));
        Command<FeedWaitOver>(over =>
        {
            if (_feedWaiters.TryTake(over.Waiter, out var waiter)) AnswerFeed(waiter.Query, waiter.ReplyTo, mayWait: false);
        });
        Command<DeliveryProgress>(progress =>
        {
            DeliveredUpTo = Math.Max(DeliveredUpTo ?? 0, progress.DeliveredUpTo);
            ReportDepth();
        });
        Command<Wake>(_ => ScheduleProcessing());
        Command<StopEntity>(_ =>
        {
            AnswerFeedWaiters(all: true);
            DeferAsync(StopEntity.Instance, _ => Context.Stop(Self));
        });
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props PropsFor(UnitQueueAddress address, UnitsOptions options, StockProcessing? stock = null, UnitsMetrics? metrics = null) =>
        Props.Create(() => new UnitQueueActor(address, options, stock, metrics));

    private void Enqueue(EnqueueOrders command, IActorRef replyTo)
    {
        var ack = new OrdersEnqueued(EntityId, command.DeliveryId);
        var now = DateTimeOffset.UtcNow;
        var fresh = Ledger.Admit(command.Orders, now, command.RoutingVersion);
        if (fresh.Count == 0)
        {
            replyTo.Tell(ack);
            BacklogChanged();
            return;
        }
        if (_gate.MustHold(Ledger.Depth))
        {
            if (_gate.Hold(command.SourceQueue, (command, replyTo)))
                _log.Info("{0}: {1} orders not processed yet (bound {2}); new deliveries wait until the backlog drains",
                    EntityId, Ledger.Depth, _gate.MaxBacklog);
            replyTo.Tell(new OrdersHeld(EntityId, command.DeliveryId));
            return;
        }
        // Processing has no side effect in this unit: record the orders as processed in the same write.
        if (_stock is null && Ledger.Depth == 0) fresh = fresh.Select(e => e with { ProcessedAt = now }).ToList();

        _gate.Forget(command.SourceQueue);
        Record(fresh, command.SourceQueue, command.StoredIn, () =>
        {
            replyTo.Tell(ack);
            AnswerFeedWaiters();
            ScheduleProcessing();
            BacklogChanged();
        });
    }

    /// <summary>Lets held deliveries go, one at a time (each write assigns seqs from the last recorded one), while there is room.</summary>
    private void BacklogChanged()
    {
        ReportDepth();
        var (recovered, release) = _gate.Changed(Ledger.Depth);
        if (recovered) _log.Info("{0}: backlog down to {1}; deliveries flow again", EntityId, Ledger.Depth);
        if (release) Self.Tell(ReleaseHeld.Instance);
    }

    private void AnswerFeed(GetFeed query, IActorRef replyTo, bool mayWait)
    {
        // a read past the processed orders waits for new ones, up to its wait (and while the bound allows)
        if (mayWait && query.WaitMs > 0 && query.After >= Ledger.ProcessedSeq && _feedWaiters.Add((query, replyTo)) is { } id)
            Timers.StartSingleTimer($"feed-wait-{id}", new FeedWaitOver(id), TimeSpan.FromMilliseconds(query.WaitMs));
        else AnswerPage(query, replyTo);
    }

    /// <summary>Answers the long-polls that now have orders to see (or all of them, before a hand-off).</summary>
    private void AnswerFeedWaiters(bool all = false)
    {
        foreach (var (id, (query, replyTo)) in _feedWaiters.TakeWhere(w => all || w.Query.After < Ledger.ProcessedSeq))
        {
            Timers.Cancel($"feed-wait-{id}");
            AnswerPage(query, replyTo);
        }
    }

    private void ScheduleProcessing()
    {
        if (_processingScheduled || _stock?.Busy == true || Ledger.Depth == 0) return;
        _processingScheduled = true;
        Self.Tell(ProcessPending.Instance);
    }

    /// <summary>Processes queued orders in seq order, a batch at a time, and records that they are processed.</summary>
    private void Process()
    {
        _processingScheduled = false;
        if (_stock?.Busy == true || Ledger.InProgress is not { } next) return;
        if (_stock?.Start(EntityId, next.To, Ledger.Range(next.From, next.To)) == true) SendMoves();
        else Processed(next.To);
    }

    /// <summary>Sends every stock move not confirmed yet, and (re)arms the resend timer.</summary>
    private void SendMoves()
    {
        var (parts, upTo) = _stock!.Unconfirmed();
        var region = _stock.InventoryRegion;
        foreach (var part in parts) region.Tell(part);
        Timers.StartSingleTimer(MovesTimer, new StockMovesTimeout(upTo), _stock.Timeout);
    }

    /// <summary>Records the batch up to <paramref name="upToSeq"/> as processed, then lets what waited on it go on.</summary>
    private void Processed(long upToSeq) => RecordProcessed(upToSeq, () =>
    {
        AnswerFeedWaiters();
        ScheduleProcessing();
        BacklogChanged();
    });
}
