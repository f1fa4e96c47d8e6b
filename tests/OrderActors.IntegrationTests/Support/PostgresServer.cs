using OrderActors.Harness;

namespace OrderActors.IntegrationTests.Support;

/// <summary>The tests' throwaway PostgreSQL (<see cref="LocalPostgres"/>), started and removed by xUnit as a fixture.</summary>
public sealed class PostgresServer : LocalPostgres, IAsyncLifetime;
