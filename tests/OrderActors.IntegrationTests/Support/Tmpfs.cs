namespace OrderActors.IntegrationTests.Support;

/// <summary>
/// A tmpfs the test mounts for itself: a file system it can fill or remount read-only, as an operator's disk does.
/// Mounting needs root, which CI has (chmod would not stop root, so a real mount is the only honest test).
/// </summary>
public sealed class Tmpfs : IAsyncDisposable
{
    private Tmpfs(string path) => Path = path;

    public string Path { get; }

    public static async Task<Tmpfs> MountAsync(int megabytes)
    {
        Assert.True(Environment.UserName == "root", "this test mounts a tmpfs and needs root (CI runs as root)");
        var tmpfs = new Tmpfs(Directory.CreateTempSubdirectory("orderactors-tmpfs-").FullName);
        await Sh($"mount -t tmpfs -o size={megabytes}m tmpfs {tmpfs.Path}");
        return tmpfs;
    }

    public Task RemountReadOnlyAsync() => Sh($"mount -o remount,ro {Path}");

    public async ValueTask DisposeAsync()
    {
        await Repo.RunProgramAsync("/bin/sh", ["-c", $"umount {Path}"]);
        Directory.Delete(Path, recursive: true);
    }

    private static async Task Sh(string command)
    {
        var (code, _, err) = await Repo.RunProgramAsync("/bin/sh", ["-c", command]);
        Assert.True(code == 0, $"{command}: {err}");
    }
}
