using Akka.Actor;
using Akka.Event;
using Akka.Persistence;
using OrderActors.Actors.Hosting;
using OrderActors.Actors.Persistence;
using OrderActors.Actors.Routing;
using OrderActors.Actors.Sharding;
using OrderActors.Actors.Units;
using OrderActors.Domain.Ingest;
using OrderActors.Domain.Orders;
using static OrderActors.Actors.Ingest.IngestProtocol;

namespace OrderActors.Actors.Ingest;

/// <summary>
/// A first queue (patent claims 1–2), as a sharded persistent entity so that any node can recover it.
/// Submissions are gathered into batches, each stored as one event and only then answered: an accepted order is
/// durable. With a zero <see cref="OrderActorsSettings.BatchWindow"/> (the default) the window is adaptive: a
/// submission arriving while the journal is idle is stored at once, and those arriving while a batch is being
/// written form the next batch (group commit, so batches grow with load and no timer adds latency). A positive
/// window holds each batch open that long. Either way a batch closes early at
/// <see cref="OrderActorsSettings.BatchMaxOrders"/>. Stored orders are handed to the router in sequence, one delivery at a time,
/// and redelivered until every target unit queue confirms them.
/// </summary>
public sealed class IngestActor : SnapshottingActor, IWithTimers
{
    private const string FlushTimer = "flush";
    private const string DeliveryTimer = "delivery";
    private const string MarkerTimer = "marker";

    private readonly OrderActorsSettings _settings;
    private readonly IActorRef _router;
    private readonly int _queue;
    private IngestLedger _ledger;
    private readonly int _retainDelivered;
    private readonly int _snapshotEvery;
    private long _snapshotAtOffset;
    private readonly ILoggingAdapter _log = Context.GetLogger();

    private readonly List<(SubmitOrders Command, IActorRef ReplyTo)> _buffer = new();
    private int _bufferedOrders;

    // Batches are written with PersistAsync so that the next window fills while the previous one is being written.
    // Orders decided but not yet stored: their fingerprints (so a resend in the meantime is judged against them)
    // and the offset the next accepted order gets.
    private readonly Dictionary<string, string> _unstored = new(StringComparer.Ordinal);
    private long _nextOffset;
    private int _batchesBeingStored;

    // The delivery marker is an optimisation (redelivery is deduped by the units): it is stored once per
    // MarkerEvery confirmed orders, at most once per MarkerIdle when delivery catches up, and before a hand-off.
    // (Stored at every catch-up, it doubled the first queues' journal writes under light load, where each delivery
    // catches up.)
    private const int MarkerEvery = 1000;
    private static readonly TimeSpan MarkerIdle = TimeSpan.FromSeconds(1);
    private long _lastMarker;

    private Delivery? _inFlight;

