using Akka.Actor;
using Akka.Configuration;
using Akka.Persistence;
using Microsoft.Data.Sqlite;
using OrderActors.Actors.Persistence;
using Xunit.Abstractions;

namespace OrderActors.Tests.Actors;

/// <summary>
/// An actor spec on the node's real persistence: Akka.Persistence.Sql's journal (with our group commit) and snapshot
/// store over a SQLite file of its own, and our serializer, so that every event and snapshot is serialized, written,
/// read back and deserialized as in production. The file is deleted when the spec ends, whatever its outcome.
/// </summary>
public abstract class SqliteSpec : Akka.TestKit.Xunit2.TestKit
{
    private readonly string _file;

    protected SqliteSpec(ITestOutputHelper output) : this(output, ConfigFor) { }

    /// <param name="configFor">The actor system's configuration for the spec's SQLite file.</param>
    protected SqliteSpec(ITestOutputHelper output, Func<string, Config> configFor)
        : this(Path.Combine(Path.GetTempPath(), $"orderactors-spec-{Guid.NewGuid():N}.db"), output, configFor) { }

    private SqliteSpec(string file, ITestOutputHelper output, Func<string, Config> configFor) : base(configFor(file), output: output) => _file = file;

    private static Config ConfigFor(string file)
    {
        using (var connection = Open(file))
        using (var wal = connection.CreateCommand())
        {
            wal.CommandText = "PRAGMA journal_mode=WAL;"; // as the node opens its files
            wal.ExecuteNonQuery();
        }
        return ConfigurationFactory.ParseString($$"""
            akka.actor.provider = cluster
            # the journal serializes every event and snapshot itself; serialize-messages would also serialize the
            # plugin's own internal messages, which have no serializer
            akka.actor.serialize-messages = off
            akka.remote.dot-netty.tcp { hostname = 127.0.0.1, port = 0 }
            akka.persistence.journal.plugin = "akka.persistence.journal.sql"
            akka.persistence.journal.sql {
              connection-string = "Data Source={{file}}"
              provider-name = "SQLite.MS"
              auto-initialize = true
              parallelism = 1
            }
            akka.persistence.snapshot-store.plugin = "akka.persistence.snapshot-store.sql"
            akka.persistence.snapshot-store.sql {
              class = "Akka.Persistence.Sql.Snapshot.SqlSnapshotStore, Akka.Persistence.Sql"
              connection-string = "Data Source={{file}}"
              provider-name = "SQLite.MS"
              auto-initialize = true
            }
            """)
            .WithFallback(ConfigurationFactory.ParseString(GroupCommitJournal.ConfigFor("akka.persistence.journal.sql")))
            .WithFallback(ActorSpecConfig.Config);
    }

    private static SqliteConnection Open(string file)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Pooling = false, DefaultTimeout = 30 }.ConnectionString);
        connection.Open();
        return connection;
    }

    private void Execute(string sql, params (string Name, object Value)[] parameters)
    {
        using var connection = Open(_file);
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        command.ExecuteNonQuery();
    }

    /// <summary>The latest snapshot of <paramref name="persistenceId"/> in the store, or null.</summary>
    protected SelectedSnapshot? LatestSnapshot(string persistenceId)
    {
        var store = Persistence.Instance.Apply(Sys).SnapshotStoreFor(null);
        store.Tell(new LoadSnapshot(persistenceId, SnapshotSelectionCriteria.Latest, long.MaxValue), TestActor);
        return ExpectMsg<LoadSnapshotResult>(TimeSpan.FromSeconds(10)).Snapshot;
    }

    /// <summary>Waits until a snapshot of <paramref name="persistenceId"/> at <paramref name="atLeast"/> or later is stored.</summary>
    protected SelectedSnapshot AwaitSnapshot(string persistenceId, long atLeast)
    {
        SelectedSnapshot? snapshot = null;
        AwaitAssert(() =>
        {
            snapshot = LatestSnapshot(persistenceId);
            Assert.True(snapshot is not null && snapshot.Metadata.SequenceNr >= atLeast,
                $"no snapshot of {persistenceId} at {atLeast} or later yet (latest: {snapshot?.Metadata.SequenceNr})");
        }, TimeSpan.FromSeconds(20), TimeSpan.FromMilliseconds(50));
        return snapshot!;
    }

    /// <summary>
    /// Deletes the events a snapshot covers from the journal table itself, so that an entity that then recovers its
    /// state can only have it from the snapshot.
    /// </summary>
    protected void DeleteEventsUpTo(string persistenceId, long sequenceNr) =>
        Execute("DELETE FROM journal WHERE persistence_id = $id AND sequence_number <= $nr", ("$id", persistenceId), ("$nr", sequenceNr));

    /// <summary>From now on the database refuses every snapshot write (a trigger aborts it), until <see cref="AcceptSnapshotWrites"/>.</summary>
    protected void RefuseSnapshotWrites()
    {
        LatestSnapshot("create-the-tables"); // the store creates its table on first use
        Execute("""
            CREATE TRIGGER refuse_snapshot_insert BEFORE INSERT ON snapshot BEGIN SELECT RAISE(ABORT, 'snapshot writes refused by the test'); END;
            CREATE TRIGGER refuse_snapshot_update BEFORE UPDATE ON snapshot BEGIN SELECT RAISE(ABORT, 'snapshot writes refused by the test'); END;
            """);
    }

    protected void AcceptSnapshotWrites() =>
        Execute("DROP TRIGGER refuse_snapshot_insert; DROP TRIGGER refuse_snapshot_update;");

    /// <summary>A probe that receives every warning logged from now on (an entity logs a snapshot that failed).</summary>
    protected Akka.TestKit.TestProbe SnapshotWarnings()
    {
        var probe = CreateTestProbe();
        Sys.EventStream.Subscribe(probe, typeof(Akka.Event.Warning));
        return probe;
    }

    protected static bool IsSnapshotFailure(Akka.Event.Warning warning) =>
        warning.Message?.ToString()?.Contains("snapshot failed") == true;

    protected void StopAndWait(IActorRef entity)
    {
        Watch(entity);
        Sys.Stop(entity);
        ExpectTerminated(entity, TimeSpan.FromSeconds(10));
    }

    protected override void AfterAll()
    {
        base.AfterAll();
        foreach (var suffix in new[] { "", "-wal", "-shm", "-journal" })
            File.Delete(_file + suffix);
    }
}
