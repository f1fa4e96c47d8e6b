using System.Diagnostics;

namespace OrderActors.Harness;

/// <summary>Paths in the repository, and the programs built in it.</summary>
public static class Repo
{
    /// <summary>The repository root, found from the working directory or the program's own.</summary>
    public static string Root { get; } = Find();

    public static string DotnetHost =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";

    public static string Sample(string file) => Path.Combine(Root, "samples", "northwind", file);

    /// <summary>A program built in the same configuration (Debug or Release) as the calling program.</summary>
    public static string Built(string project, string dll)
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent?.Name ?? "Debug"; // .../bin/{Configuration}/net10.0/
        var path = Path.Combine(Root, "src", project, "bin", configuration, "net10.0", dll);
        return File.Exists(path) ? path : throw new FileNotFoundException($"build {project} first: {path} is missing");
    }

    /// <summary>Runs orderctl to completion and returns its exit code, stdout and stderr.</summary>
    public static Task<(int ExitCode, string Out, string Err)> OrderCtlAsync(params string[] args) =>
        RunAsync(Built("OrderActors.Cli", "orderctl.dll"), args);

    /// <summary>Runs a built program (a .dll) to completion and returns its exit code, stdout and stderr.</summary>
    public static Task<(int ExitCode, string Out, string Err)> RunAsync(string dll, params string[] args) =>
        RunProgramAsync(DotnetHost, [dll, .. args]);

    /// <summary>Runs a program to completion (at most <paramref name="timeout"/>, 3 minutes by default) and returns its exit code, stdout and stderr.</summary>
    public static async Task<(int ExitCode, string Out, string Err)> RunProgramAsync(string program, string[] args, TimeSpan? timeout = null)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args) info.ArgumentList.Add(arg);
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(cts.Token);
        return (process.ExitCode, await stdout, await stderr);
    }

    private static string Find()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            var dir = new DirectoryInfo(start);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "OrderActors.sln"))) dir = dir.Parent;
            if (dir is not null) return dir.FullName;
        }
        throw new InvalidOperationException("run from the repository (OrderActors.sln not found)");
    }
}
