using System.CommandLine;
using OrderActors.Cli;

// orderctl — operate an OrderActors node or cluster. Every command gets --help, validation of its arguments and
// the same exit codes: 0 ok · 1 the node refused something (rejected orders, bad rows, not found) · 2 usage ·
// 3 node unreachable.

var node = new Option<string>("--node")
{
    Description = "the node to talk to (or ORDERACTORS_NODE)",
    Recursive = true,
    DefaultValueFactory = _ => Environment.GetEnvironmentVariable("ORDERACTORS_NODE") is { Length: > 0 } env ? env : Cli.DefaultNode,
};
var json = new Option<bool>("--json") { Description = "print machine-readable JSON instead of tables", Recursive = true };
var token = new Option<string?>("--token")
{
    Description = "the node's admin token (or ORDERACTORS_ADMIN_TOKEN), when it has one",
    Recursive = true,
    DefaultValueFactory = _ => Environment.GetEnvironmentVariable("ORDERACTORS_ADMIN_TOKEN"),
};
var cli = new Cli(node, json, token);

var file = new Argument<string>("FILE") { Description = "the file to read" };
var orderId = new Argument<string>("ID") { Description = "the order id" };
var address = new Argument<string>("ADDR") { Description = "a member's address, e.g. akka.tcp://orderactors@127.0.0.1:4053" };
var batch = Cli.Bounded(new Option<int>("--batch") { Description = "orders per request (1–1000)", DefaultValueFactory = _ => 100 }, 1, 1000);
var concurrency = Cli.Bounded(new Option<int>("--concurrency") { Description = "requests in flight (1–64)", DefaultValueFactory = _ => 4 }, 1, 64);

var root = new RootCommand("orderctl — operate an OrderActors node or cluster") { node, json, token };
root.Subcommands.Add(new Command("catalog", "the catalog of manufacturers and products")
{
    cli.Action(new Command("import", "import manufacturers/products (.json, or .csv with a header row)") { file },
        (p, c) => Commands.CatalogImportAsync(c.Http, c.Output, p.GetValue(file)!)),
});
root.Subcommands.Add(new Command("orders", "orders as the node holds them")
{
    cli.Action(new Command("replay", "send every order of an NDJSON file (one order per line), with progress") { file, batch, concurrency },
        (p, c) => Commands.ReplayAsync(c.Http, c.Output, p.GetValue(file)!, p.GetValue(batch), p.GetValue(concurrency))),
    cli.Action(new Command("show", "one order: status per unit, queue, seq, enriched lines") { orderId },
        (p, c) => Commands.ShowOrderAsync(c.Http, c.Output, p.GetValue(orderId)!)),
});
root.Subcommands.Add(new Command("cluster", "the cluster's members")
{
    cli.Action(new Command("show", "members: address, status, roles, leader, reachability"), (_, c) => ClusterCommands.ShowAsync(c.Http, c.Output)),
    cli.Action(new Command("leave", "ask a member to leave gracefully") { address },
        (p, c) => ClusterCommands.CommandAsync(c.Http, c.Output, "leave", p.GetValue(address)!)),
    cli.Action(new Command("down", "mark an unreachable member down") { address },
        (p, c) => ClusterCommands.CommandAsync(c.Http, c.Output, "down", p.GetValue(address)!)),
    cli.Action(new Command("tail", "print member changes as they happen (Ctrl+C to stop)"),
        (_, c) => ClusterCommands.TailAsync(c.Http, c.Output, c.Cancellation)),
});
root.Subcommands.Add(new Command("sharding", "where the shards live")
{
    cli.Action(new Command("regions", "shards and entities per region and node"), (_, c) => ClusterCommands.ShardingAsync(c.Http, c.Output, perShard: false)),
    cli.Action(new Command("stats", "entities per shard per node"), (_, c) => ClusterCommands.ShardingAsync(c.Http, c.Output, perShard: true)),
});
root.Subcommands.Add(cli.Action(new Command("queues", "depth and last seq of every first and second queue"), (_, c) => ClusterCommands.QueuesAsync(c.Http, c.Output)));

return await cli.InvokeAsync(root, args is [] or ["help"] ? ["--help"] : args);
