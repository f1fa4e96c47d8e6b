using System.Diagnostics;
using Akka.Actor;
using Akka.Cluster.Tools.PublishSubscribe;
using Akka.Event;
using Akka.Persistence;
using OrderActors.Actors.Sharding;
using OrderActors.Actors.Telemetry;
using OrderActors.Actors.Units;
using OrderActors.Domain.Delivery;
using OrderActors.Domain.Health;
using static OrderActors.Actors.Delivery.DeliveryProtocol;

namespace OrderActors.Actors.Delivery;

/// <summary>
/// The delivery of one unit queue, as a sharded persistent entity. Its state (<see cref="QueueDeliveryState"/>) is the
/// queue's cursor, its parked orders and the business progress reported: in <c>pull</c> mode the consumer's acks move
/// the cursor; in <c>webhook</c> mode <see cref="WebhookPusher"/> pushes the queue's processed orders to the unit's
/// endpoint and this entity carries out what it asks. What it stores (<see cref="DeliveryJournalActor"/>) is what a
/// restart resumes from: a request in flight at a crash, or confirmed but not stored yet, is sent again (receivers
/// dedupe by deliveryId).
/// </summary>
public sealed class DeliveryActor : DeliveryJournalActor
{
    private const string RetryTimer = "retry", FeedTimer = "feed", JournalTimer = "journal";

    private readonly Func<IActorRef> _units;
    private readonly Func<IActorRef> _settingsRegion;
    private readonly HttpClient _http;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly WebhookPusher _pusher;
    private readonly TimeSpan _feedGrace;
    private readonly DeliveryMetrics _metrics;
    private readonly KeyValuePair<string, object?> _unitTag;
    private readonly KeyValuePair<string, object?>[] _tags;

    public DeliveryActor(DeliveryQueueId id, DeliveryOptions options, int unitQueues, Func<IActorRef> units, Func<IActorRef> settingsRegion,
        HttpClient http, JournalHealth journal, DeliveryMetrics? metrics = null) : base(id, options, journal)
    {
        (_units, _settingsRegion, _http, _feedGrace) = (units, settingsRegion, http, options.FeedGrace);
        (_metrics, _unitTag, _tags) = (metrics ?? new DeliveryMetrics(), new("unit", id.Queue.Unit), Telemetry.QueueGauges.Tags(id.Queue.Unit, id.Queue.Queue));
        _pusher = new WebhookPusher(id.Queue, unitQueues, new RetrySchedule(options.RetryFirst, options.RetryMax), options.MaxFeedWait,
            options.JournalRecheck, options.Defaults.GetValueOrDefault(id.Queue.Unit) ?? UnitDeliverySettings.Pull, Random.Shared);

        Recover<RecoveryCompleted>(_ =>
        {
            ReportGauges();
            AskSettings();
        });
        Command<Ack>(ack =>
        {
            var outcome = Cursor.Decide(ack.UpTo, ack.ProcessedSeq);
            if (outcome != AckOutcome.Advanced) Sender.Tell(new AckResult(Id.EntityId, outcome, Cursor.DeliveredUpTo));
            else
            {
                _metrics.Confirmed(_unitTag, ack.UpTo - Cursor.DeliveredUpTo);
                StoreAndTell(new OrdersDelivered(ack.UpTo, DateTimeOffset.UtcNow), () => new AckResult(Id.EntityId, AckOutcome.Advanced, Cursor.DeliveredUpTo));
            }
        });
        Command<GetDelivered>(q => Sender.Tell(State.DeliveredOf(Id.EntityId, q.Seq, _pusher, JournalProblem, ConfirmationStored)));
        Command<GetDeliveryStatus>(_ => Sender.Tell(State.StatusOf(Id.EntityId, _pusher, JournalProblem)));
        Command<ListParked>(q => Sender.Tell(new ParkedList(Id.EntityId, State.Parked.Matching(q.Filter).ToList())));
        Command<RetryParked>(retry => ChangeParked(State.Parked.Retriable(retry.Seqs), seqs => new ParkedRetried(seqs, DateTimeOffset.UtcNow)));
        Command<ArchiveParked>(archive => ChangeParked(State.Parked.Archivable(archive.Seqs), seqs => new ParkedArchived(seqs, DateTimeOffset.UtcNow)));
        Command<Replay>(replay =>
        {
            if (!Cursor.CanReplayFrom(replay.From))
            {
                Sender.Tell(new ReplayResult(Id.EntityId, false, Cursor.DeliveredUpTo));
                return;
            }
            _log.Info("{0}: replay from seq {1} (the cursor was at {2})", Id, replay.From, Cursor.DeliveredUpTo);
            var replyTo = Sender;
            Store(new DeliveryReplayed(replay.From, DateTimeOffset.UtcNow), () =>
            {
                replyTo.Tell(new ReplayResult(Id.EntityId, true, Cursor.DeliveredUpTo));
                Push(new PushEvent.Replayed());
            });
        });
        Command<ReportStatus>(report => StoreAndTell(new OrderStatusReported(report.Seq, report.Status),
            () => new StatusReported(Id.EntityId, report.Seq, State.Of(report.Seq, null).History.ToList())));
        Command<UnitDelivery>(update =>
        {
            if (update.Unit == Id.Queue.Unit) Push(new PushEvent.SettingsChanged(update.Settings, update.Paused?.Reason, update.Version));
        });
        Command<SubscribeAck>(_ => { });
        Command<UnitProtocol.FeedPage>(page => Push(new PushEvent.PageRead(page.Entries)));
        Command<PushEvent>(Push); // the pusher's timers and attempts
        Command<AttemptFailed>(failed => RecordFailedAttempt(failed.Attempt));
        Command<Wake>(_ =>
        {
            CursorStored(); // and again at every wake: a unit queue that restarted learns it again
            AskSettings();
            Push(new PushEvent.Kick());
        });
    }

