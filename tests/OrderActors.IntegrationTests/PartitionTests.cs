using System.Net.Http.Headers;
using OrderActors.Harness;
using OrderActors.IntegrationTests.Support;
using Xunit.Abstractions;

namespace OrderActors.IntegrationTests;

/// <summary>
/// Partition drills on a real network: three nodes, each in a network namespace of its own (<see cref="NetworkLab"/>),
/// on one PostgreSQL, joined over TLS. The test reaches every node whatever is cut, as an OMS with a route to both
/// sides would.
/// </summary>
public sealed class PartitionTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string AdminToken = "partition-drill-admin-token";
    private NetworkLab _lab = null!;
    private PostgresServer _postgres = null!;
    private ClusterCa _ca = null!;
    private string _connectionString = "";
    private readonly List<NodeProcess> _nodes = [];

    public async Task InitializeAsync()
    {
        _lab = await NetworkLab.CreateAsync(nodes: 3);
        _postgres = new PostgresServer { AlsoListenOn = _lab.DatabaseAddress, TrustedNetwork = _lab.Subnet };
        await _postgres.InitializeAsync();
        _connectionString = await _postgres.CreateDatabaseAsync(_lab.DatabaseAddress);
        _ca = await ClusterCa.CreateAsync();
    }

    public async Task DisposeAsync()
    {
        foreach (var node in _nodes) await node.DisposeAsync(); // before the namespaces they run in go
        await _postgres.DisposeAsync();
        _ca.Dispose();
        await _lab.DisposeAsync();
    }

    [Fact]
    public async Task A_node_cut_off_from_its_peers_for_30_s_under_load_is_downed_by_the_majority_with_no_double_writer_and_every_accepted_order_processed_exactly_once()
    {
        var nodes = await StartClusterAsync();
        var (a, b) = (nodes[0], nodes[1]); // a: the oldest (the shard coordinator), the one cut off
        // the first queues spread over the three nodes, as in a cluster that has run a while (the coordinator
        // rebalances the shards the first node took while it was alone)
        var spreading = DateTime.UtcNow;
        var placement = await Poll.ForAsync(() => FirstQueuePlacementAsync(b), p => p.Values.Distinct().Count() == 3, "first queues on all three nodes", 90);
        var movingQueues = placement.Where(p => p.Value.Contains(_lab.Address(0))).Select(p => p.Key).ToHashSet();
        output.WriteLine($"first queues on all three nodes {(DateTime.UtcNow - spreading).TotalSeconds:N0} s after the three were Up: {string.Join(", ", placement.OrderBy(p => p.Key).Select(p => $"{p.Key} on {p.Value}"))}; cut off: {_lab.Address(0)}");
        // on every node one client per first queue, so that a queue that must move does not hold up the others
        var loads = nodes.SelectMany((n, i) => Enumerable.Range(0, Expected.FirstQueues).Select(q => new SteadyLoad(n, $"split{i}q{q}", clients: 1, firstQueue: q).Start())).ToArray();
        var (onA, onMajority) = (loads[..Expected.FirstQueues], loads[Expected.FirstQueues..]);
        await Poll.UntilAsync(() => Task.FromResult(loads.All(l => l.Outcomes.Accepted > 20)), "orders accepted on every node and queue before the cut");

        await _lab.CutAsync(0, 1);
        await _lab.CutAsync(0, 2);
        var cut = DateTime.UtcNow;
        void Mark(string what) => output.WriteLine($"+{(DateTime.UtcNow - cut).TotalSeconds:N1} s {what}");
        try
        {
            await Poll.UntilAsync(async () => (await MembersAsync(b)).Any(m => m.Address.Contains(_lab.Address(0)) && !m.Reachable), "b sees a unreachable", 30);
            Mark("b and c see a unreachable");
            await Poll.UntilAsync(async () => (await MembersAsync(b)).All(m => !m.Address.Contains(_lab.Address(0))), "a removed by the majority", 40);
            Mark("a downed and removed by b and c (keep-majority)");
            await Poll.UntilAsync(() => Task.FromResult(!a.IsRunning), "a stops itself", 40);
            Mark($"a's process exited, code {a.ExitCode}");
            await Poll.ForAsync(() => FirstQueuePlacementAsync(b), p => movingQueues.All(q => p.TryGetValue(q, out var at) && !at.Contains(_lab.Address(0))),
                "a's first queues started on b and c", 40);
            Mark("a's first queues live on b and c");
            var afterTakeover = DateTime.UtcNow;
            await Poll.UntilAsync(() => Task.FromResult(EveryFirstQueueAccepted(onMajority, afterTakeover)), "b and c accept orders of every first queue", 40);
            Mark("b and c accept orders of every first queue again");
            await Task.Delay(TimeSpan.FromSeconds(30) - (DateTime.UtcNow - cut)); // the cut lasts 30 s
        }
        finally
        {
            await _lab.HealAsync(0, 1);
            await _lab.HealAsync(0, 2);
        }
        Mark("link healed");
        foreach (var load in loads) await load.StopAsync();

        // a, downed, comes back as a new incarnation and joins the survivors
        var again = await NodeAsync(0, "--seed-nodes", $"akka.ssl.tcp://orderactors@{_lab.Address(1)}:{b.ClusterPort}");
        await again.StartAsync();
        await Poll.UntilAsync(async () => (await MembersAsync(b)).Count(m => m.Status == "Up") == 3, "a rejoined: three members Up", 60);
        Mark("a restarted and Up again");

        var majority = onMajority.SelectMany(l => l.Answers).Where(x => x.SentAt > cut).ToList();
        output.WriteLine($"b and c from the cut on: {SteadyLoad.Statuses(majority)}, " +
                         $"slowest {majority.Max(x => x.Took).TotalSeconds:N1} s; longest wait for a 202 per first queue: " +
                         string.Join(", ", LongestGaps(onMajority, cut).Select(g => $"queue {g.Key} {g.Value.TotalSeconds:N1} s")));
        output.WriteLine("b and c, answers per second from the cut on (status×count, slowest): " + SteadyLoad.PerSecond(majority, cut, slowest: true));
        var minority = onA.SelectMany(l => l.Answers).Where(x => x.SentAt > cut).ToList();
        output.WriteLine("a, answers per second from the cut on: " + SteadyLoad.PerSecond(minority, cut));

        // the first queues on b and c never stopped serving: each kept answering 202, or 429 (back-pressure, while
        // the deliveries to their units' queues on a wait), never a wait much longer than an answer takes
        var gaps = LongestGaps(onMajority, cut, 202, 429);
        foreach (var queue in Enumerable.Range(0, Expected.FirstQueues).Where(q => !movingQueues.Contains(q)))
            Assert.True(gaps[queue] < TimeSpan.FromSeconds(2), $"first queue {queue}, on b or c, answered nothing for {gaps[queue].TotalSeconds:N1} s during the cut");
        // a downed node says so by its exit code, so that its supervisor starts it again
        Assert.Equal(3, a.ExitCode);
        // a first queue a kept after the cut was taken over by b or c only once a had stopped accepting for it
        foreach (var queue in minority.Where(x => x.Status == 202).GroupBy(x => Expected.FirstQueue(x.OrderId)))
        {
            var lastOnA = queue.Max(x => x.At);
            var firstOnMajority = majority.Where(x => x.Status == 202 && Expected.FirstQueue(x.OrderId) == queue.Key).Select(x => x.At).DefaultIfEmpty(DateTime.MaxValue).Min();
            output.WriteLine($"queue {queue.Key}: last 202 on a +{(lastOnA - cut).TotalSeconds:N1} s, first on b or c +{(firstOnMajority - cut).TotalSeconds:N1} s");
            Assert.True(lastOnA < firstOnMajority, $"first queue {queue.Key} accepted orders on a (until +{(lastOnA - cut).TotalSeconds:N1} s) after b or c did (from +{(firstOnMajority - cut).TotalSeconds:N1} s)");
        }

        foreach (var load in loads)
        {
            await load.Outcomes.ResolveAsync(b.Http, TimeSpan.FromSeconds(120));
            load.Outcomes.AssertEveryAnswerKeptTheContract();
        }
        var sent = loads.SelectMany(l => l.Outcomes.Sent).ToDictionary(kv => kv.Key, kv => kv.Value);
        await Feeds.AssertDeliveredExactlyOnceAsync(b.Http, sent, TimeSpan.FromSeconds(120));
        await AssertOneWriterAtATimeAsync();
        // and no write ever met another writer's sequence number (the journals' primary key would refuse it)
        foreach (var node in _nodes)
            Assert.False(node.Logged("duplicate key value violates unique constraint"), $"a write met a sequence number already written, on {node.Address}:\n{node.LogTail}");
    }

    [Fact]
    public async Task A_node_cut_off_from_the_database_only_turns_not_ready_refuses_writes_at_once_stays_a_member_and_recovers()
    {
        var nodes = await StartClusterAsync();
        var (a, b) = (nodes[0], nodes[1]);
        var load = new SteadyLoad(a, "nodb", clients: 4).Start();
        await Poll.UntilAsync(() => Task.FromResult(load.Outcomes.Accepted > 100), "orders accepted before the cut");

        await _lab.CutFromDatabaseAsync(0);
        var cut = DateTime.UtcNow;
        try
        {
            var ready = await Poll.ForAsync(async () => await a.Http.GetAsync("/healthz/ready"), r => !r.IsSuccessStatusCode, "a not ready", 15);
            output.WriteLine($"a not ready after {(DateTime.UtcNow - cut).TotalSeconds:N1} s: {await ready.Content.ReadAsStringAsync()}");
            await Task.Delay(TimeSpan.FromSeconds(20) - (DateTime.UtcNow - cut)); // cut off for 20 s
            // its peers still see it, Up and reachable: a database outage is no reason to down a node
            var members = await MembersAsync(b);
            Assert.True(members.Count == 3 && members.All(m => m.Status == "Up" && m.Reachable), $"members while a is cut off from the database: {string.Join(", ", members)}");
        }
        finally
        {
            await _lab.ReconnectToDatabaseAsync(0);
        }
        var back = DateTime.UtcNow;
        var firstAccepted = await load.FirstAcceptedAfterAsync(back, "a 202 on a after the database is reachable again");
        await Poll.UntilAsync(async () => (await a.Http.GetAsync("/healthz/ready")).IsSuccessStatusCode, "a ready again", 60);
        await load.StopAsync();

        // once the probe has seen it (every 500 ms, a 2 s timeout), every call that writes is refused at once
        var during = load.SentBetween(cut.AddSeconds(3), back);
        output.WriteLine($"cut off from the database 20 s: {during.Count} answers sent from +3 s, statuses {SteadyLoad.Statuses(during)}, " +
                         $"slowest {during.Select(x => x.Took.TotalSeconds).DefaultIfEmpty().Max():N2} s; slowest of all in flight during it " +
                         $"{load.InFlightBetween(cut, back).Max(x => x.Took).TotalSeconds:N1} s; first 202 {firstAccepted.TotalSeconds:N1} s after it is back; {load.Outcomes}");
        Assert.All(during, x => Assert.True(x.Took < TimeSpan.FromSeconds(1.5), $"an answer while cut off from the database took {x.Took.TotalSeconds:N1} s ({x.Status})"));
        // a write caught in flight by the cut waits for TCP's retransmission or the journal's call timeout (10 s)
        Assert.True(firstAccepted < TimeSpan.FromSeconds(15), $"the first 202 came {firstAccepted.TotalSeconds:N1} s after the database was reachable again");

        await load.Outcomes.ResolveAsync(a.Http, TimeSpan.FromSeconds(90));
        load.Outcomes.AssertEveryAnswerKeptTheContract();
        await Feeds.AssertDeliveredExactlyOnceAsync(a.Http, load.Outcomes.Sent, TimeSpan.FromSeconds(90));
    }

    /// <summary>Node <paramref name="i"/> of the lab, not started yet, and disposed with the test.</summary>
    private async Task<NodeProcess> NodeAsync(int i, params string[] more)
    {
        // beyond loopback, auth is on: the test calls every node as its operator, with the admin token
        var node = new NodeProcess(null,
        [
            "--journal", "postgres", "--connection-string", _connectionString, "--admin-token", AdminToken,
            .. await _ca.NodeArgsAsync($"node-{i}", _lab.Address(i)), .. more,
        ])
        {
            Address = _lab.Address(i), NetworkNamespace = _lab.Namespace(i),
        };
        node.Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminToken);
        _nodes.Add(node);
        return node;
    }

    private async Task<NodeProcess[]> StartClusterAsync()
    {
        var a = await NodeAsync(0);
        await a.StartAsync();
        var seed = $"akka.ssl.tcp://orderactors@{_lab.Address(0)}:{a.ClusterPort}";
        var nodes = new[] { a, await NodeAsync(1, "--seed-nodes", seed), await NodeAsync(2, "--seed-nodes", seed) };
        await Task.WhenAll(nodes[1..].Select(n => n.StartAsync()));
        await Poll.UntilAsync(async () => (await MembersAsync(a)).Count(m => m.Status == "Up") == 3, "three members Up", 60);
        return nodes;
    }

    /// <summary>Where each first queue lives: queue number → node address.</summary>
    private static async Task<Dictionary<int, string>> FirstQueuePlacementAsync(NodeProcess node)
    {
        var reply = await node.Http.GetJsonAsync("/api/admin/sharding");
        if (reply.Code != 200) return [];
        var ingest = reply.Body!.AsArray().First(r => (string)r!["typeName"]! == "ingest")!["shards"]!.AsArray();
        return ingest.ToDictionary(s => int.Parse(((string)s!["shardId"]!)["ingest-".Length..]), s => (string)s!["node"]!);
    }

    private sealed record Member(string Address, string Status, bool Reachable);

    private static async Task<List<Member>> MembersAsync(NodeProcess node)
    {
        var reply = await node.Http.GetJsonAsync("/api/admin/cluster/members");
        Assert.True(reply.Code == 200, $"members: {reply}");
        return reply.Body!.AsArray().Select(m => new Member((string)m!["address"]!, (string)m["status"]!, (bool)m["reachable"]!)).ToList();
    }

    private static bool EveryFirstQueueAccepted(IEnumerable<SteadyLoad> loads, DateTime since)
    {
        var queues = loads.SelectMany(l => l.Answers).Where(x => x.SentAt > since && x.Status == 202).Select(x => Expected.FirstQueue(x.OrderId)).ToHashSet();
        return queues.Count == Expected.FirstQueues;
    }

    /// <summary>Per first queue, the longest time after <paramref name="from"/> without an answer of <paramref name="statuses"/> (default: 202).</summary>
    private static SortedDictionary<int, TimeSpan> LongestGaps(IEnumerable<SteadyLoad> loads, DateTime from, params int[] statuses)
    {
        if (statuses.Length == 0) statuses = [202];
        var gaps = new SortedDictionary<int, TimeSpan>();
        foreach (var queue in loads.SelectMany(l => l.Answers).Where(x => x.Status is { } status && statuses.Contains(status) && x.At > from).GroupBy(x => Expected.FirstQueue(x.OrderId)))
        {
            var times = queue.Select(x => x.At).Prepend(from).Order().ToList();
            gaps[queue.Key] = times.Zip(times.Skip(1), (x, y) => y - x).Max();
        }
        return gaps;
    }

    /// <summary>
    /// No entity was ever written by two incarnations at once: in each journal, per persistence id in sequence order,
    /// each writer's events form one unbroken run (a writer that comes back after another wrote would be a second,
    /// concurrent writer).
    /// </summary>
    private async Task AssertOneWriterAtATimeAsync()
    {
        var database = _connectionString.Split(';').First(p => p.StartsWith("Database=", StringComparison.Ordinal))["Database=".Length..];
        foreach (var table in new[] { "journal", "ingest_journal" })
        {
            var interleaved = await _postgres.PsqlAsync($"""
                WITH runs AS (
                  SELECT persistence_id, writer_uuid,
                         CASE WHEN lag(writer_uuid) OVER w IS DISTINCT FROM writer_uuid THEN 1 ELSE 0 END AS starts
                  FROM {table} WINDOW w AS (PARTITION BY persistence_id ORDER BY sequence_number))
                SELECT persistence_id || ' ' || writer_uuid || ' ' || sum(starts) FROM runs GROUP BY persistence_id, writer_uuid HAVING sum(starts) > 1
                """, database);
            var takeovers = await _postgres.PsqlAsync($"""
                SELECT count(*) FROM (SELECT lag(writer_uuid) OVER (PARTITION BY persistence_id ORDER BY sequence_number) AS prev, writer_uuid FROM {table}) t
                WHERE prev IS NOT NULL AND prev <> writer_uuid
                """, database);
            output.WriteLine($"{table}: {takeovers.Trim()} hand-overs from one writer to the next, interleaved writers: {(interleaved.Trim().Length == 0 ? "none" : interleaved)}");
            Assert.True(interleaved.Trim().Length == 0, $"entities written by two incarnations at once in {table}:\n{interleaved}");
        }
    }
}
