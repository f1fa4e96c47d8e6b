using System.Text.Json;
using System.Text.Json.Nodes;
using Spectre.Console;

namespace OrderActors.Cli;

/// <summary>Tables and lines for people on stdout, or one JSON document for scripts; progress on stderr.</summary>
public sealed class Output(bool json)
{
    public bool Json { get; } = json;

    private static readonly JsonSerializerOptions Pretty = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public void Document(JsonNode? node) => Console.WriteLine(node?.ToJsonString(Pretty) ?? "null");

    public void Document(object value) => Console.WriteLine(JsonSerializer.Serialize(value, Pretty));

    public void Line(string text) => Console.WriteLine(text);

    public void Error(string text) => Console.Error.WriteLine(text);

    // Piped into a file or another program, a table is not cut to an 80-column terminal, and carries no colour codes.
    private static readonly IAnsiConsole Stdout = AnsiConsole.Create(new AnsiConsoleSettings
    {
        Out = new AnsiConsoleOutput(Console.Out),
        Ansi = Console.IsOutputRedirected ? AnsiSupport.No : AnsiSupport.Detect,
    });

    static Output()
    {
        if (Console.IsOutputRedirected) Stdout.Profile.Width = 400;
    }

    /// <summary>A table for people: a header row and aligned columns.</summary>
    public static void Table(IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows)
    {
        var table = new Table { Border = TableBorder.None };
        foreach (var header in headers) table.AddColumn(new TableColumn(Markup.Escape(header)).NoWrap());
        foreach (var row in rows) table.AddRow(row.Select(c => new Text(c)).ToArray());
        Stdout.Write(table);
    }
}

/// <summary>
/// Progress of a long operation on stderr: Spectre.Console's live bar when stderr is a terminal; a line every 10%
/// otherwise (a log or a CI job keeps a readable record, not a stream of redraws).
/// </summary>
public sealed class Progress(long total, string what)
{
    /// <summary>Progress through a file, by its bytes.</summary>
    public static Progress OfFile(long length, string file) => new(length, file) { _bytes = true };

    private bool _bytes;
    private int _lastDecile = -1;
    private ProgressTask? _bar;

    /// <summary>Runs <paramref name="work"/> with this progress shown.</summary>
    public async Task RunAsync(Func<Progress, Task> work)
    {
        if (Console.IsErrorRedirected || total == 0)
        {
            await work(this);
            return;
        }
        var stderr = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        await stderr.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .StartAsync(async context =>
            {
                _bar = context.AddTask(Markup.Escape(what), maxValue: total);
                await work(this);
            });
    }

    public void Report(long done, string detail)
    {
        if (total == 0) return;
        if (_bar is { } bar)
        {
            bar.Value = done;
            bar.Description = $"{Markup.Escape(Amount(done))}  {Markup.Escape(detail)}";
            return;
        }
        var decile = (int)(done * 10 / total);
        if (decile == _lastDecile) return;
        _lastDecile = decile;
        Console.Error.WriteLine($"{Amount(done)} ({decile * 10}%)  {detail}");
    }

    private string Amount(long done) => _bytes ? $"{done / 1e6:N1}/{total / 1e6:N1} MB of {what}" : $"{done:N0}/{total:N0} {what}";
}
