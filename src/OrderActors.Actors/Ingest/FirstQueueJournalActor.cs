using Akka.Actor;
using Akka.Event;
using Akka.Persistence;
using OrderActors.Actors.Persistence;
using OrderActors.Domain.Ingest;
using OrderActors.Domain.Orders;
using OrderActors.Domain.Queues;
using OrderActors.Domain.Routing;
using static OrderActors.Actors.Ingest.IngestProtocol;

namespace OrderActors.Actors.Ingest;

/// <summary>
/// The durable half of a first queue: its <see cref="IngestLedger"/>, recovered from its snapshot and events, the write
/// of each batch of accepted orders (its submitters answered once it is stored, or as not stored when the journal
/// fails it), the marker of how far the hand-off to the units is confirmed, and the reads of an accepted order.
/// </summary>
public abstract class FirstQueueJournalActor : SnapshottingActor
{
    private readonly SnapshotSchedule _snapshots;
    private readonly ILoggingAdapter _log = Context.GetLogger();

    protected FirstQueueJournalActor(FirstQueueId id, IngestOptions options)
    {
        (Options, Queue) = (options, id.Queue);
        PersistenceId = id.PersistenceId;
        Answers = new PendingAnswers(id.Queue);
        Ledger = new IngestLedger(options.RetainDelivered);
        _snapshots = SnapshotSchedule.For(PersistenceId, options.SnapshotEvery, growWithSize: true);
        Marker = new HandOffMarkerPolicy(options.MarkerEvery);
        // First queues may have a journal of their own, so that intake writes do not queue behind the units' writes.
        if (options.JournalPlugin.Length > 0) JournalPluginId = options.JournalPlugin;
        if (options.SnapshotPlugin.Length > 0) SnapshotPluginId = options.SnapshotPlugin;

        Recover<SnapshotOffer>(offer =>
        {
            var snapshot = (IngestSnapshot)offer.Snapshot;
            Ledger = IngestLedger.FromState(snapshot.State, options.RetainDelivered);
            (Marker.Stored, _snapshots.LastAt) = (Ledger.DeliveredUpTo, Ledger.LastOffset);
            Cuts = new RoutingCuts();
            foreach (var cut in snapshot.Cuts ?? []) Cuts.Add(cut);
        });
        Recover<OrdersAccepted>(e => Ledger.Accept(e.Orders, LastSequenceNr));
        Recover<RoutingCutRecorded>(e => Cuts.Add(new RoutingCut(e.FromOffset, e.Version)));
        Recover<DeliveryConfirmed>(e => Ledger.ConfirmDelivered(Marker.Stored = e.UpToOffset));
        Command<GetAcceptedOrder>(AnswerAcceptedOrder);
        Command<GetIngestStats>(_ => Sender.Tell(new IngestStats(PersistenceId, Ledger.LastOffset, Ledger.DeliveredUpTo, Ledger.PendingCount, Cuts.All.ToList())));
        Command<GetRecentOrders>(q => Context.ActorOf(RecentOrdersReader.PropsFor(PersistenceId, JournalPluginId, Queue, LastSequenceNr, q.Max, q.Since,
            Cuts.All.ToList(), Sender, Context.System.Settings.Config.GetTimeSpan("orderactors.journal-read-back-timeout"))));
        KeepOnlyLatestSnapshot();
    }

    public override string PersistenceId { get; }

    protected IngestOptions Options { get; }

    protected int Queue { get; }

    protected IngestLedger Ledger { get; private set; }

    protected HandOffMarkerPolicy Marker { get; }

    /// <summary>Where this first queue switched routing versions: each order is routed by the version at its offset.</summary>
    protected RoutingCuts Cuts { get; private set; } = new();

    /// <summary>Whether a cut is being stored: the next batch waits for it, so that no order is stored after a cut the journal lost.</summary>
    protected bool StoringCut { get; private set; }

    /// <summary>The answers of the batches being stored, oldest first.</summary>
    protected PendingAnswers Answers { get; }

    /// <summary>Stores the batch's new orders as one event; once stored, answers its submitters, then <paramref name="then"/>.</summary>
    protected void StoreAccepted(List<AcceptedOrder> accepted, Action<OrdersAccepted> then) => PersistAsync(new OrdersAccepted(accepted), stored =>
    {
        Ledger.Accept(stored.Orders, LastSequenceNr);
        Answers.AnswerOldest();
        if (_snapshots.Due(Ledger.LastOffset, Ledger.OrderCount)) SaveSnapshot(new IngestSnapshot(Ledger.ToState(), Cuts.All.ToList()));
        then(stored);
    });

    /// <summary>
    /// Stores that the orders from <paramref name="cut"/>'s offset on are routed by its version; once stored, applies it
    /// and runs <paramref name="then"/>. Until then <see cref="StoringCut"/> holds the next batch back.
    /// </summary>
    protected void StoreCut(RoutingCut cut, Action then)
    {
        StoringCut = true;
        PersistAsync(new RoutingCutRecorded(cut.FromOffset, cut.Version), _ =>
        {
            Cuts.Add(cut);
            StoringCut = false;
            _log.Info("{0}: orders from offset {1} on are routed by routing version {2}", PersistenceId, cut.FromOffset, cut.Version);
            then();
        });
    }

    /// <summary>Stores how far the units confirmed the hand-off, if the marker policy says it is time.</summary>
    protected void StoreMarker()
    {
        if (Marker.Take(Ledger.DeliveredUpTo)) PersistAsync(new DeliveryConfirmed(Marker.Stored), _ => { });
    }

    /// <summary>The submissions waiting for the next batch, given up when the journal fails a write.</summary>
    protected abstract IEnumerable<(IReadOnlyList<Submission> Orders, IActorRef ReplyTo)> AbandonWaiting();

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
        var orders = Answers.AnswerUnstored(AbandonWaiting());
        _log.Warning("{0}: the journal did not store a write ({1}); {2} submitted orders answered as not stored", PersistenceId, cause.Message, orders);
    }

    private void AnswerAcceptedOrder(GetAcceptedOrder query)
    {
        var (order, inJournal) = Ledger.Find(query.OrderId);
        if (inJournal is not { } sequenceNr)
        {
            Sender.Tell(new AcceptedOrderReply(order, order is null ? 1 : Cuts.VersionAt(order.Offset)));
            return;
        }
        // an order delivered long ago: read back from the event that stored it
        var cuts = Cuts.All.ToList();
        AnswerFromJournal(sequenceNr, sequenceNr, events =>
            events.OfType<OrdersAccepted>().SelectMany(e => e.Orders).FirstOrDefault(o => o.OrderId == query.OrderId) is { } found
                ? new AcceptedOrderReply(found, RoutingCuts.VersionAt(cuts, found.Offset))
                : new AcceptedOrderReply(null));
    }
}
