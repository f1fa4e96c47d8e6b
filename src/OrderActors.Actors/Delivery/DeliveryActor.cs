using Akka.Actor;
using Akka.Cluster.Tools.PublishSubscribe;
using Akka.Event;
using Akka.Persistence;
using OrderActors.Actors.Persistence;
using OrderActors.Actors.Sharding;
using OrderActors.Actors.Units;
using OrderActors.Domain.Delivery;
using static OrderActors.Actors.Delivery.DeliveryProtocol;

namespace OrderActors.Actors.Delivery;

/// <summary>
/// The delivery of one unit queue, as a sharded persistent entity. Its state is the queue's delivered cursor
/// (<see cref="DeliveryCursor"/>): in <c>pull</c> mode the consumer's acks move it; in <c>webhook</c> mode this entity
/// pushes the queue's processed orders to the unit's endpoint, in seq order, one request in flight, and moves it
/// when the receiver answers 2xx. Either way the cursor is stored before anything is answered or sent next, so
/// after a crash delivery resumes from it (a request in flight then is sent again: receivers dedupe by deliveryId).
/// </summary>
public sealed class DeliveryActor : SnapshottingActor, IWithTimers
{
    private const string RetryTimer = "retry";
    private const string FeedTimer = "feed";

    private readonly DeliveryQueueId _id;
    private readonly DeliveryOptions _options;
    private readonly Func<IActorRef> _units;
    private readonly Func<IActorRef> _settingsRegion;
    private readonly HttpClient _http;
    private readonly RetrySchedule _retries;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly CancellationTokenSource _stopping = new();
    private DeliveryCursor _cursor = new();

    private UnitDelivery _settings;
    private bool _feedAsked;
    private WebhookRequest? _inFlight;
    private bool _sending; // an attempt of the request in flight is on the wire: never two at once
    private int _attempts;
    private string? _lastError;
    private string? _paused;

    private sealed record FeedTimeout;
    private sealed record RetryNow(string RequestId);
    private sealed record AttemptDone(string RequestId, WebhookAttempt Attempt);

    public DeliveryActor(DeliveryQueueId id, DeliveryOptions options, Func<IActorRef> units, Func<IActorRef> settingsRegion, HttpClient http)
    {
        (_id, _options, _units, _settingsRegion, _http) = (id, options, units, settingsRegion, http);
        _retries = new RetrySchedule(options.RetryFirst, options.RetryMax);
        _settings = new UnitDelivery(id.Queue.Unit, options.Defaults.GetValueOrDefault(id.Queue.Unit) ?? UnitDeliverySettings.Pull, 0);
        PersistenceId = id.PersistenceId;

        Recover<SnapshotOffer>(offer =>
        {
            _cursor = new DeliveryCursor();
            foreach (var mark in ((DeliverySnapshot)offer.Snapshot).Marks) _cursor.Apply(new DeliveredMark(mark.UpTo, mark.At));
        });
        Recover<OrdersDelivered>(e => _cursor.Apply(new DeliveredMark(e.UpTo, e.At)));
        Recover<RecoveryCompleted>(_ => AskSettings());

        Command<Ack>(ack =>
        {
            var outcome = _cursor.Decide(ack.UpTo, ack.ProcessedSeq);
            if (outcome != AckOutcome.Advanced)
            {
                Sender.Tell(new AckResult(_id.EntityId, outcome, _cursor.DeliveredUpTo));
                return;
            }
            var replyTo = Sender;
            StoreDelivered(ack.UpTo, () => replyTo.Tell(new AckResult(_id.EntityId, AckOutcome.Advanced, _cursor.DeliveredUpTo)));
        });
        Command<GetDelivered>(q => Sender.Tell(new Delivered(_id.EntityId, q.Seq, _cursor.DeliveredAt(q.Seq), _cursor.DeliveredUpTo)));
        Command<GetDeliveryStatus>(_ => Sender.Tell(new DeliveryStatus(_id.EntityId, _settings.Settings.Mode, _cursor.DeliveredUpTo,
            _inFlight?.LastSeq, _attempts, _lastError, _cursor.Marks.Count > 0 ? _cursor.Marks[^1].At : null, _paused)));
        Command<UnitDelivery>(OnSettings);
        Command<SubscribeAck>(_ => { });
        Command<UnitProtocol.FeedPage>(OnFeedPage);
        Command<FeedTimeout>(_ =>
        {
            _feedAsked = false;
            Push();
        });
        Command<AttemptDone>(OnAttemptDone);
        Command<RetryNow>(retry =>
        {
            if (_inFlight?.Id == retry.RequestId && CanPush && !_sending) Send();
        });
        Command<Wake>(_ =>
        {
            AskSettings();
            Push();
        });
        Command<StopEntity>(_ =>
        {
            _stopping.Cancel();
            DeferAsync(StopEntity.Instance, _ => Context.Stop(Self));
        });
        KeepOnlyLatestSnapshot();
    }

