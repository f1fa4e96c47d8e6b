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
            var (http, akka) = OrderActors.Harness.LoopbackPorts.TwoFree();

            var (code, _, stderr) = await Repo.RunAsync(Repo.Built("OrderActors.Node", "OrderActors.Node.dll"),
                "--data-dir", dir, "--urls", $"http://127.0.0.1:{http}", "--cluster-port", $"{akka}");

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
}
