using Akka.Actor;
using Akka.Event;
using Akka.Persistence;
using OrderActors.Actors.Persistence;
using OrderActors.Actors.Routing;
using OrderActors.Actors.Sharding;
using OrderActors.Actors.Units;
using OrderActors.Domain.Ingest;
using OrderActors.Domain.Orders;
using OrderActors.Domain.Queues;
using static OrderActors.Actors.Ingest.IngestProtocol;

namespace OrderActors.Actors.Ingest;

/// <summary>
/// A first queue (patent claims 1–2), as a sharded persistent entity so that any node can recover it.
/// Submissions are gathered into batches, each stored as one event and only then answered: an accepted order is
/// durable. With a zero <see cref="IngestOptions.BatchWindow"/> (the default) the window is adaptive: a submission
/// arriving while the journal is idle is stored at once, and those arriving while a batch is being written form the
/// next batch (group commit: batches grow with load and no timer adds latency). A positive window holds each batch
/// open that long. Either way a batch closes early at <see cref="IngestOptions.BatchMaxOrders"/>. Stored orders are
/// handed to the router in sequence, one delivery at a time (<see cref="DeliveryTracker"/>), and sent again until
/// every target unit queue confirms them.
/// </summary>
public sealed class IngestActor : SnapshottingActor, IWithTimers
{
    private const string FlushTimer = "flush";
    private const string DeliveryTimer = "delivery";
    private const string MarkerTimer = "marker";

    private readonly IngestOptions _options;
    private readonly IActorRef _router;
    private readonly int _queue;
    private IngestLedger _ledger;
    private readonly SnapshotSchedule _snapshots;
    private readonly DeliveryTracker _delivery = new();
    private readonly DeliveryMarkerPolicy _marker;
    private readonly ILoggingAdapter _log = Context.GetLogger();

    private readonly IntakeBatch<IActorRef> _batch = new();

    // the answers of the batches being stored, oldest first: handlers run in the order the writes were made
    private readonly Queue<List<(IActorRef ReplyTo, SubmitResults Results)>> _answering = new();

    public IngestActor(FirstQueueId id, IActorRef router, IngestOptions options)
    {
        _options = options;
        _router = router;
        _queue = id.Queue;
        PersistenceId = id.PersistenceId;
        _ledger = new IngestLedger(options.RetainDelivered);
        // the first queues fill at the same pace: queue k stretches its interval by its own share, so that their
        // snapshots (which briefly take memory) spread apart
        _snapshots = new SnapshotSchedule(options.SnapshotEvery, staggerSlot: 2 * (id.Queue % 4), growWithSize: true);
        _marker = new DeliveryMarkerPolicy(options.MarkerEvery);
        // First queues may have a journal of their own, so that intake writes do not queue behind the units' writes.
        if (options.JournalPlugin.Length > 0) JournalPluginId = options.JournalPlugin;
        if (options.SnapshotPlugin.Length > 0) SnapshotPluginId = options.SnapshotPlugin;

        Recover<SnapshotOffer>(offer =>
        {
            _ledger = IngestLedger.FromState(((IngestSnapshot)offer.Snapshot).State, options.RetainDelivered);
            (_marker.Stored, _snapshots.LastAt) = (_ledger.DeliveredUpTo, _ledger.LastOffset);
        });
        Recover<OrdersAccepted>(e => _ledger.Accept(e.Orders, LastSequenceNr));
        Recover<DeliveryConfirmed>(e => _ledger.ConfirmDelivered(_marker.Stored = e.UpToOffset));
        Recover<RecoveryCompleted>(_ =>
        {
            _batch.ContinueFrom(_ledger.LastOffset);
            if (_ledger.PendingCount > 0)
                _log.Info("{0} recovered {1} orders, {2} still to deliver", PersistenceId, _ledger.OrderCount, _ledger.PendingCount);
            TryDeliver();
        });

        Command<SubmitOrders>(Buffer);
        Command<FlushWindow>(_ => Flush());
        Command<RouterProtocol.RoutePlan>(plan =>
        {
            if (plan.Targets.Count == 0 && _delivery.Current?.Id == plan.DeliveryId)
                _log.Warning("{0}: delivery {1} matched no unit queue (was the routing table changed?)", PersistenceId, plan.DeliveryId);
            if (_delivery.Planned(plan.DeliveryId, plan.Targets)) CompleteDelivery();
        });
        Command<UnitProtocol.OrdersEnqueued>(ack =>
        {
            if (_delivery.Confirmed(ack.DeliveryId, ack.EntityId)) CompleteDelivery();
        });
        // a unit queue at its backlog bound holds the delivery: pending orders grow, and intake throttles
        Command<UnitProtocol.OrdersHeld>(held => _delivery.Held(held.DeliveryId, held.EntityId));
        Command<DeliveryTimeout>(OnDeliveryTimeout);
        Command<GetAcceptedOrder>(OnGetAcceptedOrder);
        Command<GetIngestStats>(_ => Sender.Tell(new IngestStats(PersistenceId, _ledger.LastOffset, _ledger.DeliveredUpTo, _ledger.PendingCount)));
        Command<Wake>(_ => TryDeliver());
        Command<StoreDeliveryMarker>(_ => StoreMarker());
        KeepOnlyLatestSnapshot();
        Command<StopEntity>(_ =>
        {
            Flush();
            StoreMarker();
            DeferAsync(StopEntity.Instance, _ => Context.Stop(Self));
        });
    }

