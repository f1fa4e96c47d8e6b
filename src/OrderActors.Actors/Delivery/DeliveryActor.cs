using Akka.Actor;
using Akka.Cluster.Tools.PublishSubscribe;
using Akka.Event;
using Akka.Persistence;
using OrderActors.Actors.Persistence;
using OrderActors.Actors.Sharding;
using OrderActors.Actors.Units;
using OrderActors.Domain.Delivery;
using OrderActors.Domain.Health;
using static OrderActors.Actors.Delivery.DeliveryProtocol;

namespace OrderActors.Actors.Delivery;

/// <summary>
/// The delivery of one unit queue, as a sharded persistent entity. Its state (<see cref="QueueDeliveryState"/>) is the
/// queue's cursor, its parked orders and the business progress reported: in <c>pull</c> mode the consumer's acks move
/// the cursor; in <c>webhook</c> mode this entity pushes the queue's processed orders to the unit's endpoint, in seq
/// order, one request in flight (<see cref="WebhookPush"/> decides after each attempt), and moves it when the receiver
/// answers 2xx. Whatever changes is stored before anything is answered, so after a crash delivery resumes from the
/// stored cursor (a request in flight then is sent again: receivers dedupe by deliveryId). The receiver's
/// confirmations are the exception: each moves the cursor at once and they are stored together
/// (<see cref="UnstoredConfirmations"/>), so a crash also sends again what was confirmed but not stored yet.
/// </summary>
public sealed class DeliveryActor : SnapshottingActor, IWithTimers
{
    private const string RetryTimer = "retry";
    private const string FeedTimer = "feed";
    private const string CursorTimer = "cursor";
    private const string JournalTimer = "journal";

    private readonly DeliveryQueueId _id;
    private readonly DeliveryOptions _options;
    private readonly int _unitQueues;
    private readonly Func<IActorRef> _units;
    private readonly Func<IActorRef> _settingsRegion;
    private readonly HttpClient _http;
    private readonly JournalHealth _journal;
    private readonly WebhookPush _push;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly CancellationTokenSource _stopping = new();
    private readonly QueueDeliveryState _state;
    private readonly UnstoredConfirmations _unstored;

    private UnitDelivery _settings;
    private PushKind? _feedAsked; // what the feed read on its way is for
    private long _retrySeq;
    private WebhookRequest? _request; // the body of the request in flight
    private string? _sendingId; // an attempt on the wire: never two at once
    private string? _lastError;
    private string? _gone; // a 410 paused the unit; until the settings entity has it, this queue holds itself
    private DateTimeOffset? _nextAttemptAt;
    private bool _held; // the last push found the journal unwritable (for logging the hold and its end once)

    private sealed record FeedTimeout;
    private sealed record RetryNow(string RequestId);
    private sealed record AttemptDone(string RequestId, WebhookAttempt Attempt);
    private sealed record StoreConfirmationsNow;
    private sealed record JournalCheck;

