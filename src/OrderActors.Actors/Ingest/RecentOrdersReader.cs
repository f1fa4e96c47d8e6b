using Akka.Actor;
using Akka.Persistence;
using OrderActors.Actors.Persistence;
using OrderActors.Domain.Routing;
using static OrderActors.Actors.Ingest.IngestProtocol;

namespace OrderActors.Actors.Ingest;

/// <summary>
/// Reads a first queue's most recent orders back from its journal, newest events first, in growing chunks, until it
/// has <c>max</c> of them, reaches orders accepted before <c>since</c>, or the queue's first event; answers with them
/// oldest first, each with the routing version its cut gives it, then stops. The entity carries on meanwhile.
/// </summary>
public sealed class RecentOrdersReader : ReceiveActor
{
    private const int FirstChunk = 64, MaxChunk = 8192;

    private readonly List<RecentOrder> _found = new(); // newest first
    private readonly List<RecentOrder> _chunk = new();

    public RecentOrdersReader(string persistenceId, string? journalPluginId, int queue, long lastSequenceNr, int max, DateTimeOffset? since,
        IReadOnlyList<RoutingCut> cuts, IActorRef replyTo, TimeSpan timeout)
    {
        var to = lastSequenceNr;
        var chunk = FirstChunk;
        long from = 0;

        void ReadNext()
        {
            from = Math.Max(1, to - chunk + 1);
            _chunk.Clear();
            JournalReader.Replay(Context, journalPluginId, persistenceId, from, to);
        }

        void Answer(bool complete)
        {
            _found.Reverse();
            replyTo.Tell(new RecentOrders(_found.ToList(), complete));
            Context.Stop(Self);
        }

        Receive<ReplayedMessage>(m =>
        {
            if (m.Persistent.Payload is OrdersAccepted accepted)
                foreach (var o in accepted.Orders)
                    _chunk.Add(new RecentOrder(o.OrderId, o.Order.BusinessCode, queue, o.Offset, o.AcceptedAt, RoutingCuts.VersionAt(cuts, o.Offset)));
        });
        Receive<RecoverySuccess>(_ =>
        {
            for (var i = _chunk.Count - 1; i >= 0 && _found.Count < max; i--)
            {
                if (since is { } s && _chunk[i].AcceptedAt < s) { Answer(complete: true); return; }
                _found.Add(_chunk[i]);
            }
            if (_found.Count >= max || from == 1)
            {
                Answer(complete: true);
                return;
            }
            to = from - 1;
            chunk = Math.Min(chunk * 2, MaxChunk);
            ReadNext();
        });
        Receive<ReplayMessagesFailure>(f =>
        {
            replyTo.Tell(new Status.Failure(f.Cause));
            Context.Stop(Self);
        });
        Receive<ReceiveTimeout>(_ => Answer(complete: false)); // what was read so far, said to be partial

        Context.SetReceiveTimeout(timeout);
        if (lastSequenceNr < 1) Answer(complete: true);
        else ReadNext();
    }

    public static Props PropsFor(string persistenceId, string? journalPluginId, int queue, long lastSequenceNr, int max, DateTimeOffset? since,
        IReadOnlyList<RoutingCut> cuts, IActorRef replyTo, TimeSpan timeout) =>
        Props.Create(() => new RecentOrdersReader(persistenceId, journalPluginId, queue, lastSequenceNr, max, since, cuts, replyTo, timeout));
}
