using System.Diagnostics;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;
using OrderActors.Domain.Health;
using OrderActors.Node.Hosting;

namespace OrderActors.Node.Health;

/// <summary>
/// Probes, every <see cref="HealthOptions.ProbeInterval"/>, whether this node can write its journal, and says so to
/// readiness (a load balancer stops sending) and to the write gate (a caller gets 503 at once, not after the ask
/// timeout). PostgreSQL: a one-row upsert on a connection pool of its own (the journal's may be full of stuck
/// writes). SQLite: the data dir's free space and writability; a write probe there could succeed in space the
/// WAL reuses while the journal's appends fail.
/// </summary>
public sealed class JournalProbe(NodeOptions node, HealthOptions options, JournalHealth state, ILogger<JournalProbe> log) : BackgroundService, IHealthCheck
{
    private readonly NpgsqlConnectionStringBuilder? _postgres = node.Journal == "postgres"
        ? new NpgsqlConnectionStringBuilder(node.ConnectionString)
        {
            ApplicationName = "orderactors-health", Timeout = Math.Max(1, (int)options.ProbeTimeout.TotalSeconds),
            CommandTimeout = Math.Max(1, (int)options.ProbeTimeout.TotalSeconds), MaxPoolSize = 2,
        }
        : null;
    private readonly string _self = $"{node.ClusterHost}:{node.ClusterPort}";
    private bool _tableReady;

    public JournalHealth State => state;
    public HealthOptions Options => options;

    protected override async Task ExecuteAsync(CancellationToken stopping)
    {
        using var tick = new PeriodicTimer(options.ProbeInterval);
        do
        {
            var failure = await ProbeAsync(stopping);
            if (State.Record(failure, DateTimeOffset.UtcNow))
            {
                if (failure is null) log.LogWarning("The journal can be written again (it could not for {Seconds:N1} s): intake is open", (DateTimeOffset.UtcNow - State.Since).TotalSeconds);
                else log.LogError("The journal cannot be written: {Reason}. Readiness is off and calls that write answer 503 until it can", failure);
            }
        } while (await tick.WaitForNextTickAsync(stopping));
    }

    /// <summary>Null when the journal can be written, else why not.</summary>
    private async Task<string?> ProbeAsync(CancellationToken stopping)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stopping);
            timeout.CancelAfter(options.ProbeTimeout);
            return _postgres is null ? SqliteFailure() : await PostgresFailureAsync(_postgres.ConnectionString, timeout.Token);
        }
        catch (OperationCanceledException) when (!stopping.IsCancellationRequested)
        {
            return $"the journal did not answer within {options.ProbeTimeout.TotalSeconds:0.#} s";
        }
        catch (Exception e) when (e is NpgsqlException or IOException or UnauthorizedAccessException or InvalidOperationException or TimeoutException)
        {
            return _postgres is null ? e.Message.TrimEnd('.')
                : $"PostgreSQL at {_postgres.Host}:{_postgres.Port}/{_postgres.Database}: {(e.InnerException ?? e).Message.TrimEnd('.')}";
        }
    }

    private async Task<string?> PostgresFailureAsync(string connectionString, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        await using var command = connection.CreateCommand();
        if (!_tableReady)
        {
            command.CommandText = "CREATE TABLE IF NOT EXISTS orderactors_health (node text PRIMARY KEY, probed_at timestamptz NOT NULL)";
            await command.ExecuteNonQueryAsync(ct);
            _tableReady = true;
        }
        command.CommandText = "INSERT INTO orderactors_health (node, probed_at) VALUES (@node, now()) ON CONFLICT (node) DO UPDATE SET probed_at = excluded.probed_at";
        command.Parameters.AddWithValue("node", _self);
        await command.ExecuteNonQueryAsync(ct);
        return null;
    }

    private string? SqliteFailure()
    {
        var dir = Path.GetFullPath(node.DataDir);
        var free = new DriveInfo(dir).AvailableFreeSpace;
        if (free < options.MinFreeBytes)
            return $"{free / (1024 * 1024):N0} MiB free on the file system of --data-dir {dir} (below orderactors.health.min-free-space, {options.MinFreeBytes / (1024 * 1024):N0} MiB)";
        NodeAkkaSetup.WriteCheck(dir);
        return null;
    }

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(State.Writable
            ? HealthCheckResult.Healthy("the journal can be written")
            : HealthCheckResult.Unhealthy($"the journal cannot be written since {State.Since:HH:mm:ss}Z: {State.Reason}"));
}
