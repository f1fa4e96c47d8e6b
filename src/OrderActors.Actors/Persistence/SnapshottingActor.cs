using Akka.Actor;
using Akka.Event;
using Akka.Persistence;

namespace OrderActors.Actors.Persistence;

/// <summary>A persistent entity that snapshots its state and keeps only the latest snapshot (its events stay).</summary>
public abstract class SnapshottingActor : ReceivePersistentActor
{
    private static readonly TimeSpan ReadBackTimeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Answers the sender from this entity's events <paramref name="from"/>..<paramref name="to"/>, read back from its
    /// journal by a <see cref="JournalReader"/> (what is no longer kept in memory), without blocking the entity.
    /// </summary>
    protected void AnswerFromJournal(long from, long to, Func<IReadOnlyList<object>, object> answer, IActorRef? replyTo = null) =>
        Context.ActorOf(JournalReader.PropsFor(PersistenceId, from, to, answer, replyTo ?? Sender, ReadBackTimeout, JournalPluginId));

    /// <summary>Handles the snapshot store's answers: deletes older snapshots once a new one is stored, logs failures.</summary>
    protected void KeepOnlyLatestSnapshot()
    {
        var log = Context.GetLogger();
        Command<SaveSnapshotSuccess>(saved => DeleteSnapshots(new SnapshotSelectionCriteria(saved.Metadata.SequenceNr - 1)));
        Command<SaveSnapshotFailure>(failed => log.Warning("{0}: snapshot failed (recovery replays more events until the next one): {1}",
            PersistenceId, failed.Cause.Message));
        Command<DeleteSnapshotsSuccess>(_ => { });
        Command<DeleteSnapshotsFailure>(failed => log.Warning("{0}: deleting older snapshots failed: {1}", PersistenceId, failed.Cause.Message));
    }
}
