using System.Data.Common;
using LinqToDB.Interceptors;

namespace OrderActors.Node.Hosting;

/// <summary>
/// Sets SQLite's per-connection pragmas on every connection the journal opens. <c>synchronous</c> decides what a
/// commit survives: FULL (the default) fsyncs the WAL on every commit and survives power loss; NORMAL fsyncs only at
/// checkpoints and survives a crash or kill -9 of the process, not a power loss of the machine.
/// </summary>
public sealed class SqlitePragmas(string synchronous) : IConnectionInterceptor
{
    private readonly string _sql = $"PRAGMA synchronous={synchronous}; PRAGMA busy_timeout=60000;";

    public void ConnectionOpened(ConnectionEventData eventData, DbConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = _sql;
        command.ExecuteNonQuery();
    }

    public async Task ConnectionOpenedAsync(ConnectionEventData eventData, DbConnection connection, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = _sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public void ConnectionOpening(ConnectionEventData eventData, DbConnection connection) { }

    public Task ConnectionOpeningAsync(ConnectionEventData eventData, DbConnection connection, CancellationToken cancellationToken) =>
        Task.CompletedTask;
}