    /// <summary>A webhook attempt did not deliver: to be stored for the orders' traces (told just before its <see cref="PushEvent.AttemptDone"/>).</summary>
    private sealed record AttemptFailed(FailedAttempt Attempt);

    public static Props PropsFor(DeliveryQueueId id, DeliveryOptions options, int unitQueues, Func<IActorRef> units, Func<IActorRef> settingsRegion,
        HttpClient http, JournalHealth journal, DeliveryMetrics? metrics = null) =>
        Props.Create(() => new DeliveryActor(id, options, unitQueues, units, settingsRegion, http, journal, metrics));

    protected override void PreStart()
    {
        DistributedPubSub.Get(Context.System).Mediator.Tell(new Subscribe(SettingsTopic, Self));
        base.PreStart();
    }

    protected override void PostStop()
    {
        // handed off: the node that takes it over reports it
        _metrics.Parked.Remove(Id.EntityId);
        _metrics.Paused.Remove(Id.EntityId);
        base.PostStop();
    }

    /// <summary>Tells the unit queue how far its orders are delivered, for its delivery lag gauges.</summary>
    protected override void CursorStored() =>
        _units().Tell(new UnitProtocol.DeliveryProgress(Id.Queue.EntityId, Cursor.DeliveredUpTo), ActorRefs.NoSender);

    /// <summary>Sets this queue's gauges: its open parked orders, and whether its pushing is paused.</summary>
    private void ReportGauges()
    {
        _metrics.Parked.Set(Id.EntityId, _tags, State.Parked.Open, null);
        var paused = _pusher.Settings.Mode == DeliveryMode.Webhook && _pusher.PauseReason(JournalProblem) is not null;
        _metrics.Paused.Set(Id.EntityId, _tags, paused ? 1 : 0, null);
    }

    private string? JournalProblem => JournalHealth.Writable ? null : JournalHealth.Reason ?? "unwritable";

    private void AskSettings() => _settingsRegion().Tell(new GetUnitDelivery(Id.Queue.Unit), Self);

    /// <summary>Tells the pusher, and carries out what it asks, in order.</summary>
    private void Push(PushEvent e)
    {
        foreach (var effect in _pusher.Handle(e, new PushView(Cursor.DeliveredUpTo, State.Parked, JournalProblem, DateTimeOffset.UtcNow)))
        {
            if (e is PushEvent.AttemptDone && effect is PushEffect.ScheduleRetry) _metrics.RetryScheduled(_unitTag);
            Run(effect);
        }
        // not on every feed page or attempt: the parked orders change by their stores (below), a pause by the settings,
        // and a wake (every wake-interval) catches the journal's state
        if (e is PushEvent.SettingsChanged or PushEvent.Kick or PushEvent.Replayed) ReportGauges();
    }

