namespace OrderActors.Harness;

/// <summary>Resident memory of a process, from Linux /proc.</summary>
public static class ProcessMemory
{
    /// <summary>VmRSS and VmHWM (peak since the process started) in MB; NaN once the process is gone.</summary>
    public static (double RssMb, double PeakMb) Read(int pid)
    {
        try
        {
            var status = File.ReadAllLines($"/proc/{pid}/status");
            double Value(string key) =>
                status.FirstOrDefault(l => l.StartsWith(key + ":", StringComparison.Ordinal)) is { } line
                    ? long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) / 1024.0
                    : double.NaN;
            return (Value("VmRSS"), Value("VmHWM"));
        }
        catch (IOException)
        {
            return (double.NaN, double.NaN);
        }
    }

    /// <summary>CPU time the process has used (user + system, all its threads), from /proc/PID/stat; null once it is gone.</summary>
    public static TimeSpan? CpuTime(int pid)
    {
        try
        {
            // utime and stime are the 12th and 13th fields after the command
            var fields = StatFields(pid);
            var ticks = long.Parse(fields[11]) + long.Parse(fields[12]);
            return TimeSpan.FromSeconds(ticks / (double)ClockTicksPerSecond);
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>
    /// CPU time of a server and its worker processes (PostgreSQL's postmaster and backends): its own, what the children it
    /// has reaped used (cutime, cstime), and what its living children have used so far; null once it is gone.
    /// </summary>
    public static TimeSpan? ServerCpuTime(int pid)
    {
        try
        {
            var fields = StatFields(pid);
            var ticks = long.Parse(fields[11]) + long.Parse(fields[12]) + long.Parse(fields[13]) + long.Parse(fields[14]);
            foreach (var dir in Directory.EnumerateDirectories("/proc"))
            {
                if (!int.TryParse(Path.GetFileName(dir), out var child) || child == pid) continue;
                try
                {
                    var f = StatFields(child);
                    if (int.Parse(f[1]) == pid) ticks += long.Parse(f[11]) + long.Parse(f[12]);
                }
                catch (IOException) { } // gone meanwhile: its time is its parent's now
            }
            return TimeSpan.FromSeconds(ticks / (double)ClockTicksPerSecond);
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>The fields of /proc/PID/stat after the command (in parentheses, which may hold spaces): state first, ppid second.</summary>
    private static string[] StatFields(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        return stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
    }

    /// <summary>The kernel's USER_HZ, the unit of /proc's CPU times: 100 on Linux.</summary>
    private const int ClockTicksPerSecond = 100;

    /// <summary>The process listening on this TCP port (its socket's inode in /proc/net/tcp*, then whose fd it is).</summary>
    public static int? ListeningOn(int port)
    {
        var inodes = new[] { "/proc/net/tcp", "/proc/net/tcp6" }.Where(File.Exists).SelectMany(File.ReadLines).Skip(1)
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(f => f.Length > 9 && f[3] == "0A" && int.Parse(f[1].Split(':')[1], System.Globalization.NumberStyles.HexNumber) == port)
            .Select(f => $"socket:[{f[9]}]").ToHashSet();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
            try
            {
                if (Directory.EnumerateFileSystemEntries(Path.Combine(dir, "fd")).Any(fd => new FileInfo(fd).LinkTarget is { } t && inodes.Contains(t)))
                    return pid;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        }
        return null;
    }
}
