using System.Diagnostics;

namespace OrderActors.IntegrationTests.Support;

/// <summary>
/// A command-line tool from npm, installed once per test run into a folder of its own under the temp dir (never into
/// the repository), and run with the machine's Node.js (Debian: <c>apt-get install nodejs npm</c>; test.sh does it).
/// </summary>
public static class NpmTool
{
    private static readonly SemaphoreSlim Gate = new(1, 1);

    /// <summary>Installs <paramref name="package"/> at <paramref name="version"/> if it is not yet, and returns the path of its <paramref name="bin"/>.</summary>
    public static async Task<string> InstallAsync(string package, string version, string bin)
    {
        var dir = Path.Combine(Path.GetTempPath(), "orderactors-npm", $"{package.Replace('/', '_')}-{version}");
        var path = Path.Combine(dir, "node_modules", ".bin", bin);
        await Gate.WaitAsync();
        try
        {
            if (File.Exists(path)) return path;
            Directory.CreateDirectory(dir);
            var (code, output) = await RunAsync("npm", ["install", "--prefix", dir, "--no-audit", "--no-fund", "--loglevel=error", $"{package}@{version}"], TimeSpan.FromMinutes(5));
            if (code != 0 || !File.Exists(path))
                throw new InvalidOperationException($"npm install {package}@{version} failed ({code}): {output}");
            return path;
        }
        finally
        {
            Gate.Release();
        }
    }

    public static async Task<(int Code, string Output)> RunAsync(string file, IEnumerable<string> args, TimeSpan timeout, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = workingDirectory ?? "" };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {file}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', start.ArgumentList)} did not finish within {timeout}");
        }
        return (process.ExitCode, (await stdout) + (await stderr));
    }
}