    public DeliveryActor(DeliveryQueueId id, DeliveryOptions options, int unitQueues, Func<IActorRef> units, Func<IActorRef> settingsRegion,
        HttpClient http, JournalHealth journal)
    {
        (_id, _options, _unitQueues, _units, _settingsRegion, _http, _journal) = (id, options, unitQueues, units, settingsRegion, http, journal);
        _push = new WebhookPush(new RetrySchedule(options.RetryFirst, options.RetryMax));
        _unstored = new UnstoredConfirmations(options.CursorStoreEvery);
        _state = new QueueDeliveryState(options.MarksKept);
        _settings = new UnitDelivery(id.Queue.Unit, options.Defaults.GetValueOrDefault(id.Queue.Unit) ?? UnitDeliverySettings.Pull, 0);
        PersistenceId = id.PersistenceId;

        Recover<SnapshotOffer>(offer =>
        {
            var s = (DeliverySnapshot)offer.Snapshot;
            _state.Restore(s.Marks.Select(m => m.ToMark()), s.Cursor, s.Parked ?? [],
                (s.History ?? []).Select(h => (h.Seq, h.Status)));
        });
        Recover<OrdersDelivered>(Apply);
        Recover<OrdersDeliveredTogether>(e =>
        {
            foreach (var mark in e.Marks) Apply(mark);
        });
        Recover<OrdersParked>(Apply);
        Recover<ParkedRetried>(Apply);
        Recover<ParkedArchived>(Apply);
        Recover<ParkedDelivered>(Apply);
        Recover<DeliveryReplayed>(Apply);
        Recover<OrderStatusReported>(Apply);
        Recover<RecoveryCompleted>(_ => AskSettings());

        Command<Ack>(ack =>
        {
            var outcome = Cursor.Decide(ack.UpTo, ack.ProcessedSeq);
            var replyTo = Sender;
            if (outcome != AckOutcome.Advanced) replyTo.Tell(new AckResult(_id.EntityId, outcome, Cursor.DeliveredUpTo));
            else Store(new OrdersDelivered(ack.UpTo, DateTimeOffset.UtcNow), Apply,
                () => replyTo.Tell(new AckResult(_id.EntityId, AckOutcome.Advanced, Cursor.DeliveredUpTo)));
        });
        Command<GetDelivered>(q =>
        {
            var d = _state.Of(q.Seq, _push.InFlight);
            var waiting = d.DeliveredAt is null && d.Parked is null && _settings.Settings.Mode == DeliveryMode.Webhook
                ? PauseReason ?? _lastError
                : null;
            Sender.Tell(new Delivered(_id.EntityId, q.Seq, d.DeliveredAt, Cursor.DeliveredUpTo, d.Attempts, d.Parked, d.History, waiting));
        });
        Command<GetDeliveryStatus>(_ => Sender.Tell(new DeliveryStatus(_id.EntityId, _settings.Settings.Mode, Cursor.DeliveredUpTo,
            _push.InFlight?.LastSeq, _push.InFlight?.Attempts ?? 0, _lastError, Cursor.Marks.Count > 0 ? Cursor.Marks[^1].At : null,
            PauseReason, _state.Parked.Open,
            Timers.IsTimerActive(RetryTimer) ? _nextAttemptAt : null)));
        Command<ListParked>(q => Sender.Tell(new ParkedList(_id.EntityId, _state.Parked.Matching(q.Filter).ToList())));
        Command<RetryParked>(retry => ChangeParked(_state.Parked.Retriable(retry.Seqs), seqs => new ParkedRetried(seqs, DateTimeOffset.UtcNow), Apply));
        Command<ArchiveParked>(archive => ChangeParked(_state.Parked.Archivable(archive.Seqs), seqs => new ParkedArchived(seqs, DateTimeOffset.UtcNow), Apply));
        Command<Replay>(replay =>
        {
            if (!Cursor.CanReplayFrom(replay.From)) Sender.Tell(new ReplayResult(_id.EntityId, false, Cursor.DeliveredUpTo));
            else
            {
                _log.Info("{0}: replay from seq {1} (the cursor was at {2})", _id, replay.From, Cursor.DeliveredUpTo);
                var replyTo = Sender;
                Store(new DeliveryReplayed(replay.From, DateTimeOffset.UtcNow), Apply, () =>
                {
                    // a request on its way finishes first (its answer is then dropped); the push starts over from the cursor
                    (_request, _feedAsked) = (null, null);
                    _push.Reset();
                    Timers.Cancel(RetryTimer);
                    replyTo.Tell(new ReplayResult(_id.EntityId, true, Cursor.DeliveredUpTo));
                });
            }
        });
        Command<ReportStatus>(report => StoreAndTell(new OrderStatusReported(report.Seq, report.Status), Apply,
            () => new StatusReported(_id.EntityId, report.Seq, _state.Of(report.Seq, null).History.ToList())));
        Command<UnitDelivery>(OnSettings);
        Command<SubscribeAck>(_ => { });
        Command<UnitProtocol.FeedPage>(OnFeedPage);
        Command<FeedTimeout>(_ =>
        {
            _feedAsked = null;
            Push();
        });
        Command<AttemptDone>(OnAttemptDone);
        Command<StoreConfirmationsNow>(_ => StoreConfirmations());
        Command<JournalCheck>(_ => Push());
        Command<RetryNow>(retry =>
        {
            if (_request?.Id == retry.RequestId) Push();
        });
        Command<Wake>(_ =>
        {
            AskSettings();
            Push();
        });
        Command<StopEntity>(_ =>
        {
            _stopping.Cancel();
            StoreConfirmations();
            DeferAsync(StopEntity.Instance, _ => Context.Stop(Self));
        });
        KeepOnlyLatestSnapshot();
    }

