using Microsoft.Data.Sqlite;
using OrderActors.IntegrationTests.Support;

namespace OrderActors.IntegrationTests;

public class DataDirTests
{
    [Fact]
    public async Task A_data_dir_with_first_queues_in_the_main_journal_is_refused_with_exit_2_and_the_reason()
    {
        var dir = Directory.CreateTempSubdirectory("orderactors-olddir-").FullName;
        try
        {
            // the layout of earlier versions: the first queues' events in orderactors.db, no ingest.db
            using (var connection = new SqliteConnection($"Data Source={Path.Combine(dir, "orderactors.db")};Pooling=False"))
            {
                connection.Open();
                using var command = connection.CreateCommand();
                command.CommandText = "CREATE TABLE journal (persistence_id TEXT, sequence_number INTEGER);" +
                                      "INSERT INTO journal VALUES ('ingest-0', 1);";
                command.ExecuteNonQuery();
            }
            var (code, stderr) = await RunNodeAsync(dir);

            Assert.Equal(2, code);
            Assert.Contains("ingest.db", stderr);
            Assert.Contains("earlier version", stderr);
            Assert.False(File.Exists(Path.Combine(dir, "ingest.db")), "the refused node must not have created the new layout");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>
    /// A read-only file system, as an operator meets it (a volume mounted ro, a disk remounted ro after errors).
    /// </summary>
    [Fact]
    public async Task A_read_only_data_dir_empty_or_written_stops_the_node_with_exit_2_naming_it()
    {
        await using var disk = await Tmpfs.MountAsync(64);
        // a node writes its data dir, then stops
        await using (var node = new NodeProcess(Path.Combine(disk.Path, "written")) { Keep = true })
        {
            await node.StartAsync();
            var outcome = new OrderOutcomes();
            await outcome.PostAsync(node.Http, "ro-1", Expected.Codes[0]);
            Assert.Equal(1, outcome.Accepted);
            Assert.Equal(0, await node.TerminateAsync(TimeSpan.FromSeconds(60)));
        }
        await disk.RemountReadOnlyAsync();

        var (emptyCode, empty) = await RunNodeAsync(Path.Combine(disk.Path, "never-written"));
        Assert.Equal(2, emptyCode);
        Assert.Contains($"--data-dir {Path.Combine(disk.Path, "never-written")} cannot be written", empty);

        var (writtenCode, written) = await RunNodeAsync(Path.Combine(disk.Path, "written"));
        Assert.Equal(2, writtenCode);
        Assert.Contains($"--data-dir {Path.Combine(disk.Path, "written")} cannot be written", written);
        Assert.Contains("Read-only file system", written);
    }
    private static async Task<(int Code, string Stderr)> RunNodeAsync(string dataDir)
    {
        var (http, akka) = OrderActors.Harness.LoopbackPorts.TwoFree();
        var (code, _, stderr) = await Repo.RunAsync(Repo.Built("OrderActors.Node", "OrderActors.Node.dll"),
            "--data-dir", dataDir, "--urls", $"http://127.0.0.1:{http}", "--cluster-port", $"{akka}");
        return (code, stderr);
    }

    [Fact]
    public async Task A_second_node_on_the_same_data_dir_exits_2_naming_the_dir_and_the_holder_and_a_kill_9_leaves_no_stale_lock()
    {
        await using var first = await NodeProcess.StartAsync();
        var outcome = new OrderOutcomes();
        await outcome.PostAsync(first.Http, "lock-1", Expected.Codes[0]);
        Assert.Equal(1, outcome.Accepted);

        var (code, stderr) = await RunNodeAsync(first.DataDir);
        Assert.Equal(2, code);
        Assert.Contains($"--data-dir {Path.GetFullPath(first.DataDir)} is in use by another node (pid {first.Pid})", stderr);
        Assert.True(first.IsRunning);
        Assert.False(first.Logged("UNIQUE constraint failed"));

        // the lock goes with the process: started again at once after a kill -9, the node finds its order
        first.Kill();
        await first.StartAsync(TimeSpan.FromSeconds(30));
        Assert.Equal("lock-1", (string)(await first.Http.GetJsonAsync("/api/orders/lock-1")).Body!["orderId"]!);
    }

    [Fact]
    public async Task A_damaged_journal_file_stops_the_node_with_exit_2_naming_the_file()
    {
        foreach (var file in new[] { "ingest.db", "orderactors.db" })
        {
            var dir = Directory.CreateTempSubdirectory("orderactors-damaged-").FullName;
            try
            {
                await File.WriteAllBytesAsync(Path.Combine(dir, file), Enumerable.Range(0, 8192).Select(i => (byte)(i * 7 + 3)).ToArray());
                var (code, stderr) = await RunNodeAsync(dir);
                Assert.Equal(2, code);
                Assert.Contains($"{Path.Combine(dir, file)} cannot be read as an SQLite database", stderr);
            }
            finally
            {
                Directory.Delete(dir, recursive: true);
            }
        }
    }
}