    public override string PersistenceId { get; }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props PropsFor(FirstQueueId id, IActorRef router, IngestOptions options) =>
        Props.Create(() => new IngestActor(id, router, options));

    private void OnGetAcceptedOrder(GetAcceptedOrder query)
    {
        var (order, inJournal) = _ledger.Find(query.OrderId);
        if (inJournal is not { } sequenceNr)
        {
            Sender.Tell(new AcceptedOrderReply(order));
            return;
        }
        // an order delivered long ago: read back from the event that stored it
        AnswerFromJournal(sequenceNr, sequenceNr, events =>
            new AcceptedOrderReply(events.OfType<OrdersAccepted>().SelectMany(e => e.Orders).FirstOrDefault(o => o.OrderId == query.OrderId)));
    }

    private void Buffer(SubmitOrders command)
    {
        _batch.Add(command.Orders, Sender);
        if (_batch.WaitingOrders >= _options.BatchMaxOrders)
            Flush();
        else if (_options.BatchWindow == TimeSpan.Zero)
        {
            // adaptive window: closes now if the journal is idle, else when the batch being written is stored
            if (_batch.BeingStored == 0) Flush();
        }
        else if (!Timers.IsTimerActive(FlushTimer))
            Timers.StartSingleTimer(FlushTimer, FlushWindow.Instance, _options.BatchWindow);
    }

    /// <summary>Decides every waiting submission, stores the new orders as one event, then answers them all.</summary>
    private void Flush()
    {
        Timers.Cancel(FlushTimer);
        if (_batch.IsEmpty) return;
        var (accepted, answers) = _batch.Close(_ledger, _queue, _options.MaxPending, DateTimeOffset.UtcNow);
        var replies = new List<(IActorRef ReplyTo, SubmitResults Results)>(answers.Count);
        foreach (var (replyTo, orders, decisions) in answers)
        {
            var outcomes = new SubmitOutcome[orders.Count];
            for (var i = 0; i < outcomes.Length; i++) outcomes[i] = new SubmitOutcome(orders[i].Order.OrderId, decisions[i], _queue);
            replies.Add((replyTo, new SubmitResults(outcomes)));
        }
        _answering.Enqueue(replies);
        if (accepted.Count == 0)
        {
            // Duplicates of orders still being stored are answered once those are stored (events keep their order).
            DeferAsync(replies, _ => AnswerStored());
            return;
        }

        PersistAsync(new OrdersAccepted(accepted), stored =>
        {
            _batch.Stored(stored.Orders);
            _ledger.Accept(stored.Orders, LastSequenceNr);
            AnswerStored();
            if (_snapshots.Due(_ledger.LastOffset, _ledger.OrderCount)) SaveSnapshot(new IngestSnapshot(_ledger.ToState()));
            if (_options.BatchWindow == TimeSpan.Zero && _batch.BeingStored == 0) Flush();
            TryDeliver();
        });
    }

