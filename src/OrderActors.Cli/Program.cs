using System.Net.Http;
using OrderActors.Cli;

const string usage = """
    orderctl — operate an OrderActors node or cluster

    usage: orderctl [--node URL] [--json] <command>

      catalog import FILE        import manufacturers/products (.json, or .csv with a header row)
      orders replay FILE         send every order of an NDJSON file (one order per line), with progress
                                 [--batch N (100)] [--concurrency N (4)]
      orders show ID             one order: status per unit, queue, seq, enriched lines

    options:
      --node URL                 the node to talk to (default http://127.0.0.1:5080, or ORDERACTORS_NODE)
      --json                     print machine-readable JSON instead of tables

    exit codes: 0 ok · 1 the node refused something (rejected orders, bad rows, not found) · 2 usage · 3 node unreachable
    """;

try
{
    var cli = CliArgs.Parse(args);
    using var http = new HttpClient { BaseAddress = cli.Node, Timeout = TimeSpan.FromMinutes(2) };
    var output = new Output(cli.Json);
    return cli.Words switch
    {
        ["catalog", "import", var file] => await Commands.CatalogImportAsync(http, output, file),
        ["orders", "replay", var file] => await Commands.ReplayAsync(http, output, file, cli.Batch, cli.Concurrency),
        ["orders", "show", var id] => await Commands.ShowOrderAsync(http, output, id),
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
