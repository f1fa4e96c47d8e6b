using Akka.Actor;
using Akka.Persistence;
using OrderActors.Actors.Persistence;
using OrderActors.Actors.Sharding;
using OrderActors.Domain.Ingest;
using OrderActors.Domain.Queues;
using OrderActors.Domain.Routing;
using OrderActors.Domain.Units;
using static OrderActors.Actors.Units.UnitProtocol;

namespace OrderActors.Actors.Units;

/// <summary>
/// The durable half of a unit queue: its <see cref="UnitQueueLedger"/>, recovered from its snapshot and events, the
/// writes that record orders and mark them processed, and the reads of what it holds (a feed page, an order's status),
/// from memory or, for entries no longer kept there, from the events that stored them. Orders are recorded as
/// references to the first queue's events that hold their bodies (<see cref="OrderRefsQueued"/>), so each body is
/// stored once; the entries in memory keep their bodies, and after a recovery the ones recorded by reference since
/// the snapshot are read back from the first queues before the queue takes its next command
/// (<see cref="QueuedOrdersReader"/>).
/// </summary>
public abstract class UnitQueueJournalActor : SnapshottingActor
{
    private readonly SnapshotSchedule _snapshots;
    private readonly KeyValuePair<string, object?> _unitTag;
    private readonly KeyValuePair<string, object?>[] _tags;

    protected UnitQueueJournalActor(UnitQueueAddress address, UnitsOptions options, UnitsMetrics? metrics)
    {
        (EntityId, Options, Metrics) = (address.EntityId, options, metrics ?? new UnitsMetrics());
        (_unitTag, _tags) = (new("unit", address.Unit), Telemetry.QueueGauges.Tags(address.Unit, address.Queue));
        PersistenceId = address.PersistenceId;
        Ledger = new UnitQueueLedger(options.RetainProcessed);
        _snapshots = SnapshotSchedule.For(PersistenceId, options.SnapshotEvery);

        Recover<SnapshotOffer>(offer =>
        {
            Ledger = UnitQueueLedger.FromState(((UnitQueueSnapshot)offer.Snapshot).State, options.RetainProcessed);
            _snapshots.LastAt = Ledger.LastSeq;
        });
        Recover<OrdersQueued>(e => Ledger.Record(e.Entries, LastSequenceNr));
        Recover<OrderRefsQueued>(e => Ledger.Record(e.Refs, LastSequenceNr));
        Recover<OrdersProcessed>(e => Ledger.MarkProcessed(e.UpToSeq, e.At, e.NextBatchEnd));
        Command<GetUnitOrderStatus>(AnswerStatus);
        Command<GetUnitStats>(_ => Sender.Tell(new UnitQueueStats(EntityId, Ledger.LastSeq, Ledger.ProcessedSeq, Ledger.Depth)));
        KeepOnlyLatestSnapshot();
    }

    public override string PersistenceId { get; }

    protected string EntityId { get; }

    protected UnitsOptions Options { get; }

    protected UnitQueueLedger Ledger { get; private set; }

    protected UnitsMetrics Metrics { get; }

    /// <summary>How far the queue's delivery entity has stored its confirmations (null: not told yet since this start).</summary>
    protected long? DeliveredUpTo { get; set; }

    /// <summary>Sets this queue's gauges: what is recorded and not processed yet, what is processed and not delivered, and since when.</summary>
    protected void ReportDepth()
    {
        Metrics.UnitQueues.Set(EntityId, _tags, Ledger.Depth, Ledger.OldestUnprocessedAt);
        if (DeliveredUpTo is not { } delivered) return;
        var undelivered = Math.Max(0, Ledger.ProcessedSeq - delivered);
        Metrics.Undelivered.Set(EntityId, _tags, undelivered, undelivered > 0 ? Ledger.ProcessedAtOf(delivered + 1) : null);
    }

    protected override void PostStop()
    {
        // handed off: the node that takes it over reports it
        Metrics.UnitQueues.Remove(EntityId);
        Metrics.Undelivered.Remove(EntityId);
        base.PostStop();
    }

    /// <summary>
    /// After recovery: reads the bodies of the entries in memory that were recorded by reference, stashing every
    /// command meanwhile, then <paramref name="then"/>. A failed read restarts the queue (and so tries again).
    /// </summary>
    protected void ReadBodiesThen(Action then)
    {
        var unresolved = Ledger.Unresolved();
        if (unresolved.Count == 0)
        {
            then();
            return;
        }
        Context.ActorOf(QueuedOrdersReader.Bodies(unresolved, Options.FirstQueueJournal, entries => new BodiesRead(entries), Self, ReadBackTimeout));
        BecomeStacked(() =>
        {
            Command<BodiesRead>(read =>
            {
                Ledger.Resolve(read.Entries);
                UnbecomeStacked();
                Stash.UnstashAll();
                then();
            });
            Command<Status.Failure>(failed => throw new InvalidOperationException(
                $"{PersistenceId}: reading the bodies of {unresolved.Count} orders recorded by reference failed: {failed.Cause.Message}", failed.Cause));
            CommandAny(_ => Stash.Stash());
        });
    }

