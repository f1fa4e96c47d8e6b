using OrderActors.Actors;
using Akka.Cluster.Hosting;
using LinqToDB;
using Akka.Configuration;
using Akka.Hosting;
using Akka.Persistence.Hosting;
using Akka.Persistence.Sql.Hosting;
using SqlJournalOptions = Akka.Persistence.Sql.Hosting.SqlJournalOptions;
using SqlSnapshotOptions = Akka.Persistence.Sql.Hosting.SqlSnapshotOptions;
using Akka.Remote.Hosting;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using OrderActors.Actors.Persistence;
using OrderActors.Actors.Serialization;

namespace OrderActors.Node.Hosting;

/// <summary>Builds the node's actor system: remoting, cluster, persistence and serialization, then the features the node composes.</summary>
public static class NodeAkkaSetup
{
    public const string SystemName = "orderactors";
    public const string LiveTag = "live";
    public const string ReadyTag = "ready";
    /// <summary>
    /// The first queues' own journal and snapshot store. Intake is what a 202 waits for: on SQLite it gets a file of
    /// its own (a second writer), on PostgreSQL tables and a write pipeline of their own, so that storing a new order
    /// does not queue behind the units' and inventory's writes.
    /// </summary>
    public const string IngestPlugin = "ingest";

    /// <summary>The HOCON of the node: the files under hocon/ (next to the binary) plus the options that override them.</summary>
    public static Config LoadConfig(NodeOptions options)
    {
        var dir = Path.Combine(AppContext.BaseDirectory, "hocon");
        var config = ConfigurationFactory.ParseString(File.ReadAllText(Path.Combine(dir, "orderactors.hocon")))
            .WithFallback(ConfigurationFactory.ParseString(File.ReadAllText(Path.Combine(dir, "routing.hocon"))));
        if (options.Journal == "sqlite")
            config = ConfigurationFactory.ParseString(File.ReadAllText(Path.Combine(dir, "sqlite.hocon"))).WithFallback(config);
        if (options.HoconFile is { } file)
        {
            try
            {
                config = ConfigurationFactory.ParseString(File.ReadAllText(file)).WithFallback(config);
            }
            catch (Exception e) when (e is not IOException)
            {
                throw new OptionsException($"--hocon {file} is not valid HOCON: {e.Message}");
            }
        }

        var overrides = new List<string>();
        if (options.IngestQueues is { } queues) overrides.Add($"orderactors.ingest.queues = {queues}");
        if (options.BatchWindow is { } window) overrides.Add($"orderactors.ingest.batch-window = {(int)window.TotalMilliseconds}ms");
        overrides.Add($"orderactors.ingest.journal-plugin = \"akka.persistence.journal.{IngestPlugin}\"");
        overrides.Add($"orderactors.ingest.snapshot-plugin = \"akka.persistence.snapshot-store.{IngestPlugin}\"");
        return ConfigurationFactory.ParseString(string.Join("\n", overrides)).WithFallback(config);
    }

