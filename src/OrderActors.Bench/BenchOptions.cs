namespace OrderActors.Bench;

/// <summary>The benchmark's options; see docs/performance.md and <c>--help</c>.</summary>
public sealed record BenchOptions
{
    public IReadOnlyList<Uri> Targets { get; init; } = [];
    public int Orders { get; init; } = 200_000;
    public int Batch { get; init; }
    public int Concurrency { get; init; } = 64;
    public double Rate { get; init; }
    public IReadOnlyDictionary<string, double> Mix { get; init; } = DefaultMix;
    public string? NodeDll { get; init; }
    public bool Keep { get; init; }
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(120);
    public int Seed { get; init; } = 42;
    /// <summary>Set: run the same job on RabbitMQ at <see cref="Amqp"/> instead of on a node (<c>--baseline rabbitmq</c>).</summary>
    public bool RabbitMqBaseline { get; init; }
    public Uri Amqp { get; init; } = new("amqp://guest:guest@127.0.0.1:5672/");
    public int Prefetch { get; init; } = 1000;
    public string? LatencyCsv { get; init; }
    /// <summary>Set: every unit delivers by webhook to receivers hosted in the bench (<c>--deliver webhook</c>); else the bench reads the feeds.</summary>
    public bool Webhook { get; init; }
    public int WebhookBatch { get; init; } = 100;
    /// <summary>Set: <c>--deliver compare</c>, pull against webhook in <see cref="Rounds"/> rounds (<see cref="DeliveryComparison"/>).</summary>
    public bool Compare { get; init; }
    public int Rounds { get; init; } = 3;
    /// <summary>Orders sent (at the same rate and concurrency) and waited for before the measured run starts; not counted.</summary>
    public int Warmup { get; init; }
    /// <summary>The fresh nodes' journal: <c>sqlite</c> (embedded, the default) or <c>postgres</c> (a throwaway server of this machine's).</summary>
    public string Journal { get; init; } = "sqlite";
    /// <summary>How many fresh nodes, in one cluster (more than one needs PostgreSQL).</summary>
    public int Cluster { get; init; } = 1;
    /// <summary>Set: talk HTTP/2 to the nodes (cleartext, prior knowledge: <c>--target</c> an HTTP/2 endpoint), many requests sharing a connection.</summary>
    public bool Http2 { get; init; }

    public static readonly IReadOnlyDictionary<string, double> DefaultMix = new Dictionary<string, double>
    {
        ["B2C"] = 50, ["B2B"] = 20, ["PRESALE"] = 5, ["SERVICE"] = 5, ["TRANSFER"] = 10, ["RETURN"] = 10,
    };

    public const string Usage = """
        OrderActors.Bench — throughput, latency and memory of the order pipeline, end to end

        dotnet run -c Release --project src/OrderActors.Bench -- [options]

          --orders N             orders to send (default 200000)
          --batch B              0 = one order per POST /api/orders (default); else B orders per POST /api/orders/batch
          --concurrency C        requests in flight (default 64)
          --rate R               orders per second to offer; 0 = as fast as the node takes them (default)
          --mix CODE=w,...       code weights (default B2C=50,B2B=20,PRESALE=5,SERVICE=5,TRANSFER=10,RETURN=10)
          --target URL[,URL...]  drive running node(s) instead of publishing and starting a fresh one
          --http2                talk HTTP/2 to the --target node(s) (cleartext, prior knowledge: an HTTP/2-only endpoint)
          --node-dll PATH        start this built OrderActors.Node.dll instead of publishing one
          --drain-timeout S      how long to wait for the last orders to be processed (default 120)
          --keep                 keep the fresh node's data dir
          --journal sqlite|postgres  the fresh node's journal: embedded SQLite (default), or PostgreSQL: a throwaway
                                 server of this machine's installation (Debian: apt-get install postgresql) is started
                                 for the run; prints the journal's commits and rows per order and the database's size
          --cluster N            N fresh nodes in one cluster on this machine (needs --journal postgres), each sent an
                                 equal share of the requests; prints each node's CPU per order
          --deliver pull|webhook pull (default): the bench reads every unit queue's feed, end to end is acceptedAt ->
                                 processedAt; webhook: every unit pushes to receivers hosted in the bench, which verify
                                 each signature, end to end is acceptedAt -> the receiver has the order;
                                 compare: in rounds, each run on a fresh node, pull and webhook at saturation, then
                                 both paced at half that round's pull rate; a table and the medians (the delivery
                                 targets: webhook >= 80% of pull's orders/s, paced webhook e2e p99 <= 100 ms)
          --rounds N             rounds of --deliver compare (default 3)
          --webhook-batch N      orders per webhook request (default 100)
          --warmup N             first send N other orders the same way and wait until every one is processed (or
                                 delivered); none of them is counted: the figures are those of a warm node (default 0:
                                 a cold node, start-up compilation included)
          --latency-csv FILE     also write every request's accept latency and every order's end-to-end latency with the
                                 time it happened (kind,at_s,ms): when were the slow ones?

        The same job on RabbitMQ, for a side-by-side figure on the same machine (docs/performance.md):
          --baseline rabbitmq    publish each order (persistent, publisher confirms) to a durable direct exchange that
                                 routes it by code to durable queues bound from hocon/routing.hocon; one consumer per
                                 unit queue reads and acknowledges it (manual ack). Needs a running RabbitMQ.
          --amqp URI             the broker (default amqp://guest:guest@127.0.0.1:5672/)
          --prefetch N           unacknowledged deliveries per consumer (default 1000)
        """;