    /// <summary>
    /// Records the orders (each once, with the next seqs), then <paramref name="then"/>: as references to the first
    /// queue <paramref name="sourceQueue"/>'s events <paramref name="storedIn"/> where it can, else with their bodies.
    /// </summary>
    protected void Record(IReadOnlyList<FeedEntry> fresh, int sourceQueue, IReadOnlyList<StoredBatch>? storedIn, Action then)
    {
        if (Options.StoreReferences && storedIn is not null && QueuedRefs.Of(fresh, sourceQueue, storedIn) is { } refs)
            Persist(new OrderRefsQueued(refs), _ => Recorded(fresh, then));
        else
            Persist(new OrdersQueued(fresh), _ => Recorded(fresh, then));
    }

    private void Recorded(IReadOnlyList<FeedEntry> entries, Action then)
    {
        Ledger.Record(entries, LastSequenceNr);
        if (entries[0].ProcessedAt is { } at) Metrics.Processed(_unitTag, entries, at); // recorded as processed
        SnapshotIfDue();
        then();
    }

    /// <summary>Records orders up to <paramref name="upToSeq"/> as processed and, in the same write, names the next batch.</summary>
    protected void RecordProcessed(long upToSeq, Action then) =>
        Persist(new OrdersProcessed(upToSeq, DateTimeOffset.UtcNow, Ledger.NextBatchEnd(upToSeq, Options.ProcessBatchMax)), stored =>
        {
            var from = Ledger.ProcessedSeq + 1;
            if (Metrics.Measuring && stored.UpToSeq >= from) Metrics.Processed(_unitTag, Ledger.Range(from, stored.UpToSeq), stored.At);
            Ledger.MarkProcessed(stored.UpToSeq, stored.At, stored.NextBatchEnd);
            SnapshotIfDue();
            then();
        });

    /// <summary>Answers a feed read with the processed orders after its cursor that it asks for.</summary>
    protected void AnswerPage(GetFeed query, IActorRef replyTo)
    {
        var (entries, inJournal) = Ledger.Feed(query.After, query.Limit, MessageLimits.MaxLinesPerMessage);
        var (entityId, lastSeq, processedSeq) = (EntityId, Ledger.LastSeq, Ledger.ProcessedSeq);
        if (inJournal is null)
        {
            replyTo.Tell(new FeedPage(entityId, entries, lastSeq, processedSeq));
            return;
        }
        ReadBack(inJournal, stored => new FeedPage(entityId,
            UnitQueueLedger.PageFromJournal(stored, inJournal, query.After, query.Limit, processedSeq, MessageLimits.MaxLinesPerMessage, entries),
            lastSeq, processedSeq), replyTo);
    }

    private void AnswerStatus(GetUnitOrderStatus query)
    {
        var (entry, inJournal) = Ledger.Find(query.FirstQueue, query.Offset);
        if (inJournal is null)
        {
            Sender.Tell(new UnitOrderStatus(EntityId, entry));
            return;
        }
        var entityId = EntityId;
        ReadBack(inJournal, stored =>
            new UnitOrderStatus(entityId, UnitQueueLedger.EntryFromJournal(stored, inJournal, query.FirstQueue, query.Offset)), Sender);
    }

    /// <summary>Answers <paramref name="replyTo"/> from the entries the journal span holds, bodies included, without blocking the queue.</summary>
    private void ReadBack(JournalSpan span, Func<IReadOnlyList<FeedEntry>, object> answer, IActorRef replyTo) =>
        Context.ActorOf(QueuedOrdersReader.Events(PersistenceId, span.FromSequenceNr, span.ToSequenceNr, Options.FirstQueueJournal, answer, replyTo, ReadBackTimeout));

    private TimeSpan ReadBackTimeout => Context.System.Settings.Config.GetTimeSpan("orderactors.journal-read-back-timeout");

    private void SnapshotIfDue()
    {
        // the events stay: older feed pages are read from them; the snapshot bounds what recovery replays
        if (_snapshots.Due(Ledger.LastSeq, Ledger.Depth)) SaveSnapshot(new UnitQueueSnapshot(Ledger.ToState()));
    }
}
