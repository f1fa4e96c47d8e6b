using OrderActors.Domain.Routing;
using OrderActors.Domain.Units;

namespace OrderActors.Domain.Delivery;

/// <summary>
/// The webhook push of one unit queue as a state machine, without actors: each <see cref="Handle"/> takes an event and
/// the queue's durable state and returns what to do. It sends the queue's processed orders in seq order, one request
/// in flight, a parked order an operator retries before the next request; <see cref="WebhookPush"/> decides after
/// each attempt. It holds only the flow of the push (the feed read on its way, the request, its timer, the last
/// error, a receiver's 410): the cursor and the parked orders are the actor's durable state, changed through effects.
/// While the journal cannot be written it sends nothing, because the receiver's confirmations could not be stored.
/// </summary>
public sealed class WebhookPusher(UnitQueueAddress queue, int queues, RetrySchedule retries, TimeSpan maxFeedWait, TimeSpan journalRecheck,
    UnitDeliverySettings settings, Random random)
{
    private readonly WebhookPush _push = new(retries);
    private long _version;
    private string? _paused;
    private string? _gone; // a 410 paused the unit; until the settings say so, this queue holds itself
    private PushKind? _feedAsked; // what the feed read on its way is for
    private long _retrySeq;
    private WebhookBatch? _batch;
    private string? _sendingId; // an attempt on the wire: never two at once
    private DateTimeOffset? _retryAt;
    private bool _held;
    private List<PushEffect> _effects = new();

    public UnitDeliverySettings Settings { get; private set; } = settings;

    public PushRequest? InFlight => _push.InFlight;

    public string? LastError { get; private set; }

    /// <summary>When the request in flight is sent again (a retry, or the unit's rate limit), if it waits.</summary>
    public DateTimeOffset? NextAttemptAt => _retryAt;

    private bool CanPush => Settings.Mode == DeliveryMode.Webhook && _paused is null && _gone is null;

    /// <summary>Why this queue does not push: paused (by an operator, or by its receiver's 410), or held while the journal cannot be written.</summary>
    public string? PauseReason(string? journalProblem) => _paused ?? _gone
        ?? (CanPush && journalProblem is not null ? $"the journal cannot be written ({journalProblem}): pushing waits until it can, so that no " +
                                                    "confirmation is lost and no order is sent again" : null);

    /// <summary>Why an order not delivered yet waits, when pushing is failing or held (null otherwise).</summary>
    public string? Waiting(string? journalProblem) => Settings.Mode == DeliveryMode.Webhook ? PauseReason(journalProblem) ?? LastError : null;

    public IReadOnlyList<PushEffect> Handle(PushEvent e, PushView view)
    {
        var effects = _effects = new List<PushEffect>();
        switch (e)
        {
            case PushEvent.Kick:
                Push(view);
                break;
            case PushEvent.SettingsChanged s:
                OnSettings(s, view);
                break;
            case PushEvent.PageRead page:
                OnPage(page.Entries, view);
                break;
            case PushEvent.FeedTimedOut:
                _feedAsked = null;
                Push(view);
                break;
            case PushEvent.AttemptDone done:
                OnAttemptDone(done, view);
                break;
            case PushEvent.RetryDue retry when _batch?.Id == retry.RequestId:
                _retryAt = null;
                Push(view);
                break;
            case PushEvent.Replayed:
                // a request on its way finishes first (its answer is then dropped); the push starts over from the cursor
                (_batch, _feedAsked, _retryAt) = (null, null, null);
                _push.Reset();
                effects.Add(new PushEffect.CancelRetry());
                Push(view);
                break;
            case PushEvent.Applied:
                NextRequest(view);
                break;
        }
        return effects;
    }

    private void OnSettings(PushEvent.SettingsChanged update, PushView view)
    {
        if (update.Version < _version) return;
        var changed = update.Version != _version;
        var modeChanged = update.Settings != Settings;
        (Settings, _paused, _version) = (update.Settings, update.Paused, update.Version);
        if (changed)
        {
            _gone = null;
            if (modeChanged)
                Info($"delivery is {Settings.Mode}{(Settings.Mode == DeliveryMode.Webhook ? $" to {WebhookUrl.Masked(Settings.Url!)}" : "")}");
            if (update.Paused is { } pause) Info($"delivery paused: {pause}");
            // to pull: the consumer reads from the cursor; a request on its way finishes first (its 2xx moves the cursor)
            if (Settings.Mode == DeliveryMode.Pull && _sendingId is null) DropRequest();
        }
        Push(view);
    }

    /// <summary>Sends the request in flight, or reads what to send next: a parked order to retry, else the orders after the cursor (a long-poll).</summary>
    private void Push(PushView view)
    {
        if (!CanPush || _sendingId is not null || JournalHeld(view)) return;
        if (_batch is not null)
        {
            if (_retryAt is null) Send(_batch, view.Now);
            return;
        }
        var retry = view.Parked.NextRetry();
        // a parked order to send again does not wait for the long-poll on its way (its page, when it comes, is ignored)
        if (_feedAsked == PushKind.Stream && retry is not null) _feedAsked = null;
        if (_feedAsked is not null) return;
        if (retry is not null)
        {
            (_feedAsked, _retrySeq) = (PushKind.ParkedRetry, retry.Seq);
            _effects.Add(new PushEffect.ReadFeed(retry.Seq - 1, 1, TimeSpan.Zero));
        }
        else
        {
            _feedAsked = PushKind.Stream;
            _effects.Add(new PushEffect.ReadFeed(view.Cursor, _push.NextBatch(view.Cursor, Settings, queues), maxFeedWait));
        }
    }

    private bool JournalHeld(PushView view)
    {
        if (view.JournalProblem is null)
        {
            if (_held) Info($"the journal can be written again: pushing resumes from seq {view.Cursor + 1}");
            return _held = false;
        }
        if (!_held) Warn($"the journal cannot be written ({view.JournalProblem}): pushing waits until it can");
        _held = true;
        _effects.Add(new PushEffect.RecheckJournal(journalRecheck));
        return true;
    }

    private void OnPage(IReadOnlyList<FeedEntry> entries, PushView view)
    {
        switch (_feedAsked)
        {
            case PushKind.ParkedRetry:
                // a stream read asked before the retry may answer first: only the retried order's page is the answer
                if (entries.FirstOrDefault(e => e.Seq == _retrySeq) is not { } entry) return;
                _feedAsked = null;
                if (CanPush && view.Parked.Find(entry.Seq)?.State == ParkedState.Retrying) Begin([entry], PushKind.ParkedRetry);
                Push(view);
                return;
            case PushKind.Stream:
                _feedAsked = null;
                var fresh = entries.Where(e => e.Seq > view.Cursor).ToList();
                // a page read before a replay or a retry may not follow the cursor: read again
                if (CanPush && fresh.Count > 0 && fresh[0].Seq == view.Cursor + 1) Begin(fresh, PushKind.Stream);
                Push(view);
                return;
        }
    }

    private void Begin(IReadOnlyList<FeedEntry> entries, PushKind kind)
    {
        _batch = WebhookBatch.Of(queue, entries);
        _push.Begin(_batch.FirstSeq, _batch.LastSeq, kind);
    }

    private void Send(WebhookBatch batch, DateTimeOffset now)
    {
        var wait = _push.PaceWait(now);
        if (wait > TimeSpan.Zero)
        {
            // the unit's rate limit: the request goes when its share of the rate allows
            _retryAt = now + wait;
            _effects.Add(new PushEffect.ScheduleRetry(batch.Id, wait));
            return;
        }
        _push.Attempting(now, Settings, queues);
        _sendingId = batch.Id;
        _effects.Add(new PushEffect.Send(batch, Settings));
    }

    private void OnAttemptDone(PushEvent.AttemptDone done, PushView view)
    {
        if (_sendingId != done.RequestId) return;
        _sendingId = null;
        if (_batch is not { } batch || batch.Id != done.RequestId || _push.InFlight is not { } inFlight)
        {
            Push(view); // dropped while on its way (a replay)
            return;
        }
        var now = view.Now;
        var step = _push.Decide(done.Status, done.RetryAfter, done.Error, Settings, now, random);
        if (step is PushStep.Confirm)
        {
            LastError = null;
            _effects.Add(inFlight.Kind == PushKind.ParkedRetry
                ? new PushEffect.StoreParkedDelivered(batch.FirstSeq, now, inFlight.Attempts)
                : new PushEffect.Confirm(new DeliveredMark(batch.LastSeq, now, inFlight.Attempts), batch));
            return;
        }
        LastError = done.Error;
        if (Settings.Mode == DeliveryMode.Pull)
        {
            DropRequest(); // switched to pull while it was on its way
            return;
        }
        var orders = $"{batch.FirstSeq}..{batch.LastSeq}";
        switch (step)
        {
            case PushStep.Pause pause:
                _gone = pause.Reason;
                Warn(pause.Reason);
                _effects.Add(new PushEffect.PauseUnit(pause.Reason));
                return;
            case PushStep.NarrowDown:
                Warn($"the receiver refused orders {orders} ({done.Error}): sending them one by one, to park only the refused one");
                NextRequest(view);
                return;
            case PushStep.Park park:
                Warn($"parked orders {orders} after {inFlight.Attempts} attempts: {park.Error}");
                _effects.Add(new PushEffect.StorePark(batch.Entries.Select(e => new ParkedOrder(e.Seq, e.OrderId, park.Status, park.Error,
                    inFlight.Attempts, inFlight.FirstAttemptAt ?? now, now)).ToList()));
                return;
            case PushStep.RetryIn retry:
                _retryAt = now + retry.Wait;
                Warn($"orders {orders} not delivered (attempt {inFlight.Attempts}: {done.Error}); next attempt in {retry.Wait.TotalSeconds:N1} s");
                _effects.Add(new PushEffect.ScheduleRetry(batch.Id, retry.Wait));
                return;
        }
    }

    private void NextRequest(PushView view)
    {
        DropRequest();
        Push(view);
    }

    private void DropRequest()
    {
        if (_retryAt is not null) _effects.Add(new PushEffect.CancelRetry());
        (_batch, _retryAt) = (null, null);
        _push.Done();
    }

    private void Info(string text) => _effects.Add(new PushEffect.Log(false, text));

    private void Warn(string text) => _effects.Add(new PushEffect.Log(true, text));
}
