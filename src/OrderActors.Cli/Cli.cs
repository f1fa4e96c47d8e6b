using System.CommandLine;
using System.CommandLine.Parsing;
using OrderActors.Domain.Delivery;

namespace OrderActors.Cli;

/// <summary>What every command gets: an HTTP client for the node (with the admin token), the output, Ctrl+C.</summary>
public sealed record CliContext(HttpClient Http, Output Output, CancellationToken Cancellation);

/// <summary>The options every command shares, and how a command runs: the same exit codes for all of them.</summary>
public sealed class Cli(Option<string> node, Option<bool> json, Option<string?> token)
{
    public const string DefaultNode = "http://127.0.0.1:5080";

    /// <summary>How long a command waits for each answer of the node (or ORDERACTORS_TIMEOUT); past it, exit 3.</summary>
    private readonly Option<string> _timeout = new("--timeout")
    {
        Description = "how long to wait for each answer of the node, e.g. 30s, 2m (or ORDERACTORS_TIMEOUT); past it: exit 3",
        DefaultValueFactory = _ => DefaultTimeout(),
    };

    private static string DefaultTimeout() => Environment.GetEnvironmentVariable("ORDERACTORS_TIMEOUT") is { Length: > 0 } env ? env : "30s";

    public const int Ok = 0, Refused = 1, Usage = 2, Unreachable = 3;

    /// <summary>Sets the command's action: <paramref name="run"/> with a client for the node; errors become exit codes.</summary>
    /// <remarks>
    /// The command gets <c>--timeout</c>, unless it has a <c>--timeout</c> of its own (<c>delivery set</c>: the receiver's
    /// timeout, as documented), where the wait for the node is ORDERACTORS_TIMEOUT or 30 s.
    /// </remarks>
    public Command Action(Command command, Func<ParseResult, CliContext, Task<int>> run)
    {
        var ownTimeout = command.Options.Any(o => o.Name == _timeout.Name);
        if (!ownTimeout) command.Options.Add(_timeout);
        command.SetAction(async (parse, ct) =>
        {
            var nodeText = parse.GetValue(node)!;
            if (!Uri.TryCreate(nodeText, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
                return Fail(Usage, $"--node must be an http(s) URL (got '{nodeText}')");
            var timeoutText = ownTimeout ? DefaultTimeout() : parse.GetValue(_timeout)!;
            if (!Durations.TryParse(timeoutText, out var wait) || wait <= TimeSpan.Zero)
                return Fail(Usage, $"--timeout must be a duration such as 30s, 500ms or 2m (got '{timeoutText}')");
            // a redirect is not followed: the token would not go with it, and a node does not redirect
            using var http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { BaseAddress = uri, Timeout = wait };
            if (parse.GetValue(token) is { Length: > 0 } secret)
                http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", secret);
            try
            {
                return await run(parse, new CliContext(http, new Output(parse.GetValue(json)), ct));
            }
            catch (UsageException e)
            {
                return Fail(Usage, e.Message);
            }
            catch (HttpRequestException e)
            {
                return Fail(Unreachable, $"cannot reach the node: {e.Message}");
            }
            catch (TaskCanceledException) when (!ct.IsCancellationRequested)
            {
                return Fail(Unreachable, $"the node did not answer within {Durations.Format(wait)} (--timeout)");
            }
        });
        return command;
    }

    /// <summary>Sets the action of a command that works on local files only (no node): errors become exit codes.</summary>
    public static Command Local(Command command, Func<ParseResult, int> run)
    {
        command.SetAction(parse =>
        {
            try
            {
                return run(parse);
            }
            catch (UsageException e)
            {
                return Fail(Usage, e.Message);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
            {
                return Fail(Refused, e.Message);
            }
        });
        return command;
    }

    /// <summary>Parses and runs; a command line that does not parse is a usage error (exit 2) with what was wrong.</summary>
    public async Task<int> InvokeAsync(RootCommand root, string[] args)
    {
        var parse = root.Parse(args);
        if (parse.Errors.Count == 0) return await parse.InvokeAsync();
        foreach (var error in parse.Errors)
            Console.Error.WriteLine(parse.UnmatchedTokens.Count > 0 && error.Message.Contains(parse.UnmatchedTokens[0])
                ? $"orderctl: unknown command or argument '{string.Join(' ', parse.UnmatchedTokens)}' ({error.Message})"
                : $"orderctl: {error.Message}");
        Console.Error.WriteLine($"see: orderctl {string.Join(' ', CommandPath(parse.CommandResult))} --help".Replace("  ", " "));
        return Usage;
    }

    /// <summary>An int option that must lie in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public static Option<int> Bounded(Option<int> option, int min, int max)
    {
        option.Validators.Add(result =>
        {
            if (result.Tokens.Count == 0) return;
            var value = result.Tokens[0].Value;
            if (!int.TryParse(value, out var n) || n < min || n > max)
                result.AddError($"{option.Name} must be {min}–{max} (got '{value}')");
        });
        return option;
    }

    private static IEnumerable<string> CommandPath(CommandResult? result)
    {
        var names = new List<string>();
        for (var r = result; r is not null && r.Parent is CommandResult; r = r.Parent as CommandResult) names.Insert(0, r.Command.Name);
        return names;
    }

    private static int Fail(int code, string message)
    {
        Console.Error.WriteLine($"orderctl: {message}");
        return code;
    }
}

public sealed class UsageException(string message) : Exception(message);
