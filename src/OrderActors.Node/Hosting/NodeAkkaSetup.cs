using Akka.Cluster.Hosting;
using LinqToDB;
using Akka.Configuration;
using Akka.Hosting;
using Akka.Persistence.Hosting;
using Akka.Persistence.Sql.Hosting;
using Akka.Remote.Hosting;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using OrderActors.Actors.Catalog;
using OrderActors.Actors.Hosting;

namespace OrderActors.Node.Hosting;

/// <summary>Builds the node's actor system: remoting, cluster, persistence, serialization and the order pipeline.</summary>
public static class NodeAkkaSetup
{
    public const string SystemName = "orderactors";
    public const string LiveTag = "live";
    public const string ReadyTag = "ready";

    /// <summary>The HOCON of the node: the files under hocon/ (next to the binary) plus the options that override them.</summary>
    public static Config LoadConfig(NodeOptions options)
    {
        var dir = Path.Combine(AppContext.BaseDirectory, "hocon");
        var config = ConfigurationFactory.ParseString(File.ReadAllText(Path.Combine(dir, "orderactors.hocon")))
            .WithFallback(ConfigurationFactory.ParseString(File.ReadAllText(Path.Combine(dir, "routing.hocon"))));
        if (options.Journal == "sqlite")
            config = ConfigurationFactory.ParseString(File.ReadAllText(Path.Combine(dir, "sqlite.hocon"))).WithFallback(config);

        var overrides = new List<string>();
        if (options.IngestQueues is { } queues) overrides.Add($"orderactors.ingest.queues = {queues}");
        if (options.BatchWindow is { } window) overrides.Add($"orderactors.ingest.batch-window = {(int)window.TotalMilliseconds}ms");
        return overrides.Count == 0 ? config : ConfigurationFactory.ParseString(string.Join("\n", overrides)).WithFallback(config);
    }

    public static IServiceCollection AddOrderActorsNode(this IServiceCollection services, NodeOptions options,
        Config config, OrderActorsSettings settings, CatalogStore catalog)
    {
        var (connectionString, provider) = Journal(options);
        var dataOptions = new DataOptions().UseConnectionString(provider, connectionString);
        if (options.Journal == "sqlite") dataOptions = dataOptions.UseInterceptor(new SqlitePragmas(options.SqliteSynchronous));
        var self = $"akka.tcp://{SystemName}@{options.ClusterHost}:{options.ClusterPort}";

        return services.AddAkka(SystemName, akka =>
        {
            akka.AddHocon(config, HoconAddMode.Prepend)
                .ConfigureLoggers(loggers =>
                {
                    loggers.ClearLoggers();
                    loggers.AddLoggerFactory();
                })
                .WithRemoting(options.ClusterHost, options.ClusterPort)
                .WithClustering(new ClusterOptions
                {
                    SeedNodes = options.SeedNodes.Count > 0 ? options.SeedNodes.ToArray() : [self],
                    Roles = options.Roles.ToArray(),
                })
                .WithSqlPersistence(dataOptions, PersistenceMode.Both, autoInitialize: true,
                    journalBuilder: journal => journal.WithHealthCheck(HealthStatus.Unhealthy, "journal", [ReadyTag]))
                .WithOrderActorsSerialization()
                .WithStrictSerialization()
                .WithOrderPipeline(settings, catalog)
                .WithActorSystemLivenessCheck(tags: [LiveTag])
                .WithAkkaClusterReadinessCheck(tags: [ReadyTag]);
        });
    }

    private static (string ConnectionString, string Provider) Journal(NodeOptions options)
    {
        if (options.Journal == "postgres")
            return (options.ConnectionString!, LinqToDB.ProviderName.PostgreSQL15);

        Directory.CreateDirectory(options.DataDir);
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = Path.GetFullPath(Path.Combine(options.DataDir, "orderactors.db")),
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
