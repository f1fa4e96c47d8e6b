using Akka.Actor;
using Akka.Persistence;
using OrderActors.Actors.Sharding;
using OrderActors.Domain.Units;
using static OrderActors.Actors.Units.UnitProtocol;

namespace OrderActors.Actors.Units;

/// <summary>
/// A business unit's second queue, e.g. <c>erp-2</c> (patent claim 3): a sharded persistent entity that records
/// each order once (deduping redeliveries by order id) with a gapless seq, processes its orders in seq order,
/// and serves the processed ones as a feed that the downstream system reads by cursor.
/// </summary>
public sealed class UnitQueueActor : ReceivePersistentActor
{
    private const int ProcessBatchMax = 1000;

    private readonly string _entityId;
    private readonly UnitQueueLedger _ledger = new();
    private bool _processingScheduled;

    public UnitQueueActor(string entityId)
    {
        _entityId = entityId;
        PersistenceId = PersistenceIdFor(entityId);

        Recover<OrdersQueued>(e => _ledger.Record(e.Entries));
        Recover<OrdersProcessed>(e => _ledger.MarkProcessed(e.UpToSeq, e.At));
        Recover<RecoveryCompleted>(_ => ScheduleProcessing());

        Command<EnqueueOrders>(Enqueue);
        Command<ProcessPending>(_ => Process());
        Command<GetUnitOrderStatus>(q => Sender.Tell(new UnitOrderStatus(_entityId, _ledger.Find(q.OrderId))));
        Command<GetFeed>(q => Sender.Tell(new FeedPage(_entityId, _ledger.Feed(q.After, q.Limit), _ledger.LastSeq, _ledger.ProcessedSeq)));
        Command<GetUnitStats>(_ => Sender.Tell(new UnitQueueStats(_entityId, _ledger.LastSeq, _ledger.ProcessedSeq, _ledger.Depth)));
        Command<Wake>(_ => ScheduleProcessing());
        Command<StopEntity>(_ => DeferAsync(StopEntity.Instance, _ => Context.Stop(Self)));
    }

    public override string PersistenceId { get; }

    public static Props PropsFor(string entityId) => Props.Create(() => new UnitQueueActor(entityId));

    private void Enqueue(EnqueueOrders command)
    {
        var replyTo = Sender;
        var ack = new OrdersEnqueued(_entityId, command.DeliveryId);
        var fresh = _ledger.Admit(command.Orders, DateTimeOffset.UtcNow);
        if (fresh.Count == 0)
        {
            replyTo.Tell(ack);
            return;
        }

        Persist(new OrdersQueued(fresh), stored =>
        {
            _ledger.Record(stored.Entries);
            replyTo.Tell(ack);
            ScheduleProcessing();
        });
    }

    private void ScheduleProcessing()
    {
        if (_processingScheduled || _ledger.Depth == 0) return;
        _processingScheduled = true;
        Self.Tell(ProcessPending.Instance);
    }

    /// <summary>Processes queued orders in seq order, a batch at a time, and records that they are processed.</summary>
    private void Process()
    {
        _processingScheduled = false;
        var batch = _ledger.Unprocessed(ProcessBatchMax);
        if (batch.Count == 0) return;

        Persist(new OrdersProcessed(batch[^1].Seq, DateTimeOffset.UtcNow), stored =>
        {
            _ledger.MarkProcessed(stored.UpToSeq, stored.At);
            ScheduleProcessing();
        });
    }
}