    public override string PersistenceId { get; }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props PropsFor(DeliveryQueueId id, DeliveryOptions options, Func<IActorRef> units, Func<IActorRef> settingsRegion, HttpClient http) =>
        Props.Create(() => new DeliveryActor(id, options, units, settingsRegion, http));

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

    private bool CanPush => _settings.Settings.Mode == DeliveryMode.Webhook && _paused is null;

    private void AskSettings() => _settingsRegion().Tell(new GetUnitDelivery(_id.Queue.Unit), Self);

    private void OnSettings(UnitDelivery update)
    {
        if (update.Unit != _id.Queue.Unit || update.Version < _settings.Version) return;
        var changed = update.Version != _settings.Version;
        _settings = update;
        if (changed)
        {
            _log.Info("{0}: delivery is {1}{2}", _id, update.Settings.Mode, update.Settings.Mode == DeliveryMode.Webhook ? $" to {update.Settings.Url}" : "");
            _paused = null;
            // to pull: the consumer reads from the cursor; a request on its way finishes first (its 2xx moves the cursor)
            if (update.Settings.Mode == DeliveryMode.Pull && !_sending) (_inFlight, _attempts) = (null, 0);
        }
        Push();
    }

    /// <summary>Asks the unit queue for the next orders after the cursor (a long-poll: it answers when there are some).</summary>
    private void Push()
    {
        if (!CanPush) return;
        if (_inFlight is not null)
        {
            // resumed (woken, settings changed): send it unless an attempt is out or a retry is scheduled
            if (!_sending && !Timers.IsTimerActive(RetryTimer)) Send();
            return;
        }
        if (_feedAsked) return;
        _feedAsked = true;
        var wait = _options.MaxFeedWait;
        _units().Tell(new UnitProtocol.GetFeed(_id.EntityId, _cursor.DeliveredUpTo, _settings.Settings.Batch, (int)wait.TotalMilliseconds), Self);
        Timers.StartSingleTimer(FeedTimer, new FeedTimeout(), wait + TimeSpan.FromSeconds(10));
    }

    private void OnFeedPage(UnitProtocol.FeedPage page)
    {
        if (!_feedAsked) return;
        _feedAsked = false;
        Timers.Cancel(FeedTimer);
        var entries = page.Entries.Where(e => e.Seq > _cursor.DeliveredUpTo).ToList();
        if (CanPush && entries.Count > 0)
        {
            (_inFlight, _attempts) = (WebhookRequest.For(_id.Queue, entries), 0);
            Send();
        }
        else Push();
    }

    private void Send()
    {
        var request = _inFlight!;
        _sending = true;
        _attempts++;
        request.SendAsync(_http, _settings.Settings, _stopping.Token)
            .PipeTo(Self, success: attempt => new AttemptDone(request.Id, attempt),
                failure: e => new AttemptDone(request.Id, new WebhookAttempt(null, null, e.Message)));
    }

    private void OnAttemptDone(AttemptDone done)
    {
        if (_inFlight?.Id != done.RequestId) return;
        _sending = false;
        var request = _inFlight;
        switch (WebhookOutcome.Classify(done.Attempt.Status))
        {
            case WebhookVerdict.Delivered:
                _lastError = null;
                StoreDelivered(request.LastSeq, () =>
                {
                    (_inFlight, _attempts) = (null, 0);
                    Push();
                });
                return;
            case WebhookVerdict.Gone:
                _paused = $"the receiver answered {done.Attempt.Error} (410 Gone): delivery paused until the unit's settings change";
                _lastError = done.Attempt.Error;
                _log.Warning("{0}: {1}", _id, _paused);
                return;
            case var _ when !CanPush:
                (_inFlight, _attempts, _lastError) = (null, 0, done.Attempt.Error); // switched to pull meanwhile
                return;
            default:
                _lastError = done.Attempt.Error;
                var wait = _retries.After(_attempts, done.Attempt.RetryAfter, Random.Shared);
                _log.Warning("{0}: orders {1}..{2} not delivered (attempt {3}: {4}); next attempt in {5:N1} s",
                    _id, request.FirstSeq, request.LastSeq, _attempts, done.Attempt.Error, wait.TotalSeconds);
                Timers.StartSingleTimer(RetryTimer, new RetryNow(request.Id), wait);
                return;
        }
    }

    private void StoreDelivered(long upTo, Action then) =>
        Persist(new OrdersDelivered(upTo, DateTimeOffset.UtcNow), stored =>
        {
            _cursor.Apply(new DeliveredMark(stored.UpTo, stored.At));
            if (LastSequenceNr % _options.SnapshotEvery == 0)
                SaveSnapshot(new DeliverySnapshot(_cursor.Marks.Select(m => new OrdersDelivered(m.UpTo, m.At)).ToList()));
            then();
        });
}
