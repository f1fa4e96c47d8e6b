using Akka.Actor;
using Akka.Event;
using Akka.Persistence;
using OrderActors.Domain.Queues;

namespace OrderActors.Actors.Persistence;

/// <summary>A persistent entity that snapshots its state and keeps only the latest snapshot (its events stay).</summary>
public abstract class SnapshottingActor : ReceivePersistentActor
{
    private SnapshotSchedule? _byEvents;

    /// <summary>
    /// Snapshots every <paramref name="every"/> stored events (<see cref="SnapshotSchedule"/>: stretched per entity
    /// unless <paramref name="stagger"/> is false), counting on after recovery from where the schedule stood.
    /// </summary>
    protected void SnapshotEvery(int every, bool stagger = true) => _byEvents = SnapshotSchedule.For(PersistenceId, every, stagger);

    /// <summary>After an event is stored: saves what <paramref name="snapshot"/> makes of the state if a snapshot is due.</summary>
    protected void SnapshotIfDue(Func<object> snapshot)
    {
        if (_byEvents!.Due(LastSequenceNr)) SaveSnapshot(snapshot());
    }

    protected override void OnReplaySuccess()
    {
        _byEvents?.Recovered(LastSequenceNr);
        base.OnReplaySuccess();
    }

    /// <summary>
    /// Answers the sender from this entity's events <paramref name="from"/>..<paramref name="to"/>, read back from its
    /// journal by a <see cref="JournalReader"/> (what is no longer kept in memory), without blocking the entity.
    /// </summary>
    protected void AnswerFromJournal(long from, long to, Func<IReadOnlyList<object>, object> answer, IActorRef? replyTo = null) =>
        Context.ActorOf(JournalReader.PropsFor(PersistenceId, from, to, answer, replyTo ?? Sender,
            Context.System.Settings.Config.GetTimeSpan("orderactors.journal-read-back-timeout"), JournalPluginId));

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