    public static IServiceCollection AddOrderActorsNode(this IServiceCollection services, NodeOptions options, ClusterTlsOptions? tls,
        Config config, Action<AkkaConfigurationBuilder, IServiceProvider> features)
    {
        var (connectionString, provider) = Journal(options, "orderactors.db");
        var (ingestConnectionString, _) = Journal(options, "ingest.db");
        var dataOptions = DataOptionsFor(options, provider, connectionString);
        var ingestDataOptions = DataOptionsFor(options, provider, ingestConnectionString);
        var self = $"{ClusterTlsOptions.Protocol(tls)}://{SystemName}@{options.ClusterHost}:{options.ClusterPort}";

        return services.AddAkka(SystemName, (akka, serviceProvider) =>
        {
            akka.AddHocon(config, HoconAddMode.Prepend)
                .ConfigureLoggers(loggers =>
                {
                    loggers.ClearLoggers();
                    loggers.AddLoggerFactory();
                })
                .WithRemoting(Remote(options, tls))
                .WithClustering(new ClusterOptions
                {
                    SeedNodes = options.SeedNodes.Count > 0 ? options.SeedNodes.ToArray() : [self],
                    Roles = options.Roles.ToArray(),
                })
                .WithSqlPersistence(dataOptions, PersistenceMode.Both, autoInitialize: true,
                    journalBuilder: journal => journal.WithHealthCheck(HealthStatus.Unhealthy, "journal", [ReadyTag]))
                .WithSqlPersistence(IngestJournal(ingestDataOptions, ingestConnectionString, provider),
                    IngestSnapshots(ingestDataOptions, ingestConnectionString, provider))
                // both journals commit in groups (after the plugins' own HOCON, which names their class)
                .AddHocon(GroupCommitJournal.ConfigFor("akka.persistence.journal.sql") + "\n" +
                          GroupCommitJournal.ConfigFor($"akka.persistence.journal.{IngestPlugin}"), HoconAddMode.Prepend)
                .WithOrderActorsSerialization()
                .WithStrictSerialization();
            features(akka, serviceProvider);
            akka.WithActorSystemLivenessCheck(tags: [LiveTag])
                .WithAkkaClusterReadinessCheck(tags: [ReadyTag]);
        });
    }

    private static RemoteOptions Remote(NodeOptions options, ClusterTlsOptions? tls)
    {
        var remote = new RemoteOptions { HostName = options.ClusterHost, Port = options.ClusterPort };
        return tls is null ? remote : tls.ApplyTo(remote);
    }

    /// <summary>
    /// Refuses a SQLite data dir the node could not write (read-only, not a directory, not this user's), naming it,
    /// before anything starts; and one written by a version that kept the first queues in <c>orderactors.db</c>:
    /// started on it, this version would find the first queues empty and hand out their offsets again.
    /// </summary>
    /// <summary>
    /// Checks the SQLite data dir (writable, not written by an incompatible version, its databases readable) and takes
    /// its lock (<see cref="DataDirLock"/>), which the caller holds for the life of the process; null with PostgreSQL.
    /// </summary>
    public static DataDirLock? CheckDataDir(NodeOptions options)
    {
        if (options.Journal != "sqlite") return null;
        var dir = Path.GetFullPath(options.DataDir);
        CheckWritable(dir);
        var held = DataDirLock.Acquire(dir);
        try
        {
            foreach (var db in new[] { "ingest.db", "orderactors.db" }.Select(f => Path.Combine(dir, f)).Where(File.Exists))
                CheckReadable(db);
            CheckNotV1(options, Path.Combine(dir, "orderactors.db"));
            return held;
        }
        catch
        {
            held.Dispose();
            throw;
        }
    }

    /// <summary>Reads the schema of <paramref name="file"/>: a damaged or foreign file stops the node naming it.</summary>
    private static void CheckReadable(string file)
    {
        try
        {
            using var connection = OpenReadOnly(file);
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT count(*) FROM sqlite_master";
            command.ExecuteScalar();
        }
        catch (SqliteException e)
        {
            throw new OptionsException($"{file} cannot be read as an SQLite database ({e.Message.TrimEnd('.')}): the journal is damaged " +
                                       "or the file is not one. Restore it from a backup, or move it aside to start empty.");
        }
    }