    public static BenchOptions Parse(string[] args)
    {
        var o = new BenchOptions();
        for (var i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            o = args[i] switch
            {
                "--orders" => o with { Orders = PositiveInt(Value(), "--orders") },
                "--batch" => o with { Batch = int.Parse(Value()) is var b and >= 0 and <= 1000 ? b : throw new ArgumentException("--batch must be 0–1000") },
                "--concurrency" => o with { Concurrency = PositiveInt(Value(), "--concurrency") },
                "--rate" => o with { Rate = double.Parse(Value(), System.Globalization.CultureInfo.InvariantCulture) },
                "--mix" => o with { Mix = ParseMix(Value()) },
                "--target" => o with { Targets = Value().Split(',', StringSplitOptions.RemoveEmptyEntries).Select(u => new Uri(u)).ToList() },
                "--node-dll" => o with { NodeDll = Value() },
                "--drain-timeout" => o with { DrainTimeout = TimeSpan.FromSeconds(PositiveInt(Value(), "--drain-timeout")) },
                "--seed" => o with { Seed = int.Parse(Value()) },
                "--keep" => o with { Keep = true },
                "--http2" => o with { Http2 = true },
                "--warmup" => o with { Warmup = int.Parse(Value()) is var w and >= 0 ? w : throw new ArgumentException("--warmup must be 0 or more") },
                "--latency-csv" => o with { LatencyCsv = Value() },
                "--journal" => Value() is ("sqlite" or "postgres") and var j ? o with { Journal = j } : throw new ArgumentException("--journal must be sqlite or postgres"),
                "--cluster" => o with { Cluster = PositiveInt(Value(), "--cluster") },
                "--deliver" => Value() switch
                {
                    "webhook" => o with { Webhook = true },
                    "pull" => o with { Webhook = false },
                    "compare" => o with { Compare = true },
                    var d => throw new ArgumentException($"--deliver must be pull, webhook or compare (got '{d}')"),
                },
                "--rounds" => o with { Rounds = PositiveInt(Value(), "--rounds") },
                "--webhook-batch" => o with { WebhookBatch = int.Parse(Value()) is var wb and >= 1 and <= 1000 ? wb : throw new ArgumentException("--webhook-batch must be 1–1000") },
                "--baseline" => Value() is "rabbitmq" ? o with { RabbitMqBaseline = true } : throw new ArgumentException("--baseline: the one baseline is 'rabbitmq'"),
                "--amqp" => o with { Amqp = new Uri(Value()) },
                "--prefetch" => o with { Prefetch = int.Parse(Value()) is var n and > 0 and <= ushort.MaxValue ? n : throw new ArgumentException("--prefetch must be 1–65535") },
                _ => throw new ArgumentException($"unknown option {args[i]}"),
            };
        }
        if (o.Compare && (o.Rate > 0 || o.Targets.Count > 0 || o.RabbitMqBaseline || o.LatencyCsv is not null))
            throw new ArgumentException("--deliver compare sets the rate of its runs and starts a fresh node for each: not with --rate, --target, --baseline or --latency-csv");
        if (o.Cluster > 1 && o.Journal != "postgres")
            throw new ArgumentException("--cluster needs --journal postgres: embedded SQLite is one node's own journal");
        if ((o.Cluster > 1 || o.Journal != "sqlite") && (o.Targets.Count > 0 || o.RabbitMqBaseline || o.Compare))
            throw new ArgumentException("--journal and --cluster start fresh nodes: not with --target, --baseline or --deliver compare");
        if (o.Http2 && (o.Targets.Count == 0 || o.RabbitMqBaseline))
            throw new ArgumentException("--http2 needs --target (an HTTP/2-only endpoint of running nodes): a fresh node listens for HTTP/1.1");
        if (o.Warmup > 0 && o.RabbitMqBaseline) throw new ArgumentException("--warmup is for a node; the baseline's broker is started before the run");
        return o;
    }

    private static int PositiveInt(string value, string name) =>
        int.TryParse(value, out var n) && n > 0 ? n : throw new ArgumentException($"{name} must be a whole number > 0 (got '{value}')");

    private static Dictionary<string, double> ParseMix(string text) =>
        text.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(part => part.Split('=')).ToDictionary(
            kv => kv[0].Trim(),
            kv => kv.Length == 2 && double.TryParse(kv[1], System.Globalization.CultureInfo.InvariantCulture, out var w) && w >= 0
                ? w : throw new ArgumentException($"--mix: '{string.Join('=', kv)}' is not CODE=weight"));
}
