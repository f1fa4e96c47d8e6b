namespace OrderActors.Cli;

/// <summary>The command line: global options (anywhere), then the command words and their arguments.</summary>
public sealed record CliArgs(Uri Node, bool Json, int Batch, int Concurrency, string? Token, IReadOnlyList<string> Words)
{
    public const string DefaultNode = "http://127.0.0.1:5080";

    public static CliArgs Parse(string[] args)
    {
        var node = Environment.GetEnvironmentVariable("ORDERACTORS_NODE") is { Length: > 0 } env ? env : DefaultNode;
        var json = false;
        var batch = 100;
        var concurrency = 4;
        var token = Environment.GetEnvironmentVariable("ORDERACTORS_ADMIN_TOKEN");
        var words = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new UsageException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--node": node = Value(); break;
                case "--json": json = true; break;
                case "--token": token = Value(); break;
                case "--batch": batch = Int(Value(), "--batch", 1, 1000); break;
                case "--concurrency": concurrency = Int(Value(), "--concurrency", 1, 64); break;
                case "-h" or "--help": words.Insert(0, "help"); break;
                case var a when a.StartsWith("--"): throw new UsageException($"unknown option {a}");
                default: words.Add(args[i]); break;
            }
        }
        if (!Uri.TryCreate(node, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            throw new UsageException($"--node must be an http(s) URL (got '{node}')");
        return new CliArgs(uri, json, batch, concurrency, token, words);
    }

    private static int Int(string value, string name, int min, int max) =>
        int.TryParse(value, out var n) && n >= min && n <= max ? n : throw new UsageException($"{name} must be {min}–{max} (got '{value}')");
}

public sealed class UsageException(string message) : Exception(message);
