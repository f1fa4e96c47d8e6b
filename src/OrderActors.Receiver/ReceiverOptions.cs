using System.Globalization;

namespace OrderActors.Receiver;

/// <summary>The receiver's command line; <see cref="Usage"/> says what each option does.</summary>
public sealed record ReceiverOptions
{
    public string Urls { get; init; } = "http://127.0.0.1:5090";
    public IReadOnlyList<string> Secrets { get; init; } = [];
    public string? Out { get; init; }
    public double FailRate { get; init; }
    public double SlowRate { get; init; }
    public TimeSpan Delay { get; init; }
    public int? Status { get; init; }
    public int StatusCount { get; init; } = int.MaxValue;
    public int? RetryAfter { get; init; }
    public string? Location { get; init; }
    public int? GoneAfter { get; init; }
    public IReadOnlySet<string> RejectOrders { get; init; } = new HashSet<string>();
    public int Seed { get; init; } = 1;
    public bool Otlp { get; init; }

    public const string Usage = """
        orderactors-receiver — a webhook receiver for OrderActors deliveries: verifies each request's Standard Webhooks
        signature, dedupes orders by deliveryId, appends each new one to an NDJSON file and prints a live count.

          --urls URL             where to listen (default http://127.0.0.1:5090); the webhook is POST URL/webhook
          --secret whsec_...     a secret to verify with (give two while rotating); required
          --out FILE             append every new order, one JSON per line (default: none)
        fault modes, to see the sender's retries:
          --fail-rate P          answer 500 to this share of requests (0-1)
          --slow-rate P --delay MS   answer this share of requests only after MS milliseconds (past the sender's timeout)
          --status CODE [--status-count N] [--retry-after S] [--location URL]
                                 answer CODE (e.g. 429, 503, or a redirect: 302 with a Location) to the first N requests
          --gone-after N         answer 410 Gone from the N+1th request on
          --reject-order ID      answer 400 to every request that carries order ID (repeatable)
          --seed N               the fault modes' random seed (default 1)
        tracing:
          --otlp                 also take OTLP/HTTP exports (protobuf) at URL/v1/traces and URL/v1/metrics, and list the
                                 spans at GET URL/spans: run a node with --otlp-endpoint URL --otlp-protocol http/protobuf
                                 to see its spans without a collector (metrics are taken and dropped)
        GET URL/stats gives the counts as JSON (httpRequests counts every request but /stats, whatever its method and path),
        and traceparents, the distinct traceparent headers the webhook requests came with.
        """;

    public static ReceiverOptions Parse(string[] args)
    {
        var o = new ReceiverOptions();
        var secrets = new List<string>();
        var reject = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            double Share(string name) => double.TryParse(Value(), NumberStyles.Float, CultureInfo.InvariantCulture, out var p) && p is >= 0 and <= 1
                ? p : throw new ArgumentException($"{name} must be 0–1");
            int Int(string name) => int.TryParse(Value(), out var n) && n >= 0 ? n : throw new ArgumentException($"{name} must be a whole number");
            switch (args[i])
            {
                case "--urls": o = o with { Urls = Value() }; break;
                case "--secret": secrets.Add(Value()); break;
                case "--out": o = o with { Out = Value() }; break;
                case "--fail-rate": o = o with { FailRate = Share("--fail-rate") }; break;
                case "--slow-rate": o = o with { SlowRate = Share("--slow-rate") }; break;
                case "--delay": o = o with { Delay = TimeSpan.FromMilliseconds(Int("--delay")) }; break;
                case "--status": o = o with { Status = Int("--status") }; break;
                case "--status-count": o = o with { StatusCount = Int("--status-count") }; break;
                case "--retry-after": o = o with { RetryAfter = Int("--retry-after") }; break;
                case "--location": o = o with { Location = Value() }; break;
                case "--gone-after": o = o with { GoneAfter = Int("--gone-after") }; break;
                case "--reject-order": reject.Add(Value()); break;
                case "--seed": o = o with { Seed = Int("--seed") }; break;
                case "--otlp": o = o with { Otlp = true }; break;
                default: throw new ArgumentException($"unknown option {args[i]}");
            }
        }
        if (secrets.Count == 0) throw new ArgumentException("--secret is required (the unit's whsec_ secret)");
        foreach (var s in secrets)
            if (OrderActors.Domain.Delivery.WebhookSignature.KeyOf(s) is null) throw new ArgumentException($"--secret {s[..Math.Min(8, s.Length)]}…: not a whsec_ secret");
        return o with { Secrets = secrets, RejectOrders = reject };
    }
}
