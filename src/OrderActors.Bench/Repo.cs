namespace OrderActors.Bench;

/// <summary>The repository root, found from the working directory or the program's own (also compiled into the integration tests).</summary>
public static class Repo
{
    public static string Root { get; } = Find();

    private static string Find()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            var dir = new DirectoryInfo(start);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "OrderActors.sln"))) dir = dir.Parent;
            if (dir is not null) return dir.FullName;
        }
        throw new InvalidOperationException("run the benchmark from the repository (OrderActors.sln not found)");
    }
}
