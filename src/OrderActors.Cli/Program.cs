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
    Description = "an API key, or the node's admin token (or ORDERACTORS_TOKEN, else ORDERACTORS_ADMIN_TOKEN), when auth is on",
    Recursive = true,
    DefaultValueFactory = _ => Environment.GetEnvironmentVariable("ORDERACTORS_TOKEN") is { Length: > 0 } key ? key
        : Environment.GetEnvironmentVariable("ORDERACTORS_ADMIN_TOKEN"),
};
var cli = new Cli(node, json, token);

var file = new Argument<string>("FILE") { Description = "the file to read" };
var orderId = new Argument<string>("ID") { Description = "the order id" };
var address = new Argument<string>("ADDR") { Description = "a member's address, e.g. akka.tcp://orderactors@127.0.0.1:4053" };
var batch = Cli.Bounded(new Option<int>("--batch") { Description = "orders per request (1–1000)", DefaultValueFactory = _ => 100 }, 1, 1000);
var concurrency = Cli.Bounded(new Option<int>("--concurrency") { Description = "requests in flight (1–64)", DefaultValueFactory = _ => 4 }, 1, 64);

var olderThan = new Option<string>("--older-than") { Description = "how long an order has waited to count as stuck: 30s, 5m, 1h", DefaultValueFactory = _ => "5m" };
var stuckUnit = new Option<string?>("--unit") { Description = "only this unit's orders" };
var stuckLimit = Cli.Bounded(new Option<int>("--limit") { Description = "at most this many, oldest first (1–1000)", DefaultValueFactory = _ => 100 }, 1, 1000);
var topInterval = Cli.Bounded(new Option<int>("--interval") { Description = "seconds between redraws (1–60)", DefaultValueFactory = _ => 2 }, 1, 60);
var topOnce = new Option<bool>("--once") { Description = "draw once and exit" };
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
    cli.Action(new Command("trace", "one order's hops: accepted, routed, queued, processed, parked, delivered, reported") { orderId },
        (p, c) => WatchCommands.TraceAsync(c.Http, c.Output, p.GetValue(orderId)!)),
    cli.Action(new Command("stuck", "the orders not delivered after an age, oldest first, with where each waits and why") { olderThan, stuckUnit, stuckLimit },
        (p, c) => WatchCommands.StuckAsync(c.Http, c.Output, p.GetValue(olderThan)!, p.GetValue(stuckUnit), p.GetValue(stuckLimit))),
});
root.Subcommands.Add(cli.Action(new Command("top", "the operator page's main panels, live in the terminal (Ctrl+C to stop)") { topInterval, topOnce },
    (p, c) => WatchCommands.TopAsync(c.Http, c.Output, TimeSpan.FromSeconds(p.GetValue(topInterval)), p.GetValue(topOnce), c.Cancellation)));
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
var unit = new Argument<string>("UNIT") { Description = "the unit, e.g. erp" };
var mode = new Option<string>("--mode") { Description = "pull or webhook", Required = true };
mode.AcceptOnlyFromAmong("pull", "webhook");
var url = new Option<string?>("--url") { Description = "the webhook's URL (http or https)" };
var secret = new Option<string[]>("--secret") { Description = "a whsec_ secret to sign with (give two while rotating)", AllowMultipleArgumentsPerToken = false };
var hookBatch = new Option<int?>("--batch") { Description = "orders per webhook request (1–1000, default 100)" };
var timeout = new Option<string?>("--timeout") { Description = "how long to wait for the receiver, e.g. 10s" };
var onFailure = new Option<string?>("--on-failure") { Description = "block (default) or park" };
onFailure.AcceptOnlyFromAmong("block", "park");
var maxAttempts = new Option<int?>("--max-attempts") { Description = "park: attempts before an order is parked (default 10)" };
var maxAge = new Option<string?>("--max-age") { Description = "park: how long to keep trying before parking, e.g. 1h" };
var rateLimit = new Option<double?>("--rate-limit") { Description = "orders per second for the unit, shared by its queues (0: none)" };
var reason = new Option<string?>("--reason") { Description = "why (shown to other operators)" };
var deliveryIds = new Argument<string[]>("DELIVERY_ID") { Description = "deliveryIds of parked orders (unit:queue:seq)", Arity = ArgumentArity.ZeroOrMore };
var allParked = new Option<bool>("--all") { Description = "every parked order of the unit" };
var queue = new Argument<int>("QUEUE") { Description = "the unit's queue number" };
var from = new Option<long>("--from") { Description = "the seq to replay from", Required = true };
root.Subcommands.Add(new Command("delivery", "how each unit's orders reach its downstream system")
{
    cli.Action(new Command("show", "per unit queue: mode, delivered cursor, lag, in flight, attempts, last error"),
        (_, c) => DeliveryCommands.ShowAsync(c.Http, c.Output)),
    cli.Action(new Command("set", "set a unit's delivery: pull, or webhook with its URL and secret") { unit, mode, url, secret, hookBatch, timeout, onFailure, maxAttempts, maxAge, rateLimit },
        (p, c) => DeliveryCommands.SetAsync(c.Http, c.Output, p.GetValue(unit)!, p.GetValue(mode)!, p.GetValue(url), p.GetValue(secret) ?? [],
            p.GetValue(hookBatch), p.GetValue(timeout), p.GetValue(onFailure), p.GetValue(maxAttempts), p.GetValue(maxAge), p.GetValue(rateLimit))),
    cli.Action(new Command("pause", "pause a unit's webhook delivery on every node (orders wait in its queues)") { unit, reason },
        (p, c) => DeliveryCommands.PauseAsync(c.Http, c.Output, p.GetValue(unit)!, pause: true, p.GetValue(reason))),
    cli.Action(new Command("resume", "resume a unit's webhook delivery") { unit },
        (p, c) => DeliveryCommands.PauseAsync(c.Http, c.Output, p.GetValue(unit)!, pause: false, null)),
});
var unitOption = new Option<string?>("--unit") { Description = "only this unit" };
var since = new Option<string?>("--since") { Description = "only parked at or after this time (ISO 8601)" };
var archived = new Option<bool>("--archived") { Description = "list the archived ones instead" };
root.Subcommands.Add(new Command("parked", "orders delivery gave up on (policy park)")
{
    cli.Action(new Command("list", "parked orders: deliveryId, order, last status, attempts, error") { unitOption, reason, since, archived },
        (p, c) => DeliveryCommands.ParkedListAsync(c.Http, c.Output, p.GetValue(unitOption), p.GetValue(reason), p.GetValue(since), p.GetValue(archived))),
    cli.Action(new Command("retry", "send parked orders again (before the queue's next request)") { unit, deliveryIds, allParked },
        (p, c) => DeliveryCommands.ParkedActAsync(c.Http, c.Output, "retry", p.GetValue(unit)!, p.GetValue(deliveryIds) ?? [], p.GetValue(allParked))),
    cli.Action(new Command("archive", "set parked orders aside for good") { unit, deliveryIds, allParked },
        (p, c) => DeliveryCommands.ParkedActAsync(c.Http, c.Output, "archive", p.GetValue(unit)!, p.GetValue(deliveryIds) ?? [], p.GetValue(allParked))),
});
root.Subcommands.Add(new Command("units", "the business units' queues")
{
    cli.Action(new Command("replay", "deliver a queue again from a seq (webhook), or move its pull cursor back") { unit, queue, from },
        (p, c) => DeliveryCommands.ReplayAsync(c.Http, c.Output, p.GetValue(unit)!, p.GetValue(queue), p.GetValue(from))),
});
var keyName = new Argument<string>("NAME") { Description = "who holds the key, e.g. oms-eu" };
var keyRole = new Option<string>("--role") { Description = "producer, consumer, operator or admin", Required = true };
keyRole.AcceptOnlyFromAmong("producer", "consumer", "operator", "admin");
var keyUnits = new Option<string[]>("--units") { Description = "a consumer's units, e.g. --units erp,wms", AllowMultipleArgumentsPerToken = true };
var keyId = new Argument<string>("ID") { Description = "the key's id (keys list shows it)" };
root.Subcommands.Add(new Command("keys", "API keys and their roles (admin)")
{
    cli.Action(new Command("create", "create a key; it is printed this once") { keyName, keyRole, keyUnits },
        (p, c) => KeyCommands.CreateAsync(c.Http, c.Output, p.GetValue(keyName)!, p.GetValue(keyRole)!,
            (p.GetValue(keyUnits) ?? []).SelectMany(u => u.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList())),
    cli.Action(new Command("list", "every key: id, name, role, units, created, revoked (never a secret)"), (_, c) => KeyCommands.ListAsync(c.Http, c.Output)),
    cli.Action(new Command("revoke", "revoke a key on every node") { keyId }, (p, c) => KeyCommands.RevokeAsync(c.Http, c.Output, p.GetValue(keyId)!)),
});
var routingVersion = new Option<int?>("--version") { Description = "that version instead of the live one" };
var routingFrom = new Option<string?>("--from") { Description = "a version number or 'draft' (default: the live version)" };
var routingTo = new Option<string?>("--to") { Description = "a version number or 'draft' (default: the draft, or the live version)" };
var routingExpect = new Option<int?>("--expect") { Description = "the version you expect live (default: the live one now)" };
var routingNote = new Option<string?>("--note") { Description = "why: kept with the version" };
var previewLast = Cli.Bounded(new Option<int>("--last") { Description = "how many of the last accepted orders (1–100000)", DefaultValueFactory = _ => 10_000 }, 1, 100_000);
var previewVersion = new Option<int?>("--version") { Description = "preview that version instead of the draft" };
var testVersion = new Option<string?>("--version") { Description = "a version number or 'draft' (default: the live version)" };
var orderFile = new Argument<string>("ORDER.json") { Description = "an order body, as the OMS sends it" };
root.Subcommands.Add(new Command("routing", "the routing table, its versions and changes to it (admin)")
{
    cli.Action(new Command("show", "the live table (or --version N): units, codes, stock effects") { routingVersion },
        (p, c) => RoutingCommands.ShowAsync(c.Http, c.Output, p.GetValue(routingVersion))),
    cli.Action(new Command("versions", "every version: who published it, when, why"), (_, c) => RoutingCommands.VersionsAsync(c.Http, c.Output)),
    cli.Action(new Command("cuts", "where each first queue switched versions, and the version it routes by now"), (_, c) => RoutingCommands.CutsAsync(c.Http, c.Output)),
    new Command("draft", "the table being edited")
    {
        cli.Action(new Command("get", "print the draft as JSON (save it, edit it, set it again)"), (_, c) => RoutingCommands.DraftGetAsync(c.Http, c.Output)),
        cli.Action(new Command("set", "store FILE (a table as JSON) as the draft; every bad field is named") { file },
            (p, c) => RoutingCommands.DraftSetAsync(c.Http, c.Output, p.GetValue(file)!)),
    },
    cli.Action(new Command("diff", "what changes from one table to another (default: the live one to the draft)") { routingFrom, routingTo },
        (p, c) => RoutingCommands.DiffAsync(c.Http, c.Output, p.GetValue(routingFrom), p.GetValue(routingTo))),
    cli.Action(new Command("preview", "what the draft (or --version) would do with the last accepted orders; writes nothing") { previewLast, previewVersion },
        (p, c) => RoutingCommands.PreviewAsync(c.Http, c.Output, p.GetValue(previewLast), p.GetValue(previewVersion))),
    cli.Action(new Command("test", "where one order would go under the live version (or --version); stores nothing") { orderFile, testVersion },
        (p, c) => RoutingCommands.TestAsync(c.Http, c.Output, p.GetValue(orderFile)!, p.GetValue(testVersion))),
    cli.Action(new Command("publish", "make the draft the next version, live on every node") { routingExpect, routingNote },
        (p, c) => RoutingCommands.PublishAsync(c.Http, c.Output, p.GetValue(routingExpect), p.GetValue(routingNote))),
});
var certOut = new Option<string>("--out") { Description = "the directory to write to", Required = true };
var certCa = new Option<string>("--ca") { Description = "the directory holding ca.pem and ca.key", Required = true };
var certDays = Cli.Bounded(new Option<int>("--days") { Description = "how long it is valid", DefaultValueFactory = _ => 825 }, 1, 36500);
var caName = new Option<string>("--name") { Description = "the CA's name", DefaultValueFactory = _ => "OrderActors cluster CA" };
var nodeName = new Argument<string>("NAME") { Description = "the node's name, e.g. node1 (also a host name in the certificate)" };
var nodeHosts = new Option<string[]>("--host") { Description = "host names and addresses the node is reached by, e.g. --host node1,10.0.0.5", AllowMultipleArgumentsPerToken = true };
root.Subcommands.Add(new Command("certs", "certificates for the cluster link (local files; nothing is sent)")
{
    Cli.Local(new Command("ca", "create the cluster's CA: ca.pem (every node's --cluster-tls-ca) and ca.key") { certOut, caName, certDays },
        p => CertCommands.CreateAuthority(p.GetValue(certOut)!, p.GetValue(caName)!, p.GetValue(certDays))),
    Cli.Local(new Command("node", "issue a node's certificate and key, signed by the CA") { nodeName, certCa, certOut, nodeHosts, certDays },
        p => CertCommands.Issue(p.GetValue(certCa)!, p.GetValue(nodeName)!,
            (p.GetValue(nodeHosts) ?? []).SelectMany(h => h.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList(),
            p.GetValue(certOut)!, p.GetValue(certDays))),
});
root.Subcommands.Add(cli.Action(new Command("queues", "depth and last seq of every first and second queue"), (_, c) => ClusterCommands.QueuesAsync(c.Http, c.Output)));

return await cli.InvokeAsync(root, args is [] or ["help"] ? ["--help"] : args);
