using System.Text.Json;
using System.Text.Json.Nodes;

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

    public static void Table(IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows)
    {
        var all = rows.ToList();
        var widths = headers.Select((h, i) => Math.Max(h.Length, all.Count == 0 ? 0 : all.Max(r => r[i].Length))).ToArray();
        Console.WriteLine(string.Join("  ", headers.Select((h, i) => h.PadRight(widths[i]))).TrimEnd());
        foreach (var row in all)
            Console.WriteLine(string.Join("  ", row.Select((c, i) => c.PadRight(widths[i]))).TrimEnd());
    }
}

/// <summary>A progress bar on stderr when it is a terminal; a line every 10% otherwise.</summary>
public sealed class Progress(int total, string what)
{
    private readonly bool _interactive = !Console.IsErrorRedirected;
    private int _lastDecile = -1;

    public void Report(int done, string detail)
    {
        if (total == 0) return;
        if (_interactive)
        {
            const int width = 30;
            var filled = (int)((long)done * width / total);
            Console.Error.Write($"\r[{new string('#', filled)}{new string('-', width - filled)}] {done,7:N0}/{total:N0} {what}  {detail}   ");
            if (done == total) Console.Error.WriteLine();
        }
        else
        {
            var decile = (int)((long)done * 10 / total);
            if (decile == _lastDecile) return;
            _lastDecile = decile;
            Console.Error.WriteLine($"{done:N0}/{total:N0} {what} ({decile * 10}%)  {detail}");
        }
    }
}