    private void Run(PushEffect effect)
    {
        switch (effect)
        {
            case PushEffect.ReadFeed read:
                _units().Tell(new UnitProtocol.GetFeed(Id.EntityId, read.After, read.Limit, (int)read.Wait.TotalMilliseconds), Self);
                Timers.StartSingleTimer(FeedTimer, new PushEvent.FeedTimedOut(), read.Wait + _feedGrace);
                break;
            case PushEffect.Send send:
                var request = WebhookRequest.For(Id.Queue, send.Batch);
                var (metrics, unit, started, self, batch) = (_metrics, _unitTag, Stopwatch.GetTimestamp(), Self, send.Batch);
                var sentAt = DateTimeOffset.UtcNow;
                FailedAttempt Failed(int? status, string error) =>
                    new(batch.FirstSeq, batch.LastSeq, sentAt, status, error, (int)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                request.SendAsync(_http, send.Settings, Stopping.Token).PipeTo(Self,
                    success: a =>
                    {
                        metrics.Attempt(unit, a.Status, a.TimedOut, Buckets.Since(started));
                        if (a.Status is not (>= 200 and < 300)) self.Tell(new AttemptFailed(Failed(a.Status, a.Error ?? $"{a.Status}")));
                        return new PushEvent.AttemptDone(request.Id, a.Status, a.RetryAfter, a.Error);
                    },
                    failure: e =>
                    {
                        self.Tell(new AttemptFailed(Failed(null, e.Message)));
                        return new PushEvent.AttemptDone(request.Id, null, null, e.Message);
                    });
                break;
            case PushEffect.ScheduleRetry retry:
                Timers.StartSingleTimer(RetryTimer, new PushEvent.RetryDue(retry.RequestId), retry.After);
                break;
            case PushEffect.CancelRetry:
                Timers.Cancel(RetryTimer);
                break;
            case PushEffect.RecheckJournal recheck:
                if (!Timers.IsTimerActive(JournalTimer)) Timers.StartSingleTimer(JournalTimer, new PushEvent.Kick(), recheck.After);
                break;
            case PushEffect.Confirm confirm:
                _metrics.Delivered(_unitTag, confirm.Batch.Entries, confirm.Mark.At);
                Confirm(confirm.Mark, confirm.Batch.Entries.Count);
                Push(new PushEvent.Applied());
                break;
            case PushEffect.StoreParkedDelivered delivered:
                _metrics.Confirmed(_unitTag, 1);
                Store(new ParkedDelivered(delivered.Seq, delivered.At, delivered.Attempts), () =>
                {
                    ReportGauges();
                    Push(new PushEvent.Applied());
                });
                break;
            case PushEffect.StorePark park:
                _metrics.ParkedOrders(_unitTag, park.Orders.Count);
                Store(new OrdersParked(park.Orders), () =>
                {
                    ReportGauges();
                    Push(new PushEvent.Applied());
                });
                break;
            case PushEffect.PauseUnit pause:
                _settingsRegion().Tell(new PauseUnitDelivery(Id.Queue.Unit, pause.Reason, ByReceiver: true), ActorRefs.NoSender);
                break;
            case PushEffect.Log log:
                if (log.Warning) _log.Warning("{0}: {1}", Id, log.Text);
                else _log.Info("{0}: {1}", Id, log.Text);
                break;
        }
    }

    /// <summary>Stores the event, then answers with what <paramref name="reply"/> makes of the state it left.</summary>
    private void StoreAndTell(IDeliveryEvent e, Func<object> reply)
    {
        var replyTo = Sender;
        Store(e, () =>
        {
            replyTo.Tell(reply());
            Push(new PushEvent.Kick());
        });
    }

    /// <summary>A retry or an archive of the parked orders it applies to (none: nothing to store).</summary>
    private void ChangeParked(IReadOnlyList<long> seqs, Func<IReadOnlyList<long>, IDeliveryEvent> change)
    {
        var changed = new ParkedChanged(Id.EntityId, seqs);
        if (seqs.Count == 0) Sender.Tell(changed);
        else StoreAndTell(change(seqs), () => changed);
    }
}
