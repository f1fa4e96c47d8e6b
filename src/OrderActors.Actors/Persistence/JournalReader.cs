using Akka.Actor;
using Akka.Persistence;

namespace OrderActors.Actors.Persistence;

/// <summary>
/// Reads a range of one persistent entity's events back from the journal and answers <c>replyTo</c> with what
/// <c>answer</c> makes of them, then stops. Entities keep only recent orders in memory: older feed pages and
/// order views are read back this way, without blocking the entity (it spawns a reader and carries on).
/// </summary>
public sealed class JournalReader : ReceiveActor
{
    private readonly List<object> _events = new();

    public JournalReader(string persistenceId, long fromSequenceNr, long toSequenceNr,
        Func<IReadOnlyList<object>, object> answer, IActorRef replyTo, TimeSpan timeout, string? journalPluginId)
    {
        Receive<ReplayedMessage>(m => _events.Add(m.Persistent.Payload));
        Receive<RecoverySuccess>(_ =>
        {
            replyTo.Tell(answer(_events));
            Context.Stop(Self);
        });
        Receive<ReplayMessagesFailure>(f =>
        {
            replyTo.Tell(new Status.Failure(f.Cause));
            Context.Stop(Self);
        });
        Receive<ReceiveTimeout>(_ =>
        {
            replyTo.Tell(new Status.Failure(new TimeoutException($"reading {persistenceId} {fromSequenceNr}..{toSequenceNr} took over {timeout}")));
            Context.Stop(Self);
        });

        Context.SetReceiveTimeout(timeout);
        Replay(Context, journalPluginId, persistenceId, fromSequenceNr, toSequenceNr);
    }

    /// <summary>
    /// Asks the journal <paramref name="journalPluginId"/> (null or empty: the default one) to replay
    /// <paramref name="persistenceId"/>'s events <paramref name="from"/>..<paramref name="to"/> to the calling actor:
    /// <see cref="ReplayedMessage"/>s, then <see cref="RecoverySuccess"/> or <see cref="ReplayMessagesFailure"/>.
    /// </summary>
    public static void Replay(IActorContext context, string? journalPluginId, string persistenceId, long from, long to) =>
        Akka.Persistence.Persistence.Instance.Apply(context.System).JournalFor(string.IsNullOrEmpty(journalPluginId) ? null : journalPluginId)
            .Tell(new ReplayMessages(from, to, long.MaxValue, persistenceId, context.Self));

    /// <param name="journalPluginId">The journal the entity writes to (null or empty: the default journal).</param>
    public static Props PropsFor(string persistenceId, long fromSequenceNr, long toSequenceNr,
        Func<IReadOnlyList<object>, object> answer, IActorRef replyTo, TimeSpan timeout, string? journalPluginId = null) =>
        Props.Create(() => new JournalReader(persistenceId, fromSequenceNr, toSequenceNr, answer, replyTo, timeout, journalPluginId));
}
