using Akka.Actor;
using Akka.Event;
using OrderActors.Domain.Ingest;
using static OrderActors.Actors.Ingest.IngestProtocol;

namespace OrderActors.Actors.Ingest;

/// <summary>
/// Answers, as not stored, a submission that reached a first queue just as it stopped (after a failed journal write,
/// or while its shard moves): its caller sends again at once instead of waiting out the ask timeout. One per node,
/// watching the node's dead letters.
/// </summary>
public sealed class UndeliveredSubmissions : ReceiveActor
{
    public UndeliveredSubmissions()
    {
        Receive<DeadLetter>(letter => letter.Message is SubmitOrders && !letter.Sender.IsNobody(), letter =>
        {
            var submit = (SubmitOrders)letter.Message;
            letter.Sender.Tell(SubmitResults.NotStored(submit.Orders, FirstQueueId.Parse(submit.EntityId).Queue));
        });
        Receive<DeadLetter>(_ => { });
    }

    protected override void PreStart() => Context.System.EventStream.Subscribe<DeadLetter>(Self);

    protected override void PostStop() => Context.System.EventStream.Unsubscribe(Self);

    public static Props Props() => Akka.Actor.Props.Create<UndeliveredSubmissions>();
}
