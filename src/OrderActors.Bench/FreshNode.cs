using OrderActors.Harness;

namespace OrderActors.Bench;

/// <summary>The fresh node a run measures: published in Release (or the given build), on a temp data dir, started as the Dockerfile starts it.</summary>
public static class FreshNode
{
    public static async Task<NodeProcess> StartAsync(string? nodeDll, bool keep, TextWriter log)
    {
        var workDir = Path.Combine(Path.GetTempPath(), "orderactors-bench-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(workDir);
        nodeDll ??= await PublishAsync(Path.Combine(workDir, "node"), log);
        var node = new NodeProcess(Path.Combine(workDir, "data"))
        {
            NodeDll = nodeDll,
            Keep = keep,
            DumpOnTimeout = true,
            Environment = new Dictionary<string, string>
            {
                // start-up is logged (a few lines); once running the node logs little
                ["Logging__LogLevel__Default"] = "Information",
                // as the Dockerfile runs a node: hot methods are optimised without waiting for start-up compilation to pause
                ["DOTNET_TC_CallCountingDelayMs"] = "0",
            },
        };
        await node.StartAsync(TimeSpan.FromSeconds(120));
        return node;
    }

    /// <summary>Publishes OrderActors.Node in Release to <paramref name="output"/>; the path of its dll.</summary>
    public static async Task<string> PublishAsync(string output, TextWriter log)
    {
        log.WriteLine($"publishing OrderActors.Node (Release) to {output} ...");
        var (exit, _, err) = await Repo.RunProgramAsync(Repo.DotnetHost,
            ["publish", Path.Combine(Repo.Root, "src", "OrderActors.Node"), "-c", "Release", "-o", output, "--nologo", "-v", "q"],
            TimeSpan.FromMinutes(10));
        if (exit != 0) throw new InvalidOperationException($"dotnet publish failed ({exit}): {err}");
        return Path.Combine(output, "OrderActors.Node.dll");
    }
}
