using System.Net.Http;
using OrderActors.Cli;

const string usage = """
    orderctl — operate an OrderActors node or cluster

    usage: orderctl [--node URL] [--json] <command>

      catalog import FILE        import manufacturers/products (.json, or .csv with a header row)
      orders replay FILE         send every order of an NDJSON file (one order per line), with progress
                                 [--batch N (100)] [--concurrency N (4)]
      orders show ID             one order: status per unit, queue, seq, enriched lines
      cluster show               members: address, status, roles, leader, reachability
      cluster leave ADDR         ask a member to leave gracefully (ADDR: akka.tcp://orderactors@host:port)
      cluster down ADDR          mark an unreachable member down
      cluster tail               print member changes as they happen (Ctrl+C to stop)
      sharding regions           shards and entities per region and node
      sharding stats             entities per shard per node
      queues                     depth and last seq of every first and second queue

    options:
      --node URL                 the node to talk to (default http://127.0.0.1:5080, or ORDERACTORS_NODE)
      --json                     print machine-readable JSON instead of tables
      --token TOKEN              the node's admin token (or ORDERACTORS_ADMIN_TOKEN), when it has one

    exit codes: 0 ok · 1 the node refused something (rejected orders, bad rows, not found) · 2 usage · 3 node unreachable
    """;

try
{
    var cli = CliArgs.Parse(args);
    using var http = new HttpClient { BaseAddress = cli.Node, Timeout = TimeSpan.FromMinutes(2) };
    if (cli.Token is { Length: > 0 } token)
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
    using var interrupted = new CancellationTokenSource();
    Console.CancelKeyPress += (_, e) =>
    {
        e.Cancel = true;
        interrupted.Cancel();
    };
    var output = new Output(cli.Json);
    return cli.Words switch
    {
        ["catalog", "import", var file] => await Commands.CatalogImportAsync(http, output, file),
        ["orders", "replay", var file] => await Commands.ReplayAsync(http, output, file, cli.Batch, cli.Concurrency),
        ["orders", "show", var id] => await Commands.ShowOrderAsync(http, output, id),
        ["cluster", "show"] => await ClusterCommands.ShowAsync(http, output),
        ["cluster", "leave" or "down", var address] => await ClusterCommands.CommandAsync(http, output, cli.Words[1], address),
        ["cluster", "tail"] => await ClusterCommands.TailAsync(http, output, interrupted.Token),
        ["sharding", "regions"] => await ClusterCommands.ShardingAsync(http, output, perShard: false),
        ["sharding", "stats"] => await ClusterCommands.ShardingAsync(http, output, perShard: true),
        ["queues"] => await ClusterCommands.QueuesAsync(http, output),
        [] or ["help"] => Help(),
        _ => throw new UsageException($"unknown command: {string.Join(' ', cli.Words)}"),
    };
}
catch (UsageException e)
{
    Console.Error.WriteLine($"orderctl: {e.Message}\n");
    Console.Error.WriteLine(usage);
    return 2;
}
catch (HttpRequestException e)
{
    Console.Error.WriteLine($"orderctl: cannot reach the node: {e.Message}");
    return 3;
}
catch (TaskCanceledException)
{
    Console.Error.WriteLine("orderctl: the node did not answer in time");
    return 3;
}

int Help()
{
    Console.WriteLine(usage);
    return 0;
}
