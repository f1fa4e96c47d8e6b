using Akka.Actor;
using Akka.Persistence;
using OrderActors.Actors.Persistence;
using OrderActors.Actors.Sharding;
using OrderActors.Domain.Delivery;
using OrderActors.Domain.Health;
using static OrderActors.Actors.Delivery.DeliveryProtocol;

namespace OrderActors.Actors.Delivery;

/// <summary>
/// The durable half of a delivery entity: its <see cref="QueueDeliveryState"/>, recovered from its snapshot and events,
/// and the writes that change it. Every event is stored before it is applied and answered, except the webhook
/// receiver's confirmations: each is applied at once and they are stored together (<see cref="UnstoredConfirmations"/>),
/// before any other event, and on a hand-off.
/// </summary>
public abstract class DeliveryJournalActor : SnapshottingActor, IWithTimers
{
    private const string CursorTimer = "cursor";

    private readonly DeliveryOptions _options;
    private readonly UnstoredConfirmations _unstored;

    private sealed record StoreConfirmationsNow;

    protected DeliveryJournalActor(DeliveryQueueId id, DeliveryOptions options, JournalHealth journal)
    {
        (Id, _options, JournalHealth) = (id, options, journal);
        State = new QueueDeliveryState(options.MarksKept);
        _unstored = new UnstoredConfirmations(options.CursorStoreEvery);
        PersistenceId = id.PersistenceId;
        SnapshotEvery(options.SnapshotEvery);

        Recover<SnapshotOffer>(offer => State.Restore((DeliverySnapshot)offer.Snapshot));
        Recover<IDeliveryEvent>(State.Apply);
        Command<StoreConfirmationsNow>(_ => StoreConfirmations());
        Command<StopEntity>(_ =>
        {
            Stopping.Cancel();
            StoreConfirmations();
            DeferAsync(StopEntity.Instance, _ => Context.Stop(Self));
        });
        KeepOnlyLatestSnapshot();
    }

    public override string PersistenceId { get; }

    public ITimerScheduler Timers { get; set; } = null!;

    protected DeliveryQueueId Id { get; }

    protected QueueDeliveryState State { get; }

    protected JournalHealth JournalHealth { get; }

    /// <summary>Cancelled when the entity stops: a request on its way is abandoned.</summary>
    protected CancellationTokenSource Stopping { get; } = new();

    protected DeliveryCursor Cursor => State.Cursor;

    protected override void PostStop()
    {
        Stopping.Cancel();
        base.PostStop();
    }

    /// <summary>Whether the confirmation of the order at <paramref name="seq"/> is stored: what is shown of an order is what is stored.</summary>
    protected bool ConfirmationStored(long seq) => _unstored.IsStored(seq);

    /// <summary>
    /// Stores a webhook attempt that did not deliver, for the orders' traces, without holding up the push (only failures
    /// are stored: a delivered request's record is its confirmation). Not while the journal cannot be written: a write
    /// then would fail and stop the queue, and the trace goes without that attempt.
    /// </summary>
    protected void RecordFailedAttempt(FailedAttempt attempt)
    {
        if (!JournalHealth.Writable) return;
        PersistAsync(new DeliveryAttemptFailed(attempt), stored =>
        {
            State.Apply(stored);
            SnapshotIfDue(State.Snapshot);
        });
    }

    /// <summary>The cursor moved and is stored (confirmations, an ack, a replay).</summary>
    protected virtual void CursorStored() { }

    /// <summary>The receiver confirmed the orders up to the mark: the cursor moves now; the mark is stored with the next ones.</summary>
    protected void Confirm(DeliveredMark mark, int orders)
    {
        var before = State.Cursor.DeliveredUpTo;
        State.Delivered(mark);
        _unstored.Add(mark, orders, before);
        if (_unstored.Due) StoreConfirmations();
        else if (!Timers.IsTimerActive(CursorTimer)) Timers.StartSingleTimer(CursorTimer, new StoreConfirmationsNow(), _options.CursorStoreInterval);
    }

    /// <summary>Stores the event (after the confirmations not stored yet, so that recovery applies them in this order), then applies it.</summary>
    protected void Store(IDeliveryEvent e, Action then)
    {
        StoreConfirmations();
        Persist(e, stored =>
        {
            State.Apply(stored);
            SnapshotIfDue(State.Snapshot);
            if (stored is OrdersDelivered or DeliveryReplayed) CursorStored();
            then();
        });
    }

    /// <summary>Stores the receiver's confirmations not stored yet, in one event; they are applied already.</summary>
    private void StoreConfirmations()
    {
        Timers.Cancel(CursorTimer);
        if (!_unstored.Any) return;
        if (!JournalHealth.Writable && !Stopping.IsCancellationRequested)
        {
            // a write now would fail and stop the queue: keep them (applied, in memory) until the journal takes them
            Timers.StartSingleTimer(CursorTimer, new StoreConfirmationsNow(), _options.JournalRecheck);
            return;
        }
        PersistAsync(new OrdersDeliveredTogether(_unstored.Take().Select(OrdersDelivered.Of).ToList()), _ =>
        {
            _unstored.Stored();
            SnapshotIfDue(State.Snapshot);
            CursorStored();
            if (_unstored.Due) StoreConfirmations();
        });
    }
}
