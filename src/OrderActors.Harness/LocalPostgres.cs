using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace OrderActors.Harness;

/// <summary>
/// A throwaway PostgreSQL server from the machine's own installation (Debian: <c>apt-get install postgresql</c>):
/// <c>initdb</c> in a temp dir, <c>pg_ctl start</c> on a free loopback port (as the <c>postgres</c> user when the
/// tests run as root, since PostgreSQL refuses to run as root), removed again on dispose. Never a mock. The tests'
/// fixture and the benchmark's <c>--journal postgres</c> both start one.
/// </summary>
public class LocalPostgres
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "orderactors-pg-" + Guid.NewGuid().ToString("N")[..8]);
    private string _bin = "";
    private int _databases;

    public int Port { get; } = FreePort();

    /// <summary>An address to listen on beside loopback (a partition drill's bridge), trusted from <see cref="TrustedNetwork"/>.</summary>
    public string? AlsoListenOn { get; init; }

    public string? TrustedNetwork { get; init; }

    public async Task InitializeAsync()
    {
        _bin = FindBin() ?? throw new InvalidOperationException(
            "PostgreSQL is not installed: install it (Debian: apt-get install postgresql); .ci/run does this on CI machines");
        Directory.CreateDirectory(_dir);
        if (IsRoot) await Run("chown", ["-R", "postgres:postgres", _dir]);
        await Pg("initdb", ["-D", Data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"]);
        if (TrustedNetwork is not null) await File.AppendAllTextAsync(Path.Combine(Data, "pg_hba.conf"), $"host all all {TrustedNetwork} trust\n");
        await StartAsync();
    }

    /// <summary>A new, empty database and its connection string (to <paramref name="host"/>: loopback, or <see cref="AlsoListenOn"/>).</summary>
    public async Task<string> CreateDatabaseAsync(string host = "127.0.0.1")
    {
        var name = $"orderactors_{Interlocked.Increment(ref _databases)}";
        await PsqlAsync($"CREATE DATABASE {name}");
        return $"Host={host};Port={Port};Database={name};Username=postgres;Password=unused;Pooling=true;Maximum Pool Size=50";
    }

    /// <summary>Runs one SQL command (in <paramref name="database"/>) and returns what psql printed: unaligned, tuples only.</summary>
    public async Task<string> PsqlAsync(string sql, string database = "postgres") =>
        await Pg("psql", ["-h", "127.0.0.1", "-p", Port.ToString(), "-U", "postgres", "-d", database, "-At", "-c", sql]);

    /// <summary>The server's CPU time so far, its backends' included (<see cref="ProcessMemory.ServerCpuTime"/>); null when it is not running.</summary>
    public TimeSpan? CpuTime()
    {
        var pidFile = Path.Combine(Data, "postmaster.pid");
        return File.Exists(pidFile) && int.TryParse(File.ReadLines(pidFile).First(), out var pid) ? ProcessMemory.ServerCpuTime(pid) : null;
    }

    /// <summary>Stops the server at once (an outage: connections cut, nothing flushed politely).</summary>
    public Task StopAsync() => Pg("pg_ctl", ["-D", Data, "-m", "immediate", "-w", "stop"]);

    /// <summary>Starts it again on the same port and data.</summary>
    public Task StartAsync() => Pg("pg_ctl", ["-D", Data, "-l", Path.Combine(_dir, "server.log"), "-w", "-t", "60", "start",
        "-o", $"-p {Port} -k {_dir} -c listen_addresses=127.0.0.1{(AlsoListenOn is null ? "" : "," + AlsoListenOn)} -c max_connections=200"]);

    public async Task DisposeAsync()
    {
        try
        {
            await Pg("pg_ctl", ["-D", Data, "-m", "immediate", "-w", "stop"]);
        }
        catch (InvalidOperationException)
        {
            // already stopped
        }
        try { Directory.Delete(_dir, recursive: true); }
        catch (IOException) { }
    }

    private string Data => Path.Combine(_dir, "data");

    private static bool IsRoot => Environment.UserName == "root";

    private Task<string> Pg(string tool, string[] args) =>
        IsRoot ? Run("runuser", ["-u", "postgres", "--", Path.Combine(_bin, tool), .. args]) : Run(Path.Combine(_bin, tool), args);

    private static string? FindBin()
    {
        var versions = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").OrderByDescending(d => int.TryParse(Path.GetFileName(d), out var v) ? v : 0)
            : Enumerable.Empty<string>();
        return versions.Select(d => Path.Combine(d, "bin")).FirstOrDefault(b => File.Exists(Path.Combine(b, "initdb")));
    }

    private static async Task<string> Run(string file, string[] args)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited {process.ExitCode}:\n{await stdout}\n{await stderr}");
        return await stdout;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