    public override string PersistenceId { get; }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props PropsFor(DeliveryQueueId id, DeliveryOptions options, int unitQueues, Func<IActorRef> units, Func<IActorRef> settingsRegion,
        HttpClient http, JournalHealth journal) =>
        Props.Create(() => new DeliveryActor(id, options, unitQueues, units, settingsRegion, http, journal));

    protected override void PreStart()
    {
        DistributedPubSub.Get(Context.System).Mediator.Tell(new Subscribe(SettingsTopic, Self));
        base.PreStart();
    }

    protected override void PostStop()
    {
        _stopping.Cancel();
        base.PostStop();
    }

    private DeliveryCursor Cursor => _state.Cursor;

    /// <summary>Why this queue does not push: paused (by an operator, or by its receiver's 410), or held while the journal cannot be written.</summary>
    private string? PauseReason => _settings.Paused?.Reason ?? _gone
        ?? (CanPush && !_journal.Writable ? $"the journal cannot be written ({_journal.Reason}): pushing waits until it can, so that no " +
                               "confirmation is lost and no order is sent again" : null);

    private bool CanPush => _settings.Settings.Mode == DeliveryMode.Webhook && _settings.Paused is null && _gone is null;

    private void AskSettings() => _settingsRegion().Tell(new GetUnitDelivery(_id.Queue.Unit), Self);

    private void OnSettings(UnitDelivery update)
    {
        if (update.Unit != _id.Queue.Unit || update.Version < _settings.Version) return;
        var changed = update.Version != _settings.Version;
        var modeChanged = update.Settings != _settings.Settings;
        _settings = update;
        if (changed)
        {
            _gone = null;
            if (modeChanged)
                _log.Info("{0}: delivery is {1}{2}", _id, update.Settings.Mode, update.Settings.Mode == DeliveryMode.Webhook ? $" to {WebhookUrl.Masked(update.Settings.Url!)}" : "");
            if (update.Paused is { } pause) _log.Info("{0}: delivery paused: {1}", _id, pause.Reason);
            // to pull: the consumer reads from the cursor; a request on its way finishes first (its 2xx moves the cursor)
            if (update.Settings.Mode == DeliveryMode.Pull && _sendingId is null) DropRequest();
        }
        Push();
    }

    /// <summary>Sends the request in flight, or reads what to send next: a parked order to retry, else the orders after the cursor (a long-poll).</summary>
    private void Push()
    {
        if (!CanPush || _sendingId is not null || JournalHeld()) return;
        if (_request is not null)
        {
            if (!Timers.IsTimerActive(RetryTimer)) Send();
            return;
        }
        // a parked order to send again does not wait for the long-poll on its way (its page, when it comes, is ignored)
        if (_feedAsked == PushKind.Stream && _state.Parked.NextRetry() is not null) EndFeed();
        if (_feedAsked is not null) return;
        if (_state.Parked.NextRetry() is { } retry)
        {
            (_feedAsked, _retrySeq) = (PushKind.ParkedRetry, retry.Seq);
            AskFeed(retry.Seq - 1, 1, TimeSpan.Zero);
        }
        else
        {
            _feedAsked = PushKind.Stream;
            AskFeed(Cursor.DeliveredUpTo, _push.NextBatch(Cursor.DeliveredUpTo, _settings.Settings, _unitQueues), _options.MaxFeedWait);
        }
    }

    /// <summary>
    /// While this node's journal cannot be written, a push waits: its receiver's confirmations could not be stored, and
    /// a queue that fails to store stops and starts again from its stored cursor, sending the same orders over and over.
    /// The status says why; the queue looks again every <c>journal-recheck</c>.
    /// </summary>
    private bool JournalHeld()
    {
        if (_journal.Writable)
        {
            if (_held) _log.Info("{0}: the journal can be written again: pushing resumes from seq {1}", _id, Cursor.DeliveredUpTo + 1);
            return _held = false;
        }
        if (!_held) _log.Warning("{0}: the journal cannot be written ({1}): pushing waits until it can", _id, _journal.Reason);
        _held = true;
        if (!Timers.IsTimerActive(JournalTimer)) Timers.StartSingleTimer(JournalTimer, new JournalCheck(), _options.JournalRecheck);
        return true;
    }

    private void AskFeed(long after, int limit, TimeSpan wait)
    {
        _units().Tell(new UnitProtocol.GetFeed(_id.EntityId, after, limit, (int)wait.TotalMilliseconds), Self);
        Timers.StartSingleTimer(FeedTimer, new FeedTimeout(), wait + TimeSpan.FromSeconds(10));
    }

