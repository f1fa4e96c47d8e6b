using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
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

    // The journal opens a connection per transaction, from Microsoft.Data.Sqlite's pool: the native connection under it
    // keeps its pragmas, so they are set once per native connection, not on every open (an extra statement per commit).
    private readonly ConditionalWeakTable<object, object> _configured = new();

    public void ConnectionOpened(ConnectionEventData eventData, DbConnection connection)
    {
        if (AlreadyConfigured(connection)) return;
        using var command = connection.CreateCommand();
        command.CommandText = _sql;
        command.ExecuteNonQuery();
        MarkConfigured(connection);
    }

    public async Task ConnectionOpenedAsync(ConnectionEventData eventData, DbConnection connection, CancellationToken cancellationToken)
    {
        if (AlreadyConfigured(connection)) return;
        await using var command = connection.CreateCommand();
        command.CommandText = _sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
        MarkConfigured(connection);
    }

    private bool AlreadyConfigured(DbConnection connection) =>
        connection is SqliteConnection { Handle: { } handle } && _configured.TryGetValue(handle, out _);

    private void MarkConfigured(DbConnection connection)
    {
        if (connection is SqliteConnection { Handle: { } handle }) _configured.AddOrUpdate(handle, this);
    }

    public void ConnectionOpening(ConnectionEventData eventData, DbConnection connection) { }

    public Task ConnectionOpeningAsync(ConnectionEventData eventData, DbConnection connection, CancellationToken cancellationToken) =>
        Task.CompletedTask;
}
