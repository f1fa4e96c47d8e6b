using System.Globalization;
using OrderActors.Harness;

namespace OrderActors.Bench;

/// <summary>
/// The fresh nodes a run measures: published in Release (or the given build), each on a temp data dir, started as the
/// Dockerfile starts them; on embedded SQLite (one node), or on a throwaway PostgreSQL server of this machine's
/// (Debian's package) with <c>--journal postgres</c>, one node or a cluster of <c>--cluster N</c> on loopback.
/// </summary>
public sealed class FreshNodes : IAsyncDisposable
{
    private FreshNodes(IReadOnlyList<NodeProcess> nodes, LocalPostgres? postgres, string? database) =>
        (Nodes, Postgres, _database) = (nodes, postgres, database);

    private readonly string? _database;

    public IReadOnlyList<NodeProcess> Nodes { get; }
    public LocalPostgres? Postgres { get; }

    public static async Task<FreshNodes> StartAsync(string? nodeDll, bool keep, string journal, int count, TextWriter log)
    {
        var workDir = Path.Combine(Path.GetTempPath(), "orderactors-bench-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(workDir);
        nodeDll ??= await PublishAsync(Path.Combine(workDir, "node"), log);
        LocalPostgres? postgres = null;
        string[] journalArgs = [];
        string? database = null;
        if (journal == "postgres")
        {
            postgres = new LocalPostgres();
            log.WriteLine("starting a throwaway PostgreSQL server ...");
            await postgres.InitializeAsync();
            var connection = await postgres.CreateDatabaseAsync();
            database = connection.Split(';').Single(p => p.StartsWith("Database=", StringComparison.Ordinal))["Database=".Length..];
            journalArgs = ["--journal", "postgres", "--connection-string", connection];
        }
        // A cluster's members all join before any of them is up (min-nr-of-members), so that the shards are placed on
        // all of them from the first order: nodes started one after the other would spend the run handing shards over.
        string[] clusterArgs = [];
        if (count > 1)
        {
            var hocon = Path.Combine(workDir, "cluster.hocon");
            await File.WriteAllTextAsync(hocon, $"akka.cluster.min-nr-of-members = {count}\n");
            clusterArgs = ["--hocon", hocon];
        }
        var nodes = new List<NodeProcess>();
        for (var i = 0; i < count; i++)
        {
            string[] seed = i == 0 ? [] : ["--seed-nodes", $"akka.tcp://orderactors@127.0.0.1:{nodes[0].ClusterPort}"];
            var node = new NodeProcess(Path.Combine(workDir, $"data-{i}"), [.. journalArgs, .. clusterArgs, .. seed])
            {
                NodeDll = nodeDll,
                Keep = keep,
                DumpOnTimeout = true,
                Environment = new Dictionary<string, string>
                {
                    // start-up is logged (a few lines); once running the node logs little
                    ["Logging__LogLevel__Default"] = "Information",
                    // as the Dockerfile runs a node: hot methods are optimised without waiting for start-up compilation to pause
                    ["DOTNET_TC_CallCountingDelayMs"] = "0",
                },
            };
            nodes.Add(node);
        }
        log.WriteLine($"starting {count} node{(count == 1 ? "" : "s")} ...");
        await Task.WhenAll(nodes.Select(n => n.StartAsync(TimeSpan.FromSeconds(120))));
        return new FreshNodes(nodes, postgres, database);
    }

    /// <summary>Publishes OrderActors.Node in Release to <paramref name="output"/>; the path of its dll.</summary>
    public static async Task<string> PublishAsync(string output, TextWriter log)
    {
        log.WriteLine($"publishing OrderActors.Node (Release) to {output} ...");
        var (exit, _, err) = await Repo.RunProgramAsync(Repo.DotnetHost,
            ["publish", Path.Combine(Repo.Root, "src", "OrderActors.Node"), "-c", "Release", "-o", output, "--nologo", "-v", "q"],
            TimeSpan.FromMinutes(10));
        if (exit != 0) throw new InvalidOperationException($"dotnet publish failed ({exit}): {err}");
        return Path.Combine(output, "OrderActors.Node.dll");
    }

    /// <summary>
    /// What the journal has done so far: rows inserted per table and transactions committed in the nodes' database
    /// (PostgreSQL's statistics, read after they are flushed), and its size; on SQLite, the data dirs' bytes.
    /// </summary>
    public async Task<JournalStats> JournalStatsAsync()
    {
        if (Postgres is null)
            return new JournalStats(new Dictionary<string, long>(), 0, Nodes.Sum(n => DirectoryBytes(n.DataDir)), null);
        // a backend's counts reach the shared statistics when it is idle for a moment: a fresh snapshot after that
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        var rows = (await Postgres.PsqlAsync("SELECT relname, n_tup_ins FROM pg_stat_user_tables", _database!))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('|'))
            .ToDictionary(p => p[0], p => long.Parse(p[1], CultureInfo.InvariantCulture));
        var commits = long.Parse((await Postgres.PsqlAsync($"SELECT xact_commit FROM pg_stat_database WHERE datname = '{_database}'")).Trim(),
            CultureInfo.InvariantCulture);
        var size = long.Parse((await Postgres.PsqlAsync($"SELECT pg_database_size('{_database}')")).Trim(), CultureInfo.InvariantCulture);
        return new JournalStats(rows, commits, size, Postgres.CpuTime());
    }

    private static long DirectoryBytes(string dir) =>
        Directory.Exists(dir) ? new DirectoryInfo(dir).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length) : 0;

    public async ValueTask DisposeAsync()
    {
        foreach (var node in Nodes) await node.DisposeAsync();
        if (Postgres is not null) await Postgres.DisposeAsync();
    }
}

/// <summary>The journal's work at one moment: rows inserted by table, commits and the server's CPU time (PostgreSQL), and the bytes it holds.</summary>
public sealed record JournalStats(IReadOnlyDictionary<string, long> Rows, long Commits, long Bytes, TimeSpan? ServerCpu)
{
    /// <summary>What was done between <paramref name="before"/> and this.</summary>
    public JournalStats Since(JournalStats before) => new(
        Rows.ToDictionary(kv => kv.Key, kv => kv.Value - before.Rows.GetValueOrDefault(kv.Key)), Commits - before.Commits, Bytes,
        ServerCpu - before.ServerCpu);
}
