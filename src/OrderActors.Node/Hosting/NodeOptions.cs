namespace OrderActors.Node.Hosting;

/// <summary>
/// The node's options (API.md, "Running a node"). Each is read from the command line (<c>--data-dir x</c>), or
/// from the environment (<c>ORDERACTORS_DATA_DIR=x</c>), or from any other configuration source under the same key.
/// </summary>
public sealed record NodeOptions
{
    public const string DefaultUrls = "http://127.0.0.1:5080";
    /// <summary>The admin token is guessable below this (an API key has 43 random characters).</summary>
    public const int MinAdminTokenLength = 16;

    public string Urls { get; init; } = DefaultUrls;
    public string DataDir { get; init; } = "./data";
    public string Journal { get; init; } = "sqlite";
    public string? ConnectionString { get; init; }
    public string ClusterHost { get; init; } = "127.0.0.1";
    public int ClusterPort { get; init; } = 4053;
    public IReadOnlyList<string> SeedNodes { get; init; } = [];
    public IReadOnlyList<string> Roles { get; init; } = [];
    public bool NoSampleData { get; init; }
    public int? IngestQueues { get; init; }
    public TimeSpan? BatchWindow { get; init; }
    /// <summary>SQLite's synchronous mode: full (a 202 survives power loss) or normal (survives a process crash).</summary>
    public string SqliteSynchronous { get; init; } = "full";
    /// <summary>A HOCON file whose settings override those under hocon/ (node options still override both).</summary>
    public string? HoconFile { get; init; }
    /// <summary>When set, admin calls need it as a Bearer token and answer from any address (else loopback only).</summary>
    public string? AdminToken { get; init; }

    /// <summary>Run without keys although the node listens beyond loopback (docs/security.md: only behind something that does auth).</summary>
    public bool InsecureNoAuth { get; init; }

    /// <summary>Print every route with what it needs of the caller's key, and exit (<c>--routes</c>).</summary>
    public bool PrintRoutes { get; init; }

    /// <summary>Whether an HTTP URL binds anything but loopback (0.0.0.0, *, a host's address or name).</summary>
    public bool ListensBeyondLoopback => Urls.Split(';', StringSplitOptions.RemoveEmptyEntries).Any(url =>
        !Uri.TryCreate(url.Replace("*", "0.0.0.0").Replace("+", "0.0.0.0"), UriKind.Absolute, out var uri)
        || !(uri.IsLoopback || IsLoopback(uri.Host.Trim('[', ']'))));

    /// <summary>Whether a host name or address is this machine's loopback (localhost, 127.x, ::1).</summary>
    public static bool IsLoopback(string host) =>
        host == "localhost" || (System.Net.IPAddress.TryParse(host, out var ip) && System.Net.IPAddress.IsLoopback(ip));

    /// <summary>Keys and roles on every route: when an admin token is set, or the node listens beyond loopback (unless <see cref="InsecureNoAuth"/>).</summary>
    public bool AuthRequired => AdminToken is { Length: > 0 } || (ListensBeyondLoopback && !InsecureNoAuth);

    /// <summary>Flags that may be given without a value on the command line.</summary>
    public static readonly string[] Flags = ["--no-sample-data", "--insecure-no-auth", "--routes"];

    public static NodeOptions From(IConfiguration config)
    {
        string? Get(string key) => config[key] ?? config[key.Replace('-', '_')];
        static IReadOnlyList<string> List(string? value) =>
            value?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];

