namespace OrderActors.Domain.Delivery;

/// <summary>What a webhook request carries: the queue's next orders, one order while narrowing a refused batch down, or a parked order sent again.</summary>
public enum PushKind
{
    Stream,
    Narrowing,
    ParkedRetry,
}

/// <summary>The request a queue has in flight: its seqs, what it is, and its attempts so far.</summary>
public sealed record PushRequest(long FirstSeq, long LastSeq, PushKind Kind, int Attempts, DateTimeOffset? FirstAttemptAt)
{
    public int Orders => (int)(LastSeq - FirstSeq + 1);
}

/// <summary>What to do after an attempt.</summary>
public abstract record PushStep
{
    /// <summary>The receiver has the request's orders: store that (the cursor moves, or the parked order is delivered).</summary>
    public sealed record Confirm : PushStep;

    /// <summary>Park every order of the request with the last status and error; the queue goes on.</summary>
    public sealed record Park(int? Status, string Error) : PushStep;

    /// <summary>The receiver refused a request of several orders: send them again one by one, so only the refused one is parked.</summary>
    public sealed record NarrowDown : PushStep;

    public sealed record RetryIn(TimeSpan Wait) : PushStep;

    /// <summary>410 Gone: the unit's delivery pauses, with this reason, until an operator resumes it or changes the settings.</summary>
    public sealed record Pause(string Reason) : PushStep;
}

/// <summary>
/// The webhook push of one unit queue, without actors: the request in flight and its attempts, the narrowing down of a
/// refused batch, the unit's failure policy (<see cref="FailurePolicy.Block"/>: retry without limit, strict order;
/// <see cref="FailurePolicy.Park"/>: park after <c>maxAttempts</c> or <c>maxAge</c>, or at once when refused) and
/// its rate limit. Only the cursor and parked orders are durable; after a restart a refused batch is narrowed again.
/// </summary>
public sealed class WebhookPush(RetrySchedule retries)
{
    private long _narrowUntil;
    private DateTimeOffset _nextAllowed = DateTimeOffset.MinValue;

    public PushRequest? InFlight { get; private set; }

    /// <summary>How many orders the next stream request after <paramref name="cursor"/> may carry.</summary>
    public int NextBatch(long cursor, UnitDeliverySettings settings, int queues)
    {
        if (cursor < _narrowUntil) return 1;
        var perQueue = PerQueueRate(settings, queues);
        return perQueue > 0 ? (int)Math.Clamp(Math.Floor(perQueue), 1, settings.Batch) : settings.Batch;
    }

    /// <summary>How long to wait before a request may be sent under the unit's rate limit (shared evenly by its queues).</summary>
    public TimeSpan PaceWait(DateTimeOffset now) => _nextAllowed > now ? _nextAllowed - now : TimeSpan.Zero;

    /// <summary>Starts a new request (its attempts count from zero).</summary>
    public PushRequest Begin(long firstSeq, long lastSeq, PushKind kind)
    {
        if (kind == PushKind.Stream && firstSeq <= _narrowUntil) kind = PushKind.Narrowing;
        return InFlight = new PushRequest(firstSeq, lastSeq, kind, 0, null);
    }

    /// <summary>An attempt of the request in flight goes out now; the rate limit counts its orders.</summary>
    public void Attempting(DateTimeOffset now, UnitDeliverySettings settings, int queues)
    {
        var r = InFlight ?? throw new InvalidOperationException("no request in flight");
        InFlight = r with { Attempts = r.Attempts + 1, FirstAttemptAt = r.FirstAttemptAt ?? now };
        var perQueue = PerQueueRate(settings, queues);
        if (perQueue > 0) _nextAllowed = (now > _nextAllowed ? now : _nextAllowed) + TimeSpan.FromSeconds(r.Orders / perQueue);
    }

    /// <summary>Forgets the request in flight (handled, or dropped by a replay or a switch to pull).</summary>
    public void Done() => InFlight = null;

    /// <summary>Forgets a narrowing in progress (a replay starts the queue over).</summary>
    public void Reset()
    {
        InFlight = null;
        _narrowUntil = 0;
    }

    /// <summary>What to do after the attempt that got <paramref name="status"/> (null: no answer).</summary>
    public PushStep Decide(int? status, TimeSpan? retryAfter, string? error, UnitDeliverySettings settings, DateTimeOffset now, Random random)
    {
        var r = InFlight ?? throw new InvalidOperationException("no request in flight");
        var reason = error ?? (status is { } s ? s.ToString() : "no answer");
        // a parked order sent again is judged by the park rules whatever the policy is now: it never blocks the queue
        var parks = settings.OnFailure == FailurePolicy.Park || r.Kind == PushKind.ParkedRetry;
        switch (WebhookOutcome.Classify(status))
        {
            case WebhookVerdict.Delivered:
                return new PushStep.Confirm();
            case WebhookVerdict.Gone:
                return new PushStep.Pause($"the receiver answered {reason} (410 Gone): delivery paused until resumed or the settings change");
            case WebhookVerdict.Permanent when parks:
                if (r.Orders == 1) return new PushStep.Park(status, reason);
                _narrowUntil = Math.Max(_narrowUntil, r.LastSeq);
                return new PushStep.NarrowDown();
            default:
                var age = now - (r.FirstAttemptAt ?? now);
                if (parks && (r.Attempts >= settings.MaxAttempts || settings.MaxAge is { } max && age >= max))
                    return new PushStep.Park(status, reason);
                return new PushStep.RetryIn(retries.After(r.Attempts, retryAfter, random));
        }
    }

    private static double PerQueueRate(UnitDeliverySettings settings, int queues) =>
        settings.RateLimit > 0 ? settings.RateLimit / Math.Max(1, queues) : 0;
}
