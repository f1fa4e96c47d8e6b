using System.Runtime.InteropServices;

namespace OrderActors.Node.Hosting;

/// <summary>
/// Caps glibc's malloc arenas. glibc gives each thread that meets contention an arena of its own (up to 8 per core),
/// and memory freed into one is kept there: SQLite's page caches and statements, allocated from whichever pool
/// thread runs a journal write, spread over many arenas that each keep their high-water mark: under overload that
/// is most of the node's resident memory beyond its heap (docs/performance.md). The same as
/// <c>MALLOC_ARENA_MAX=2</c> in the environment, which, when set, wins.
/// </summary>
internal static class NativeMemory
{
    private const int M_ARENA_MAX = -8;

    public static void LimitMallocArenas(int arenas = 2)
    {
        if (!OperatingSystem.IsLinux() || Environment.GetEnvironmentVariable("MALLOC_ARENA_MAX") is not null) return;
        try
        {
            mallopt(M_ARENA_MAX, arenas);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // not glibc (e.g. musl): nothing to cap
        }
    }

    [DllImport("libc", EntryPoint = "mallopt")]
    private static extern int mallopt(int param, int value);
}
