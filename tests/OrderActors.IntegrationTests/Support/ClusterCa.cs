using OrderActors.Harness;

namespace OrderActors.IntegrationTests.Support;

/// <summary>A throwaway CA for the cluster link, made with <c>orderctl certs</c> as an operator would, and the node options it gives.</summary>
public sealed class ClusterCa : IDisposable
{
    private ClusterCa(string dir) => Dir = dir;

    public string Dir { get; }
    public string CaFile => Path.Combine(Dir, "ca", "ca.pem");

    public static async Task<ClusterCa> CreateAsync(string? name = null)
    {
        var ca = new ClusterCa(Path.Combine(Path.GetTempPath(), $"orderactors-ca-{Guid.NewGuid():N}"));
        var (code, _, err) = await Repo.OrderCtlAsync(["certs", "ca", "--out", Path.Combine(ca.Dir, "ca"), .. name is null ? Array.Empty<string>() : ["--name", name]]);
        if (code != 0) throw new InvalidOperationException($"orderctl certs ca exited {code}: {err}");
        return ca;
    }

    /// <summary>A node's certificate from this CA, and the options that start a node with it and trust this CA.</summary>
    public async Task<string[]> NodeArgsAsync(string node, string host = "127.0.0.1")
    {
        var (code, _, err) = await Repo.OrderCtlAsync("certs", "node", node, "--ca", Path.Combine(Dir, "ca"), "--out", Dir, "--host", host);
        if (code != 0) throw new InvalidOperationException($"orderctl certs node exited {code}: {err}");
        return ["--cluster-tls-cert", Path.Combine(Dir, $"{node}.pem"), "--cluster-tls-key", Path.Combine(Dir, $"{node}.key"), "--cluster-tls-ca", CaFile];
    }

    public void Dispose()
    {
        try { Directory.Delete(Dir, recursive: true); }
        catch (IOException) { /* a temp dir */ }
    }
}