    private void OnFeedPage(UnitProtocol.FeedPage page)
    {
        switch (_feedAsked)
        {
            case PushKind.ParkedRetry:
                // a stream read asked before the retry may answer first: only the retried order's page is the answer
                if (page.Entries.FirstOrDefault(e => e.Seq == _retrySeq) is not { } entry) return;
                EndFeed();
                if (CanPush && _state.Parked.Find(entry.Seq)?.State == ParkedState.Retrying)
                {
                    _push.Begin(entry.Seq, entry.Seq, PushKind.ParkedRetry);
                    _request = WebhookRequest.For(_id.Queue, [entry]);
                }
                Push();
                return;
            case PushKind.Stream:
                EndFeed();
                var entries = page.Entries.Where(e => e.Seq > Cursor.DeliveredUpTo).ToList();
                // a page read before a replay or a retry may not follow the cursor: read again
                if (CanPush && entries.Count > 0 && entries[0].Seq == Cursor.DeliveredUpTo + 1)
                {
                    _push.Begin(entries[0].Seq, entries[^1].Seq, PushKind.Stream);
                    _request = WebhookRequest.For(_id.Queue, entries);
                }
                Push();
                return;
        }
    }

    private void EndFeed()
    {
        _feedAsked = null;
        Timers.Cancel(FeedTimer);
    }

    private void Send()
    {
        var request = _request!;
        var wait = _push.PaceWait(DateTimeOffset.UtcNow);
        if (wait > TimeSpan.Zero)
        {
            // the unit's rate limit: the request goes when its share of the rate allows
            Timers.StartSingleTimer(RetryTimer, new RetryNow(request.Id), wait);
            return;
        }
        _push.Attempting(DateTimeOffset.UtcNow, _settings.Settings, _unitQueues);
        _sendingId = request.Id;
        request.SendAsync(_http, _settings.Settings, _stopping.Token)
            .PipeTo(Self, success: attempt => new AttemptDone(request.Id, attempt),
                failure: e => new AttemptDone(request.Id, new WebhookAttempt(null, null, e.Message)));
    }

    private void OnAttemptDone(AttemptDone done)
    {
        if (_sendingId != done.RequestId) return;
        _sendingId = null;
        if (_request?.Id != done.RequestId || _push.InFlight is not { } inFlight)
        {
            Push(); // dropped while on its way (a replay)
            return;
        }
        var request = _request;
        var now = DateTimeOffset.UtcNow;
        var a = done.Attempt;
        var step = _push.Decide(a.Status, a.RetryAfter, a.Error, _settings.Settings, now, Random.Shared);
        if (step is PushStep.Confirm)
        {
            _lastError = null;
            if (inFlight.Kind == PushKind.ParkedRetry)
                Store(new ParkedDelivered(request.FirstSeq, now, inFlight.Attempts), Apply, NextRequest);
            else
            {
                // the cursor moves now and the next request goes; the confirmation is stored with the next ones
                var mark = new DeliveredMark(request.LastSeq, now, inFlight.Attempts);
                _state.Delivered(mark);
                _unstored.Add(mark, inFlight.Orders);
                if (_unstored.Due) StoreConfirmations();
                else if (!Timers.IsTimerActive(CursorTimer)) Timers.StartSingleTimer(CursorTimer, new StoreConfirmationsNow(), _options.CursorStoreInterval);
                NextRequest();
            }
            return;
        }
        _lastError = a.Error;
        if (_settings.Settings.Mode == DeliveryMode.Pull)
        {
            DropRequest(); // switched to pull while it was on its way
            return;
        }
        switch (step)
        {
            case PushStep.Pause pause:
                _gone = pause.Reason;
                _log.Warning("{0}: {1}", _id, pause.Reason);
                _settingsRegion().Tell(new PauseUnitDelivery(_id.Queue.Unit, pause.Reason, ByReceiver: true), ActorRefs.NoSender);
                return;
            case PushStep.NarrowDown:
                _log.Warning("{0}: the receiver refused orders {1}..{2} ({3}): sending them one by one, to park only the refused one",
                    _id, request.FirstSeq, request.LastSeq, a.Error);
                NextRequest();
                return;
            case PushStep.Park park:
                var orders = request.OrderIds.Select((orderId, i) => new ParkedOrder(request.FirstSeq + i, orderId, park.Status, park.Error,
                    inFlight.Attempts, inFlight.FirstAttemptAt ?? now, now)).ToList();
                _log.Warning("{0}: parked orders {1}..{2} after {3} attempts: {4}", _id, request.FirstSeq, request.LastSeq, inFlight.Attempts, park.Error);
                Store(new OrdersParked(orders), Apply, NextRequest);
                return;
            case PushStep.RetryIn retry:
                _nextAttemptAt = now + retry.Wait;
                _log.Warning("{0}: orders {1}..{2} not delivered (attempt {3}: {4}); next attempt in {5:N1} s",
                    _id, request.FirstSeq, request.LastSeq, inFlight.Attempts, a.Error, retry.Wait.TotalSeconds);
                Timers.StartSingleTimer(RetryTimer, new RetryNow(request.Id), retry.Wait);
                return;
        }
    }