    public IngestActor(string entityId, IActorRef router, OrderActorsSettings settings, int retainDelivered = 2_000, int snapshotEvery = 10_000)
    {
        _snapshotEvery = snapshotEvery;
        _ledger = new IngestLedger(retainDelivered);
        _retainDelivered = retainDelivered;
        PersistenceId = entityId;
        _router = router;
        _settings = settings;
        _queue = int.Parse(entityId.AsSpan(entityId.LastIndexOf('-') + 1));
        // First queues may have a journal of their own, so that intake writes do not queue behind the units' writes.
        if (settings.IngestJournalPlugin.Length > 0) JournalPluginId = settings.IngestJournalPlugin;
        if (settings.IngestSnapshotPlugin.Length > 0) SnapshotPluginId = settings.IngestSnapshotPlugin;

        Recover<SnapshotOffer>(offer =>
        {
            _ledger = IngestLedger.FromState(((IngestSnapshot)offer.Snapshot).State, _retainDelivered);
            (_lastMarker, _snapshotAtOffset) = (_ledger.DeliveredUpTo, _ledger.LastOffset);
        });
        Recover<OrdersAccepted>(e => _ledger.Accept(e.Orders, LastSequenceNr));
        Recover<DeliveryConfirmed>(e => _ledger.ConfirmDelivered(_lastMarker = e.UpToOffset));
        Recover<RecoveryCompleted>(_ =>
        {
            _nextOffset = _ledger.LastOffset;
            if (_ledger.PendingCount > 0)
                _log.Info("{0} recovered {1} orders, {2} still to deliver", PersistenceId, _ledger.OrderCount, _ledger.PendingCount);
            TryDeliver();
        });

        Command<SubmitOrders>(Buffer);
        Command<FlushWindow>(_ => Flush());
        Command<RouterProtocol.RoutePlan>(OnPlan);
        Command<UnitProtocol.OrdersEnqueued>(OnEnqueued);
        Command<UnitProtocol.OrdersHeld>(OnHeld);
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

    /// <param name="retainDelivered">How many delivered orders stay in memory (older ones are read back from the journal).</param>
    /// <param name="snapshotEvery">The least number of orders between two snapshots (see <see cref="SnapshotIfDue"/>).</param>
    public static Props PropsFor(string entityId, IActorRef router, OrderActorsSettings settings, int retainDelivered = 2_000, int snapshotEvery = 10_000) =>
        Props.Create(() => new IngestActor(entityId, router, settings, retainDelivered, snapshotEvery));

    /// <summary>
    /// Snapshots the queue once the orders accepted since the last snapshot reach a quarter of all it holds (at least
    /// <c>snapshotEvery</c>, 10,000 by default): recovery then replays a bounded share of the journal, and the
    /// snapshots' cost per order stays flat although each snapshot carries the whole id index. The first queues fill
    /// at the same pace, so each stretches its interval by its own share (queue k by k/4) and their snapshots,
    /// which briefly take memory, spread apart instead of coinciding.
    /// </summary>
    private void SnapshotIfDue()
    {
        var interval = Math.Max(_snapshotEvery, _ledger.OrderCount / 4) * (4 + _queue % 4) / 4;
        if (_ledger.LastOffset - _snapshotAtOffset < interval) return;
        _snapshotAtOffset = _ledger.LastOffset;
        SaveSnapshot(new IngestSnapshot(_ledger.ToState()));
    }

    private void OnGetAcceptedOrder(GetAcceptedOrder query)
    {
        var (order, inJournal) = _ledger.Find(query.OrderId);
        if (inJournal is not { } sequenceNr)
        {
            Sender.Tell(new AcceptedOrderReply(order));
            return;
        }
        // an order delivered long ago: read back from the event that stored it
        Context.ActorOf(JournalReader.PropsFor(PersistenceId, sequenceNr, sequenceNr,
            events => new AcceptedOrderReply(events.OfType<OrdersAccepted>().SelectMany(e => e.Orders).FirstOrDefault(o => o.OrderId == query.OrderId)),
            Sender, TimeSpan.FromSeconds(30), JournalPluginId));
    }

    private void Buffer(SubmitOrders command)
    {
        _buffer.Add((command, Sender));
        _bufferedOrders += command.Orders.Count;
        if (_bufferedOrders >= _settings.BatchMaxOrders)
            Flush();
        else if (_settings.BatchWindow == TimeSpan.Zero)
        {
            // adaptive window: closes now if the journal is idle, else when the batch being written is stored
            if (_batchesBeingStored == 0) Flush();
        }
        else if (!Timers.IsTimerActive(FlushTimer))
            Timers.StartSingleTimer(FlushTimer, FlushWindow.Instance, _settings.BatchWindow);
    }

    /// <summary>Decides every buffered submission, stores the new orders as one event, then answers them all.</summary>
    private void Flush()
    {
        Timers.Cancel(FlushTimer);
        if (_buffer.Count == 0) return;

        var now = DateTimeOffset.UtcNow;
        var accepted = new List<AcceptedOrder>();
        var replies = new List<(IActorRef, SubmitResults)>(_buffer.Count);

        foreach (var (command, replyTo) in _buffer)
        {
            var outcomes = new SubmitOutcome[command.Orders.Count];
            for (var i = 0; i < outcomes.Length; i++)
            {
                var (order, fingerprint) = command.Orders[i];
                var decision = _ledger.Decide(order.OrderId, fingerprint, _unstored, _settings.MaxPending);
                if (decision == AdmitDecision.Accept)
                    accepted.Add(new AcceptedOrder(order, _queue, ++_nextOffset, now, fingerprint));
                outcomes[i] = new SubmitOutcome(order.OrderId, decision, _queue);
            }
            replies.Add((replyTo, new SubmitResults(outcomes)));
        }
        _buffer.Clear();
        _bufferedOrders = 0;

        if (accepted.Count == 0)
        {
            // Duplicates of orders still being stored are answered once those are stored (events keep their order).
            DeferAsync(replies, rs => { foreach (var (replyTo, results) in rs) replyTo.Tell(results); });
            return;
        }

        _batchesBeingStored++;
        PersistAsync(new OrdersAccepted(accepted), stored =>
        {
            _batchesBeingStored--;
            _ledger.Accept(stored.Orders, LastSequenceNr);
            foreach (var order in stored.Orders) _unstored.Remove(order.OrderId);
            foreach (var (replyTo, results) in replies) replyTo.Tell(results);
            SnapshotIfDue();
            if (_settings.BatchWindow == TimeSpan.Zero && _batchesBeingStored == 0) Flush();
            TryDeliver();
        });
    }

    // --- delivery to the units, one delivery in flight at a time so that each unit queue gets orders in sequence --

    private void TryDeliver()
    {
        if (_inFlight is not null || _ledger.PendingCount == 0) return;
        var orders = _ledger.NextPending(_settings.DeliveryBatchMax, MessageLimits.MaxLinesPerMessage);
        _inFlight = new Delivery(orders[^1].Offset, orders);
        SendInFlight();
    }

    private void SendInFlight()
    {
        var delivery = _inFlight!;
        delivery.Plan = null;
        delivery.Held.Clear();
        delivery.Attempts++;
        _router.Tell(new RouterProtocol.RouteOrders(_queue, delivery.Id, delivery.Orders));
        Timers.StartSingleTimer(DeliveryTimer, new DeliveryTimeout(delivery.Id), _settings.DeliveryTimeout);
    }

    private void OnPlan(RouterProtocol.RoutePlan plan)
    {
        if (_inFlight is null || plan.DeliveryId != _inFlight.Id) return;
        if (plan.Targets.Count == 0)
            _log.Warning("{0}: delivery {1} matched no unit queue (was the routing table changed?)", PersistenceId, plan.DeliveryId);
        _inFlight.Plan = plan.Targets;
        CompleteIfConfirmed();
    }

    private void OnEnqueued(UnitProtocol.OrdersEnqueued ack)
    {
        if (_inFlight is null || ack.DeliveryId != _inFlight.Id) return;
        _inFlight.Confirmed.Add(ack.EntityId);
        CompleteIfConfirmed();
    }

    /// <summary>A unit queue is at its backlog bound and holds the delivery: pending orders grow, and intake throttles.</summary>
    private void OnHeld(UnitProtocol.OrdersHeld held)
    {
        if (_inFlight is null || held.DeliveryId != _inFlight.Id) return;
        _inFlight.Held.Add(held.EntityId);
    }

    private void CompleteIfConfirmed()
    {
        var delivery = _inFlight!;
        if (delivery.Plan is null || !delivery.Plan.All(delivery.Confirmed.Contains)) return;

        Timers.Cancel(DeliveryTimer);
        _inFlight = null;
        // Applied at once: should the marker be lost, the orders are redelivered and the units ignore them.
        _ledger.ConfirmDelivered(delivery.Id);
        if (delivery.Id - _lastMarker >= MarkerEvery)
            StoreMarker();
        else if (_ledger.PendingCount == 0 && !Timers.IsTimerActive(MarkerTimer))
            Timers.StartSingleTimer(MarkerTimer, StoreDeliveryMarker.Instance, MarkerIdle);
        TryDeliver();
    }

    private void StoreMarker()
    {
        Timers.Cancel(MarkerTimer);
        if (_ledger.DeliveredUpTo <= _lastMarker) return;
        _lastMarker = _ledger.DeliveredUpTo;
        PersistAsync(new DeliveryConfirmed(_lastMarker), _ => { });
    }

    private void OnDeliveryTimeout(DeliveryTimeout timeout)
    {
        if (_inFlight is null || timeout.DeliveryId != _inFlight.Id) return;
        var waitingFor = _inFlight.Plan?.Where(t => !_inFlight.Confirmed.Contains(t)).ToList();
        if (waitingFor is not null && waitingFor.All(_inFlight.Held.Contains))
        {
            // back-pressure, not a fault: the units hold it in memory until their backlog drains (sent again in case one restarts)
            _log.Debug("{0}: delivery {1} still held by {2} (backlog at its bound)", PersistenceId, _inFlight.Id, string.Join(",", waitingFor));
            SendInFlight();
            return;
        }
        _log.Warning("{0}: delivery {1} ({2} orders) not confirmed by {3} after {4}; sending it again (attempt {5})",
            PersistenceId, _inFlight.Id, _inFlight.Orders.Count,
            waitingFor is null ? "the router" : string.Join(",", waitingFor),
            _settings.DeliveryTimeout, _inFlight.Attempts + 1);
        SendInFlight();
    }

    private sealed class Delivery(long id, IReadOnlyList<AcceptedOrder> orders)
    {
        /// <summary>The offset of the last order in the delivery: its id.</summary>
        public long Id { get; } = id;
        public IReadOnlyList<AcceptedOrder> Orders { get; } = orders;
        public IReadOnlyList<string>? Plan { get; set; }
        public HashSet<string> Confirmed { get; } = new(StringComparer.Ordinal);
        /// <summary>Target units that hold the delivery until their backlog drains (<see cref="UnitProtocol.OrdersHeld"/>).</summary>
        public HashSet<string> Held { get; } = new(StringComparer.Ordinal);
        public int Attempts { get; set; }
    }
}
