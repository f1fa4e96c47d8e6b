using Akka.Actor;
using Akka.Hosting;
using OrderActors.Actors.Ingest;
using OrderActors.Domain.Ingest;
using OrderActors.Domain.Routing;

namespace OrderActors.Node.Ingest;

/// <summary>
/// Gathers the submissions of concurrent HTTP requests into one <see cref="IngestProtocol.SubmitOrders"/> per first
/// queue (node-side group commit). While a first queue is storing a batch from this node, the submissions that
/// arrive for it wait here and leave together as the next batch, so under load one ask, one sharding hop and one
/// journal write serve many requests; an idle node sends each submission at once.
/// It holds nothing durable: a submission is only accepted once the first queue has stored it, and a request whose
/// batch fails (timeout, node leaving) gets the error and is retried by its client like any other 503.
/// </summary>
public sealed class IntakeBatcher
{
    private readonly IRequiredActor<IngestRegion> _ingest;
    private readonly IngestOptions _options;
    private readonly RoutingDirectory _routing;
    private readonly Lane[] _lanes;

    public IntakeBatcher(IRequiredActor<IngestRegion> ingest, IngestOptions options, RoutingDirectory routing)
    {
        _ingest = ingest;
        _options = options;
        _routing = routing;
        _lanes = FirstQueueId.All(options.Queues).Select(q => new Lane(q)).ToArray();
    }

    /// <summary>
    /// Whether a first queue is full (it throttled orders within the last <see cref="IngestOptions.FullFor"/>) or has too many orders
    /// waiting here for it.
    /// Intake then refuses requests before reading them, so an overloaded node spends nothing on orders it would
    /// refuse anyway, and its memory stays bounded by what it has taken in.
    /// </summary>
    public bool Saturated => _lanes.Any(l => l.Full || Crowded(l));

    private bool Crowded(Lane lane) => lane.Waiting >= _options.MaxWaitingBatches * _options.BatchMaxOrders;

    /// <summary>
    /// Submits one order to first queue <paramref name="queue"/>; completes once it is decided (and, if new, stored).
    /// When more than <see cref="IngestOptions.MaxWaitingBatches"/> full batches already wait here for that queue, the order is
    /// throttled at once: the node does not queue without bound in front of a busy first queue.
    /// </summary>
    public Task<IngestProtocol.SubmitOutcome> SubmitAsync(FirstQueueId queue, Submission submission)
    {
        var lane = _lanes[queue.Queue];
        if (Crowded(lane))
            return Task.FromResult(new IngestProtocol.SubmitOutcome(submission.Order.OrderId, AdmitDecision.Throttled, queue.Queue));
        var pending = new Pending(submission, new TaskCompletionSource<IngestProtocol.SubmitOutcome>(TaskCreationOptions.RunContinuationsAsynchronously));
        List<Pending>? batch;
        lock (lane)
        {
            lane.Add(pending);
            batch = lane.Sending ? null : lane.TakeBatch(_options.BatchMaxOrders);
        }
        if (batch is not null) _ = SendAsync(lane, batch);
        return pending.Outcome.Task;
    }

    private async Task SendAsync(Lane lane, List<Pending>? batch)
    {
        while (batch is not null)
        {
            try
            {
                var region = await _ingest.GetAsync();
                // the live version now is the one the orders were checked against or a later one: they are routed by it or later
                var command = new IngestProtocol.SubmitOrders(lane.Queue.EntityId, batch.Select(p => p.Submission).ToList(), _routing.LiveVersion.Version);
                var reply = await region.Ask<IngestProtocol.SubmitResults>(command, _options.SubmitTimeout);
                if (reply.Outcomes.Any(o => o.Decision == AdmitDecision.Throttled)) lane.MarkFull(_options.FullFor);
                for (var i = 0; i < batch.Count; i++) batch[i].Outcome.TrySetResult(reply.Outcomes[i]);
            }
            catch (Exception e)
            {
                foreach (var p in batch) p.Outcome.TrySetException(e);
            }
            lock (lane) batch = lane.TakeBatch(_options.BatchMaxOrders);
        }
    }

    private sealed record Pending(Submission Submission, TaskCompletionSource<IngestProtocol.SubmitOutcome> Outcome);

    /// <summary>One first queue's submissions waiting here; guarded by locking the lane.</summary>
    private sealed class Lane(FirstQueueId queue)
    {
        private List<Pending> _waiting = new();

        public FirstQueueId Queue { get; } = queue;

        /// <summary>Whether a batch of this lane is on its way to the first queue.</summary>
        public bool Sending { get; private set; }

        private long _fullUntil;

        /// <summary>Whether the first queue throttled orders lately.</summary>
        public bool Full => Environment.TickCount64 < Volatile.Read(ref _fullUntil);

        public void MarkFull(TimeSpan period) => Volatile.Write(ref _fullUntil, Environment.TickCount64 + (long)period.TotalMilliseconds);

        public int Waiting => Volatile.Read(ref _waiting).Count;

        public void Add(Pending pending) => _waiting.Add(pending);

        /// <summary>Takes up to <paramref name="max"/> waiting submissions as the next batch, or ends sending when none wait.</summary>
        public List<Pending>? TakeBatch(int max)
        {
            if (_waiting.Count == 0)
            {
                Sending = false;
                return null;
            }
            Sending = true;
            if (_waiting.Count <= max)
            {
                var all = _waiting;
                _waiting = new List<Pending>();
                return all;
            }
            var batch = _waiting.GetRange(0, max);
            _waiting.RemoveRange(0, max);
            return batch;
        }
    }
}