    private void NextRequest()
    {
        DropRequest();
        Push();
    }

    private void DropRequest()
    {
        _request = null;
        _push.Done();
    }

    // --- the stored events, applied the same way when stored and on recovery -------------------------------------

    private void Apply(OrdersDelivered e) => _state.Delivered(e.ToMark());

    private void Apply(OrdersParked e) => _state.ParkedNow(e.Orders);

    private void Apply(ParkedRetried e) => _state.Parked.Retry(e.Seqs);

    private void Apply(ParkedArchived e) => _state.Parked.Archive(e.Seqs, e.At);

    private void Apply(ParkedDelivered e) => _state.Parked.Delivered(e.Seq, e.At, e.Attempts);

    private void Apply(DeliveryReplayed e) => _state.Replayed(e.From);

    private void Apply(OrderStatusReported e) => _state.Reported(e.Seq, e.Status);

    /// <summary>Stores the event, then answers with what <paramref name="reply"/> makes of the state it left.</summary>
    private void StoreAndTell<TEvent>(TEvent e, Action<TEvent> apply, Func<object> reply) where TEvent : class
    {
        var replyTo = Sender;
        Store(e, apply, () =>
        {
            replyTo.Tell(reply());
            Push();
        });
    }

    /// <summary>A retry or an archive of the parked orders it applies to (none: nothing to store).</summary>
    private void ChangeParked<TEvent>(IReadOnlyList<long> seqs, Func<IReadOnlyList<long>, TEvent> change, Action<TEvent> apply) where TEvent : class
    {
        var changed = new ParkedChanged(_id.EntityId, seqs);
        if (seqs.Count == 0) Sender.Tell(changed);
        else StoreAndTell(change(seqs), apply, () => changed);
    }

    /// <summary>Stores the event (after the confirmations not stored yet, so that recovery applies them in this order), then applies it.</summary>
    private void Store<TEvent>(TEvent e, Action<TEvent> apply, Action then) where TEvent : class
    {
        StoreConfirmations();
        Persist(e, stored =>
        {
            apply(stored);
            SnapshotIfDue();
            then();
        });
    }

    /// <summary>Stores the receiver's confirmations not stored yet, in one event; they are applied already.</summary>
    private void StoreConfirmations()
    {
        Timers.Cancel(CursorTimer);
        if (!_unstored.Any) return;
        if (!_journal.Writable && !_stopping.IsCancellationRequested)
        {
            // a write now would fail and stop the queue: keep them (applied, in memory) until the journal takes them
            Timers.StartSingleTimer(CursorTimer, new StoreConfirmationsNow(), _options.JournalRecheck);
            return;
        }
        PersistAsync(new OrdersDeliveredTogether(_unstored.Take().Select(OrdersDelivered.Of).ToList()), _ =>
        {
            _unstored.Stored();
            SnapshotIfDue();
            if (_unstored.Due) StoreConfirmations();
        });
    }

    private void SnapshotIfDue()
    {
        if (LastSequenceNr % _options.SnapshotEvery == 0) SaveSnapshot(Snapshot());
    }

    private DeliverySnapshot Snapshot() => new(
        Cursor.Marks.Select(OrdersDelivered.Of).ToList(), Cursor.DeliveredUpTo,
        _state.Parked.All.ToList(), _state.History.SelectMany(kv => kv.Value.Select(s => new OrderStatusReported(kv.Key, s))).ToList());
}