    private void AnswerStored()
    {
        foreach (var (replyTo, results) in _answering.Dequeue()) replyTo.Tell(results);
    }

    // A failed write stops the entity (it recovers from the journal on the next message). Its callers are answered
    // now, as not stored, rather than left to their ask timeout: a full disk or a lost database is answered at once.
    protected override void OnPersistFailure(Exception cause, object @event, long sequenceNr)
    {
        AnswerUnstored(cause);
        base.OnPersistFailure(cause, @event, sequenceNr);
    }

    protected override void OnPersistRejected(Exception cause, object @event, long sequenceNr)
    {
        base.OnPersistRejected(cause, @event, sequenceNr);
        AnswerUnstored(cause);
        Context.Stop(Self); // the batch's orders are neither stored nor forgotten here: start again from the journal
    }

    private void AnswerUnstored(Exception cause)
    {
        var orders = 0;
        while (_answering.TryDequeue(out var replies))
            foreach (var (replyTo, results) in replies)
            {
                replyTo.Tell(new SubmitResults(results.Outcomes.Select(o => o.Decision == AdmitDecision.Throttled ? o : o with { Decision = AdmitDecision.Unavailable }).ToList()));
                orders += results.Outcomes.Count;
            }
        foreach (var (waiting, replyTo) in _batch.Abandon())
        {
            replyTo.Tell(SubmitResults.NotStored(waiting, _queue));
            orders += waiting.Count;
        }
        _log.Warning("{0}: the journal did not store a write ({1}); {2} submitted orders answered as not stored", PersistenceId, cause.Message, orders);
    }

    // --- delivery to the units, one delivery in flight at a time so that each unit queue gets orders in sequence --

    private void TryDeliver()
    {
        if (_delivery.Current is not null || _ledger.PendingCount == 0) return;
        _delivery.Start(_ledger.NextPending(_options.DeliveryBatchMax, MessageLimits.MaxLinesPerMessage));
        Send();
    }

    private void Send()
    {
        var delivery = _delivery.Resend();
        _router.Tell(new RouterProtocol.RouteOrders(_queue, delivery.Id, delivery.Orders));
        Timers.StartSingleTimer(DeliveryTimer, new DeliveryTimeout(delivery.Id), _options.DeliveryTimeout);
    }

    private void CompleteDelivery()
    {
        Timers.Cancel(DeliveryTimer);
        // Applied at once: should the marker be lost, the orders are redelivered and the units ignore them.
        _ledger.ConfirmDelivered(_delivery.Complete());
        if (_marker.StoreNow(_ledger.DeliveredUpTo))
            StoreMarker();
        else if (_ledger.PendingCount == 0 && !Timers.IsTimerActive(MarkerTimer))
            Timers.StartSingleTimer(MarkerTimer, StoreDeliveryMarker.Instance, _options.MarkerIdle);
        TryDeliver();
    }

    private void StoreMarker()
    {
        Timers.Cancel(MarkerTimer);
        if (_marker.Take(_ledger.DeliveredUpTo))
            PersistAsync(new DeliveryConfirmed(_marker.Stored), _ => { });
    }

    private void OnDeliveryTimeout(DeliveryTimeout timeout)
    {
        var (verdict, waitingFor) = _delivery.TimedOut(timeout.DeliveryId);
        if (verdict == DeliveryTimeoutVerdict.Stale) return;
        var delivery = _delivery.Current!;
        if (verdict == DeliveryTimeoutVerdict.Held)
            // back-pressure, not a fault: the units hold it in memory until their backlog drains (sent again in case one restarts)
            _log.Debug("{0}: delivery {1} still held by {2} (backlog at its bound)", PersistenceId, delivery.Id, string.Join(",", waitingFor!));
        else
            _log.Warning("{0}: delivery {1} ({2} orders) not confirmed by {3} after {4}; sending it again (attempt {5})",
                PersistenceId, delivery.Id, delivery.Orders.Count, waitingFor is null ? "the router" : string.Join(",", waitingFor),
                _options.DeliveryTimeout, delivery.Attempts + 1);
        Send();
    }
}
