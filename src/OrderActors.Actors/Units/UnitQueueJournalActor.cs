using Akka.Actor;
using Akka.Persistence;
using OrderActors.Actors.Persistence;
using OrderActors.Actors.Sharding;
using OrderActors.Domain.Queues;
using OrderActors.Domain.Routing;
using OrderActors.Domain.Units;
using static OrderActors.Actors.Units.UnitProtocol;

namespace OrderActors.Actors.Units;

/// <summary>
/// The durable half of a unit queue: its <see cref="UnitQueueLedger"/>, recovered from its snapshot and events, the
/// writes that record orders and mark them processed, and the reads of what it holds (a feed page, an order's status),
/// from memory or, for entries no longer kept there, from the events that stored them.
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

    /// <summary>Records the orders (each once, with the next seqs), then <paramref name="then"/>.</summary>
    protected void Record(IReadOnlyList<FeedEntry> fresh, Action then) => Persist(new OrdersQueued(fresh), stored =>
    {
        Ledger.Record(stored.Entries, LastSequenceNr);
        if (stored.Entries[0].ProcessedAt is { } at) Metrics.Processed(_unitTag, stored.Entries, at); // recorded as processed
        SnapshotIfDue();
        then();
    });

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
        AnswerFromJournal(inJournal.FromSequenceNr, inJournal.ToSequenceNr, events => new FeedPage(entityId,
            UnitQueueLedger.PageFromJournal(StoredEntries(events), inJournal, query.After, query.Limit, processedSeq, MessageLimits.MaxLinesPerMessage, entries),
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
        AnswerFromJournal(inJournal.FromSequenceNr, inJournal.ToSequenceNr, events =>
            new UnitOrderStatus(entityId, UnitQueueLedger.EntryFromJournal(StoredEntries(events), inJournal, query.FirstQueue, query.Offset)));
    }

    private static IEnumerable<FeedEntry> StoredEntries(IReadOnlyList<object> events) => events.OfType<OrdersQueued>().SelectMany(e => e.Entries);

    private void SnapshotIfDue()
    {
        // the events stay: older feed pages are read from them; the snapshot bounds what recovery replays
        if (_snapshots.Due(Ledger.LastSeq, Ledger.Depth)) SaveSnapshot(new UnitQueueSnapshot(Ledger.ToState()));
    }
}
