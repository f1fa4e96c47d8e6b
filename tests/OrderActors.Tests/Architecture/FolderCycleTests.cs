using System.Text.RegularExpressions;
using OrderActors.Harness;

namespace OrderActors.Tests.Architecture;

/// <summary>
/// The folders of a project (its features and its shared plumbing) depend on one another one way only: read from the
/// namespaces each source file uses (its <c>using</c> lines and the qualified names it writes), a cycle between two
/// folders of one project fails, naming the files that make each of its edges.
/// </summary>
public partial class FolderCycleTests
{
    [Theory]
    [InlineData("OrderActors.Domain")]
    [InlineData("OrderActors.Actors")]
    [InlineData("OrderActors.Node")]
    public void No_folder_of_a_project_depends_on_itself_through_others(string project)
    {
        var root = Path.Combine(Repo.Root, "src", project);
        var edges = new Dictionary<string, Dictionary<string, List<string>>>(StringComparer.Ordinal); // from -> to -> files
        var files = 0;
        foreach (var file in Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(root, file);
            if (relative.StartsWith("obj", StringComparison.Ordinal) || relative.StartsWith("bin", StringComparison.Ordinal)) continue;
            files++;
            var text = File.ReadAllText(file);
            var from = Namespace().Match(text) is { Success: true } ns ? FolderOf(ns.Groups[1].Value, project) : "(root)";
            foreach (Match used in References(project).Matches(Namespace().Replace(text, "")))
            {
                var to = used.Groups[1].Value;
                if (to == from) continue;
                if (!edges.TryGetValue(from, out var targets)) edges[from] = targets = new(StringComparer.Ordinal);
                if (!targets.TryGetValue(to, out var by)) targets[to] = by = [];
                if (!by.Contains(relative)) by.Add(relative);
            }
        }
        Assert.True(files > 10, $"{files} files read under {root}");

        var cycles = Cycles(edges).Select(cycle => string.Join(" -> ", cycle) + ": " + string.Join("; ",
            cycle.Zip(cycle.Skip(1), (a, b) => $"{a} -> {b} in {string.Join(", ", edges[a][b])}"))).ToList();
        Assert.True(cycles.Count == 0, $"folder cycles in {project}:\n" + string.Join("\n", cycles));
    }

    private static string FolderOf(string ns, string project) =>
        ns == project ? "(root)" : ns.StartsWith(project + ".", StringComparison.Ordinal) ? ns[(project.Length + 1)..].Split('.')[0] : "(root)";

    /// <summary>Every strongly connected set of two or more folders, each as one cycle through it (first folder again at the end).</summary>
    private static List<List<string>> Cycles(Dictionary<string, Dictionary<string, List<string>>> edges)
    {
        var found = new List<List<string>>();
        var done = new HashSet<string>(StringComparer.Ordinal);
        foreach (var start in edges.Keys.Order(StringComparer.Ordinal))
        {
            // the shortest way back to start, breadth first
            var cameFrom = new Dictionary<string, string>(StringComparer.Ordinal);
            var queue = new Queue<string>([start]);
            while (queue.Count > 0 && !cameFrom.ContainsKey(start))
            {
                var at = queue.Dequeue();
                foreach (var next in edges.GetValueOrDefault(at)?.Keys ?? Enumerable.Empty<string>())
                    if (cameFrom.TryAdd(next, at)) queue.Enqueue(next);
            }
            if (!cameFrom.ContainsKey(start)) continue;
            var path = new List<string> { start };
            for (var at = cameFrom[start]; at != start; at = cameFrom[at]) path.Insert(0, at);
            path.Insert(0, start);
            if (path.Skip(1).Any(done.Contains)) continue;
            foreach (var folder in path) done.Add(folder);
            found.Add(path);
        }
        return found;
    }

    [GeneratedRegex(@"^namespace\s+([\w.]+)\s*;", RegexOptions.Multiline)]
    private static partial Regex Namespace();

    private static Regex References(string project) => new(@"\b" + Regex.Escape(project) + @"\.(\w+)\b");
}
