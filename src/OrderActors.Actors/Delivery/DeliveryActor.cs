using Akka.Actor;
using Akka.Persistence;
using OrderActors.Actors.Persistence;
using OrderActors.Actors.Sharding;
using OrderActors.Domain.Delivery;
using static OrderActors.Actors.Delivery.DeliveryProtocol;

namespace OrderActors.Actors.Delivery;

/// <summary>
/// The delivery state of one unit queue, as a sharded persistent entity: the committed cursor of its pull consumer
/// (<see cref="DeliveryCursor"/>). An ack that moves the cursor is stored before it is answered, so an answered ack
/// survives any crash; a repeated or older one is answered without a write.
/// </summary>
public sealed class DeliveryActor : SnapshottingActor
{
    private readonly string _entityId;
    private readonly int _snapshotEvery;
    private DeliveryCursor _cursor = new();

    public DeliveryActor(DeliveryQueueId id, DeliveryOptions options)
    {
        _entityId = id.EntityId;
        _snapshotEvery = options.SnapshotEvery;
        PersistenceId = id.PersistenceId;

        Recover<SnapshotOffer>(offer =>
        {
            _cursor = new DeliveryCursor();
            foreach (var mark in ((DeliverySnapshot)offer.Snapshot).Marks) _cursor.Apply(new DeliveredMark(mark.UpTo, mark.At));
        });
        Recover<OrdersDelivered>(e => _cursor.Apply(new DeliveredMark(e.UpTo, e.At)));

        Command<Ack>(ack =>
        {
            var outcome = _cursor.Decide(ack.UpTo, ack.ProcessedSeq);
            if (outcome != AckOutcome.Advanced)
            {
                Sender.Tell(new AckResult(_entityId, outcome, _cursor.DeliveredUpTo));
                return;
            }
            var replyTo = Sender;
            Persist(new OrdersDelivered(ack.UpTo, DateTimeOffset.UtcNow), stored =>
            {
                _cursor.Apply(new DeliveredMark(stored.UpTo, stored.At));
                if (LastSequenceNr % _snapshotEvery == 0)
                    SaveSnapshot(new DeliverySnapshot(_cursor.Marks.Select(m => new OrdersDelivered(m.UpTo, m.At)).ToList()));
                replyTo.Tell(new AckResult(_entityId, AckOutcome.Advanced, _cursor.DeliveredUpTo));
            });
        });
        Command<GetDelivered>(q => Sender.Tell(new Delivered(_entityId, q.Seq, _cursor.DeliveredAt(q.Seq), _cursor.DeliveredUpTo)));
        Command<Wake>(_ => { });
        Command<StopEntity>(_ => DeferAsync(StopEntity.Instance, _ => Context.Stop(Self)));
        KeepOnlyLatestSnapshot();
    }

    public override string PersistenceId { get; }

    public static Props PropsFor(DeliveryQueueId id, DeliveryOptions options) => Props.Create(() => new DeliveryActor(id, options));
}