    private static SqliteConnection OpenReadOnly(string file)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ConnectionString);
        try
        {
            connection.Open();
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private static void CheckNotV1(NodeOptions options, string file)
    {
        if (!File.Exists(file)) return;
        using var connection = OpenReadOnly(file);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'journal'";
        if (Convert.ToInt64(command.ExecuteScalar()) == 0) return;
        command.CommandText = "SELECT EXISTS (SELECT 1 FROM journal WHERE persistence_id LIKE 'ingest-%')";
        if (Convert.ToInt64(command.ExecuteScalar()) == 0) return;
        throw new OptionsException(
            $"--data-dir {options.DataDir} was written by an earlier version that kept the first queues in orderactors.db; " +
            "this version keeps them in ingest.db. Start on an empty --data-dir (move the old one aside).");
    }

    private static void CheckWritable(string dir)
    {
        try
        {
            Directory.CreateDirectory(dir);
            WriteCheck(dir);
            foreach (var db in new[] { "orderactors.db", "ingest.db" }.Select(f => Path.Combine(dir, f)).Where(File.Exists))
                using (new FileStream(db, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite)) { }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new OptionsException($"--data-dir {dir} cannot be written ({e.Message.TrimEnd('.')}): the journal lives there. " +
                                       "Give a directory this user may write, on a file system mounted read-write.");
        }
    }

    /// <summary>Creates and deletes a file in <paramref name="dir"/>: throws (IOException, UnauthorizedAccessException) where it cannot.</summary>
    public static void WriteCheck(string dir)
    {
        var probe = Path.Combine(dir, $".write-check-{Environment.ProcessId}");
        File.WriteAllText(probe, "");
        File.Delete(probe);
    }

    private static DataOptions DataOptionsFor(NodeOptions options, string provider, string connectionString)
    {
        var dataOptions = new DataOptions().UseConnectionString(provider, connectionString);
        return options.Journal == "sqlite" ? dataOptions.UseInterceptor(new SqlitePragmas(options.SqliteSynchronous)) : dataOptions;
    }

    // The first queues' tables are prefixed, so that on PostgreSQL they sit beside the main journal's in one database.
    // (Each table option's Default is a fresh instance with the default column names.)
    private static SqlJournalOptions IngestJournal(DataOptions dataOptions, string connectionString, string provider)
    {
        var journal = JournalTableOptions.Default;
        journal.TableName = "ingest_journal";
        var metadata = MetadataTableOptions.Default;
        metadata.TableName = "ingest_journal_metadata";
        var tags = TagTableOptions.Default;
        tags.TableName = "ingest_tags";
        return new SqlJournalOptions(isDefaultPlugin: false, identifier: IngestPlugin)
        {
            ConnectionString = connectionString,
            ProviderName = provider,
            DataOptions = dataOptions,
            AutoInitialize = true,
            DatabaseOptions = new JournalDatabaseOptions(DatabaseMapping.Default) { JournalTable = journal, MetadataTable = metadata, TagTable = tags },
        };
    }

    private static SqlSnapshotOptions IngestSnapshots(DataOptions dataOptions, string connectionString, string provider)
    {
        var snapshots = SnapshotTableOptions.Default;
        snapshots.TableName = "ingest_snapshot";
        return new SqlSnapshotOptions(isDefaultPlugin: false, identifier: IngestPlugin)
        {
            ConnectionString = connectionString,
            ProviderName = provider,
            DataOptions = dataOptions,
            AutoInitialize = true,
            DatabaseOptions = new SnapshotDatabaseOptions(DatabaseMapping.Default) { SnapshotTable = snapshots },
        };
    }

    private static (string ConnectionString, string Provider) Journal(NodeOptions options, string file)
    {
        if (options.Journal == "postgres")
            return (options.ConnectionString!, LinqToDB.ProviderName.PostgreSQL15);

        Directory.CreateDirectory(options.DataDir);
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = Path.GetFullPath(Path.Combine(options.DataDir, file)),
            DefaultTimeout = 60,
        };
        // WAL lets readers (recovery, queries) run beside the single writer; the mode is stored in the file.
        using (var connection = new SqliteConnection(builder.ConnectionString))
        {
            connection.Open();
            using var pragma = connection.CreateCommand();
            pragma.CommandText = "PRAGMA journal_mode=WAL;";
            pragma.ExecuteNonQuery();
        }
        return (builder.ConnectionString, LinqToDB.ProviderName.SQLiteMS);
    }
}
