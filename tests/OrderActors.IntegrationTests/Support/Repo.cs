using System.Diagnostics;

namespace OrderActors.IntegrationTests.Support;

/// <summary>Paths in the repository, and the programs built beside this test assembly's configuration.</summary>
public static class Repo
{
    public static string Root => OrderActors.Bench.Repo.Root;

    public static string DotnetHost =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";

    public static string Sample(string file) => Path.Combine(Root, "samples", "northwind", file);

    /// <summary>A program built in the same configuration (Debug or Release) as the tests.</summary>
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

    /// <summary>Runs a program to completion and returns its exit code, stdout and stderr.</summary>
    public static async Task<(int ExitCode, string Out, string Err)> RunProgramAsync(string program, params string[] args)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args) info.ArgumentList.Add(arg);
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }
}