        var defaults = new NodeOptions(); // each option's default is its property's initial value
        var options = new NodeOptions
        {
            Urls = Get("urls") ?? defaults.Urls,
            DataDir = Get("data-dir") ?? defaults.DataDir,
            Journal = (Get("journal") ?? defaults.Journal).ToLowerInvariant(),
            ConnectionString = Get("connection-string"),
            ClusterHost = Get("cluster-host") ?? defaults.ClusterHost,
            ClusterPort = ParseInt(Get("cluster-port"), "cluster-port") ?? defaults.ClusterPort,
            SeedNodes = List(Get("seed-nodes")),
            Roles = List(Get("roles")),
            NoSampleData = ParseBool(Get("no-sample-data"), "no-sample-data"),
            IngestQueues = ParseInt(Get("ingest-queues"), "ingest-queues"),
            BatchWindow = ParseInt(Get("batch-window-ms"), "batch-window-ms") is { } ms ? TimeSpan.FromMilliseconds(ms) : null,
            SqliteSynchronous = (Get("sqlite-synchronous") ?? defaults.SqliteSynchronous).ToLowerInvariant(),
            AdminToken = Get("admin-token"),
            InsecureNoAuth = ParseBool(Get("insecure-no-auth"), "insecure-no-auth"),
            HoconFile = Get("hocon"),
            PrintRoutes = ParseBool(Get("routes"), "routes"),
        };
        options.Validate();
        return options;
    }

    /// <summary>Turns bare flags (<c>--no-sample-data</c>) into <c>--no-sample-data=true</c> for the configuration binder.</summary>
    public static string[] NormalizeArgs(string[] args) =>
        args.Select(a => Flags.Contains(a, StringComparer.OrdinalIgnoreCase) ? a + "=true" : a).ToArray();

    private void Validate()
    {
        if (Journal is not ("sqlite" or "postgres"))
            throw new OptionsException($"--journal must be 'sqlite' or 'postgres' (got '{Journal}')");
        if (Journal == "postgres" && string.IsNullOrWhiteSpace(ConnectionString))
            throw new OptionsException("--journal postgres needs --connection-string (e.g. \"Host=127.0.0.1;Port=5432;Database=orderactors;Username=orderactors;Password=...\")");
        if (SqliteSynchronous is not ("full" or "normal"))
            throw new OptionsException($"--sqlite-synchronous must be 'full' or 'normal' (got '{SqliteSynchronous}')");
        if (ClusterPort is < 0 or > 65535)
            throw new OptionsException($"--cluster-port must be 0–65535 (got {ClusterPort})");
        foreach (var url in Urls.Split(';', StringSplitOptions.RemoveEmptyEntries))
        {
            if (Uri.TryCreate(url.Replace("*", "localhost").Replace("+", "localhost"), UriKind.Absolute, out var uri) && uri.Port == ClusterPort)
                throw new OptionsException($"--cluster-port {ClusterPort} is also the HTTP port of --urls {url}: give Akka.Remote a port of its own");
        }
        if (ListensBeyondLoopback && AdminToken is not { Length: > 0 } && !InsecureNoAuth)
            throw new OptionsException($"--urls {Urls} listens beyond loopback, and without --admin-token anyone who reaches the port could " +
                                       "post orders, read them and change the catalog. Give --admin-token (then every route needs an API key; " +
                                       "docs/security.md), or --insecure-no-auth to run it open anyway (only behind something that does auth).");
        if (AdminToken is { Length: > 0 } token)
        {
            if (token.StartsWith("replace-with", StringComparison.OrdinalIgnoreCase) || token.Equals("change-me", StringComparison.OrdinalIgnoreCase))
                throw new OptionsException("--admin-token is still the example's placeholder: set a long random one (e.g. openssl rand -base64 32)");
            if (token.Length < MinAdminTokenLength)
                throw new OptionsException($"--admin-token has {token.Length} characters: give at least {MinAdminTokenLength} random ones (e.g. openssl rand -base64 32)");
        }
        if (HoconFile is { } hocon && !File.Exists(hocon))
            throw new OptionsException($"--hocon {hocon}: no such file (give a HOCON file whose settings override those under hocon/)");
        if (IngestQueues is < 1 or > 1024)
            throw new OptionsException($"--ingest-queues must be 1–1024 (got {IngestQueues})");
        if (BatchWindow is { } w && (w < TimeSpan.Zero || w > TimeSpan.FromSeconds(10)))
            throw new OptionsException("--batch-window-ms must be 0 (adaptive) to 10000");
    }

    private static int? ParseInt(string? value, string name) =>
        value is null ? null
        : int.TryParse(value, out var n) ? n
        : throw new OptionsException($"--{name} must be a whole number (got '{value}')");

    private static bool ParseBool(string? value, string name) =>
        value is null ? false
        : bool.TryParse(value, out var b) ? b
        : throw new OptionsException($"--{name} must be true or false (got '{value}')");
}

/// <summary>A node option is wrong: the message says which and why; the node exits with code 2.</summary>
public sealed class OptionsException(string message) : Exception(message);
