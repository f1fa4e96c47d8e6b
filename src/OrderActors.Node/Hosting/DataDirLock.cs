namespace OrderActors.Node.Hosting;

/// <summary>
/// One node per data dir: an exclusive lock on <c>node.lock</c> in it, taken before anything opens the journal and held
/// for the life of the process. Two nodes writing one SQLite journal would each assign the same sequence numbers to
/// their entities' events. The lock is the OS's (flock), so it goes with the process however that ends: a node killed
/// with -9 leaves no stale lock, and the next one starts at once. The holder's pid is written beside it
/// (<c>node.pid</c>) so that the node refused can name it.
/// </summary>
public sealed class DataDirLock : IDisposable
{
    public const string LockFile = "node.lock";
    public const string PidFile = "node.pid";

    private readonly FileStream _lock;

    private DataDirLock(FileStream held) => _lock = held;

    /// <summary>Takes the lock on <paramref name="dir"/> (which exists), or throws naming the dir and the pid that holds it.</summary>
    public static DataDirLock Acquire(string dir)
    {
        FileStream held;
        try
        {
            // FileShare.None is an exclusive, non-blocking flock on Unix (and a sharing lock on Windows)
            held = new FileStream(Path.Combine(dir, LockFile), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            throw new OptionsException($"--data-dir {dir} is in use by another node ({Holder(dir)}): one node per data dir. " +
                                       "Stop that node first, or give this one a --data-dir of its own.");
        }
        File.WriteAllText(Path.Combine(dir, PidFile), $"{Environment.ProcessId}\n");
        return new DataDirLock(held);
    }

    private static string Holder(string dir)
    {
        try
        {
            return int.TryParse(File.ReadAllText(Path.Combine(dir, PidFile)).Trim(), out var pid) ? $"pid {pid}" : "pid unknown";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "pid unknown";
        }
    }

    public void Dispose() => _lock.Dispose();
}
