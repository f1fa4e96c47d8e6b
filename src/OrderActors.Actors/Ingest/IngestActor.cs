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
using OrderActors.Domain.Routing;
using static OrderActors.Actors.Ingest.IngestProtocol;

namespace OrderActors.Actors.Ingest;

/// <summary>
/// A first queue (patent claims 1–2), as a sharded persistent entity so that any node can recover it.
/// Submissions are gathered into batches, each stored as one event and only then answered: an accepted order is
/// durable. With a zero <see cref="IngestOptions.BatchWindow"/> (the default) the window is adaptive: a submission
/// arriving while the journal is idle is stored at once, and those arriving while a batch is being written form the
/// next batch (group commit: batches grow with load and no timer adds latency). A positive window holds each batch
/// open that long. Either way a batch closes early at <see cref="IngestOptions.BatchMaxOrders"/>. Stored orders are
/// handed to the router in sequence, one hand-off at a time (<see cref="HandOffTracker"/>), and sent again until
/// every target unit queue confirms them. What it stores and reads back is <see cref="FirstQueueJournalActor"/>'s.
/// </summary>
public sealed class IngestActor : FirstQueueJournalActor, IWithTimers
{
    private const string FlushTimer = "flush", HandOffTimer = "delivery", MarkerTimer = "marker";

    private readonly IActorRef _router;
    private readonly HandOffTracker _handOff = new();
    private readonly IntakeBatch<IActorRef> _batch = new();
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly IngestMetrics _metrics;
    private readonly KeyValuePair<string, object?>[] _tags;

    private readonly RoutingDirectory? _routing;

    /// <param name="routing">this node's routing versions: a version published since the last cut is cut in before the next batch</param>
    public IngestActor(FirstQueueId id, IActorRef router, IngestOptions options, IngestMetrics? metrics = null, RoutingDirectory? routing = null) : base(id, options)
    {
        (_router, _metrics, _tags, _routing) = (router, metrics ?? new IngestMetrics(), Telemetry.QueueGauges.Tags(null, id.Queue), routing);
        Recover<RecoveryCompleted>(_ =>
        {
            _batch.ContinueFrom(Ledger.LastOffset);
            if (Ledger.PendingCount > 0)
                _log.Info("{0} recovered {1} orders, {2} still to deliver", PersistenceId, Ledger.OrderCount, Ledger.PendingCount);
            TryHandOff();
        });

        Command<SubmitOrders>(Buffer);
        Command<FlushWindow>(_ => Flush());
        Command<RouterProtocol.RoutePlan>(plan =>
        {
            if (plan.Targets.Count == 0 && _handOff.Current?.Id == plan.DeliveryId)
                _log.Warning("{0}: hand-off {1} matched no unit queue (was the routing table changed?)", PersistenceId, plan.DeliveryId);
            if (_handOff.Planned(plan.DeliveryId, plan.Targets)) CompleteHandOff();
        });
        Command<UnitProtocol.OrdersEnqueued>(ack =>
        {
            if (_handOff.Confirmed(ack.DeliveryId, ack.EntityId)) CompleteHandOff();
        });
        // a unit queue at its backlog bound holds the hand-off: pending orders grow, and intake throttles
        Command<UnitProtocol.OrdersHeld>(held => _handOff.Held(held.DeliveryId, held.EntityId));
        Command<DeliveryTimeout>(OnHandOffTimeout);
        Command<Wake>(_ => TryHandOff());
        Command<StoreDeliveryMarker>(_ => StoreMarkerNow());
        Command<StopEntity>(_ =>
        {
            _stopping = true;
            if (!StoringCut) Stop(); // else once the cut, and the batch waiting for it, are on their way
        });
    }

    private bool _stopping;

