using Akka.Actor;
using Akka.Persistence;
using OrderActors.Actors.Persistence;
using OrderActors.Domain.Ingest;
using OrderActors.Domain.Orders;
using OrderActors.Domain.Units;
using static OrderActors.Actors.Units.UnitProtocol;

namespace OrderActors.Actors.Units;

/// <summary>
/// Reads a unit queue's entries back from the journals without blocking the queue, answers <c>replyTo</c> with what
/// <c>answer</c> makes of them, then stops. Two steps: the unit queue's own events in a range (when asked: older feed
/// pages, an old order's status), then, for the entries recorded by reference (<see cref="OrderRefsQueued"/>), the
/// events of their first queues that hold the bodies: one read per first queue, over the events the references name.
/// </summary>
public sealed class QueuedOrdersReader : ReceiveActor
{
    private readonly List<FeedEntry> _entries = new();
    private readonly Dictionary<int, Dictionary<long, ReferencedEntry>> _wanted = new();
    private readonly Queue<int> _firstQueues = new();
    private readonly Func<IReadOnlyList<FeedEntry>, object> _answer;
    private readonly IActorRef _replyTo;
    private readonly string _firstQueueJournal;
    private string _reading = "";

    public QueuedOrdersReader(string? unitPersistenceId, long from, long to, IReadOnlyList<ReferencedEntry> refs, string firstQueueJournal,
        Func<IReadOnlyList<FeedEntry>, object> answer, IActorRef replyTo, TimeSpan timeout)
    {
        (_answer, _replyTo, _firstQueueJournal) = (answer, replyTo, firstQueueJournal);
        foreach (var entry in refs) Want(entry);

        Receive<ReplayedMessage>(m =>
        {
            switch (m.Persistent.Payload)
            {
                case OrdersQueued queued: _entries.AddRange(queued.Entries); break;
                case OrderRefsQueued queued:
                    foreach (var entry in queued.Refs.Entries()) Want(entry);
                    break;
                case IStoredOrders accepted: Found(accepted.Orders); break;
            }
        });
        Receive<RecoverySuccess>(_ => ReadNext());
        Receive<ReplayMessagesFailure>(f => Fail(f.Cause));
        Receive<ReceiveTimeout>(_ => Fail(new TimeoutException($"reading {_reading} took over {timeout}")));

        Context.SetReceiveTimeout(timeout);
        if (unitPersistenceId is null) ReadNext();
        else Replay(null, unitPersistenceId, from, to);
    }

    /// <summary>Reads the unit queue <paramref name="unitPersistenceId"/>'s events <paramref name="from"/>..<paramref name="to"/>, with the bodies of what they refer to.</summary>
    public static Props Events(string unitPersistenceId, long from, long to, string firstQueueJournal,
        Func<IReadOnlyList<FeedEntry>, object> answer, IActorRef replyTo, TimeSpan timeout) =>
        Props.Create(() => new QueuedOrdersReader(unitPersistenceId, from, to, Array.Empty<ReferencedEntry>(), firstQueueJournal, answer, replyTo, timeout));

    /// <summary>Reads the bodies of entries recorded by reference.</summary>
    public static Props Bodies(IReadOnlyList<ReferencedEntry> refs, string firstQueueJournal,
        Func<IReadOnlyList<FeedEntry>, object> answer, IActorRef replyTo, TimeSpan timeout) =>
        Props.Create(() => new QueuedOrdersReader(null, 0, 0, refs, firstQueueJournal, answer, replyTo, timeout));

    private void Want(ReferencedEntry entry)
    {
        if (!_wanted.TryGetValue(entry.Ref.FirstQueue, out var offsets))
        {
            _wanted[entry.Ref.FirstQueue] = offsets = new Dictionary<long, ReferencedEntry>();
            _firstQueues.Enqueue(entry.Ref.FirstQueue);
        }
        offsets[entry.Ref.Offset] = entry;
    }

    private void Found(IReadOnlyList<AcceptedOrder> orders)
    {
        foreach (var order in orders)
            if (_wanted.TryGetValue(order.FirstQueue, out var offsets) && offsets.Remove(order.Offset, out var entry))
                _entries.Add(entry.With(order));
    }

    /// <summary>Reads the next first queue's events that hold wanted bodies; answers once none is left.</summary>
    private void ReadNext()
    {
        while (_firstQueues.TryDequeue(out var queue))
        {
            var offsets = _wanted[queue];
            if (offsets.Count == 0) continue;
            var (from, to) = (offsets.Values.Min(e => e.Ref.StoredIn), offsets.Values.Max(e => e.Ref.StoredIn));
            Replay(_firstQueueJournal, new FirstQueueId(queue).PersistenceId, from, to);
            return;
        }
        if (_wanted.FirstOrDefault(q => q.Value.Count > 0) is { Value: { } missing } && missing.Count > 0)
        {
            var first = missing.Values.MinBy(e => e.Seq);
            Fail(new InvalidOperationException(
                $"{missing.Count} orders recorded by reference are not in their first queue's journal, e.g. offset {first.Ref.Offset} of {new FirstQueueId(first.Ref.FirstQueue)} in its event {first.Ref.StoredIn}"));
            return;
        }
        _replyTo.Tell(_answer(_entries.OrderBy(e => e.Seq).ToList()));
        Context.Stop(Self);
    }

    private void Replay(string? journalPluginId, string persistenceId, long from, long to)
    {
        _reading = $"{persistenceId} {from}..{to}";
        JournalReader.Replay(Context, journalPluginId, persistenceId, from, to);
    }

    private void Fail(Exception cause)
    {
        _replyTo.Tell(new Status.Failure(cause));
        Context.Stop(Self);
    }
}