    /// <summary>Stores what waits (the batch, the marker), answers it, then stops (handed off to another node).</summary>
    private void Stop()
    {
        Flush();
        StoreMarkerNow();
        DeferAsync(StopEntity.Instance, _ => Context.Stop(Self));
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props PropsFor(FirstQueueId id, IActorRef router, IngestOptions options, IngestMetrics? metrics = null, RoutingDirectory? routing = null) =>
        Props.Create(() => new IngestActor(id, router, options, metrics, routing));

    protected override void PostStop()
    {
        _metrics.FirstQueues.Remove(PersistenceId); // handed off: the node that takes it over reports it
        base.PostStop();
    }

    /// <summary>Sets this queue's gauges: what is stored and not handed on yet, and since when.</summary>
    private void ReportDepth() => _metrics.FirstQueues.Set(PersistenceId, _tags, Ledger.PendingCount, Ledger.OldestPendingAt);

    protected override IEnumerable<(IReadOnlyList<Submission> Orders, IActorRef ReplyTo)> AbandonWaiting() => _batch.Abandon();

    private void Buffer(SubmitOrders command)
    {
        _batch.Add(command.Orders, Sender, command.RoutingVersion);
        if (_batch.WaitingOrders >= Options.BatchMaxOrders)
            Flush();
        else if (Options.BatchWindow == TimeSpan.Zero)
        {
            // adaptive window: closes now if the journal is idle, else when the batch being written is stored
            if (_batch.BeingStored == 0) Flush();
        }
        else if (!Timers.IsTimerActive(FlushTimer))
            Timers.StartSingleTimer(FlushTimer, FlushWindow.Instance, Options.BatchWindow);
    }

    /// <summary>
    /// Decides every waiting submission, stores the new orders as one event, then answers them all. When a later
    /// routing version is known (the one the orders were checked against, or this node's live one), a cut to it is
    /// stored first, at the offset the batch's first new order gets, and the batch waits for it.
    /// </summary>
    private void Flush()
    {
        Timers.Cancel(FlushTimer);
        if (_batch.IsEmpty || StoringCut) return;
        var version = Math.Max(_batch.WaitingRoutingVersion, _routing?.LiveVersion.Version ?? 1);
        if (version > Cuts.Latest)
        {
            StoreCut(new RoutingCut(_batch.NextOffset, version), () =>
            {
                if (_stopping) Stop();
                else Flush();
            });
            return;
        }
        // the batch goes by the latest cut's version: a code it takes no unit for (a node checked the order against the
        // version before) is refused, not stored to go nowhere
        var table = _routing?.Table(Cuts.Latest);
        var (accepted, answers) = _batch.Close(Ledger, Queue, Options.MaxPending, DateTimeOffset.UtcNow,
            table is null ? null : table.KnownCodes.Contains);
        Answers.Add(answers);
        if (accepted.Count == 0)
        {
            // Duplicates of orders still being stored are answered once those are stored (events keep their order).
            DeferAsync(answers, _ => Answers.AnswerOldest());
            return;
        }
        StoreAccepted(accepted, stored =>
        {
            _batch.Stored(stored.Orders);
            if (Options.BatchWindow == TimeSpan.Zero && _batch.BeingStored == 0) Flush();
            TryHandOff();
        });
    }

    // --- the hand-off to the units, one in flight at a time so that each unit queue gets the orders in sequence ---

    private void TryHandOff()
    {
        ReportDepth();
        if (_handOff.Current is not null || Ledger.PendingCount == 0) return;
        // a hand-off never crosses a cut: every order of it is routed by one version
        _handOff.Start(Ledger.NextPending(Cuts.SameVersionRun(Ledger.DeliveredUpTo + 1, Options.DeliveryBatchMax), MessageLimits.MaxLinesPerMessage));
        Send();
    }

    private void Send()
    {
        var handOff = _handOff.Resend();
        _router.Tell(new RouterProtocol.RouteOrders(Queue, handOff.Id, handOff.Orders, Ledger.BatchesHolding(handOff.Orders[0].Offset, handOff.Id),
            Cuts.VersionAt(handOff.Orders[0].Offset)));
        Timers.StartSingleTimer(HandOffTimer, new DeliveryTimeout(handOff.Id), Options.DeliveryTimeout);
    }

    private void CompleteHandOff()
    {
        Timers.Cancel(HandOffTimer);
        // Applied at once: should the marker be lost, the orders are redelivered and the units ignore them.
        Ledger.ConfirmDelivered(_handOff.Complete());
        if (Marker.StoreNow(Ledger.DeliveredUpTo))
            StoreMarkerNow();
        else if (Ledger.PendingCount == 0 && !Timers.IsTimerActive(MarkerTimer))
            Timers.StartSingleTimer(MarkerTimer, StoreDeliveryMarker.Instance, Options.MarkerIdle);
        TryHandOff();
    }

    private void StoreMarkerNow()
    {
        Timers.Cancel(MarkerTimer);
        StoreMarker();
    }

    private void OnHandOffTimeout(DeliveryTimeout timeout)
    {
        var (verdict, waitingFor) = _handOff.TimedOut(timeout.DeliveryId);
        if (verdict == HandOffTimeoutVerdict.Stale) return;
        var handOff = _handOff.Current!;
        if (verdict == HandOffTimeoutVerdict.Held)
            // back-pressure, not a fault: the units hold it in memory until their backlog drains (sent again in case one restarts)
            _log.Debug("{0}: hand-off {1} still held by {2} (backlog at its bound)", PersistenceId, handOff.Id, string.Join(",", waitingFor!));
        else
            _log.Warning("{0}: hand-off {1} ({2} orders) not confirmed by {3} after {4}; sending it again (attempt {5})",
                PersistenceId, handOff.Id, handOff.Orders.Count, waitingFor is null ? "the router" : string.Join(",", waitingFor),
                Options.DeliveryTimeout, handOff.Attempts + 1);
        Send();
    }
}
