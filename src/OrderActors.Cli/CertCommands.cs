using System.Security.Cryptography.X509Certificates;
using OrderActors.Domain.Security;

namespace OrderActors.Cli;

/// <summary>
/// <c>orderctl certs</c>: a private CA for the cluster link and a certificate per node (docs/security.md). Local
/// files only: nothing is sent to a node. The CA's key is what admits a node to the cluster: keep it off the nodes.
/// </summary>
public static class CertCommands
{
    public static int CreateAuthority(string dir, string name, int days)
    {
        Directory.CreateDirectory(dir);
        var (certFile, keyFile) = (Path.Combine(dir, "ca.pem"), Path.Combine(dir, "ca.key"));
        if (File.Exists(certFile) || File.Exists(keyFile))
            throw new UsageException($"{certFile} or {keyFile} exists already: a new CA would lock out every node issued by the old one");
        using var authority = ClusterCertificates.CreateAuthority(name, TimeSpan.FromDays(days));
        Write(authority, certFile, keyFile);
        Console.Error.WriteLine($"CA '{name}' valid until {authority.NotAfter:yyyy-MM-dd}: give {certFile} to every node as --cluster-tls-ca; " +
                                $"keep {keyFile} where you issue certificates, not on the nodes");
        return Cli.Ok;
    }

    public static int Issue(string caDir, string name, IReadOnlyList<string> hosts, string outDir, int days)
    {
        var (caCert, caKey) = (Path.Combine(caDir, "ca.pem"), Path.Combine(caDir, "ca.key"));
        if (!File.Exists(caCert) || !File.Exists(caKey))
            throw new UsageException($"{caDir} has no ca.pem and ca.key: create them with orderctl certs ca --out {caDir}");
        using var authority = X509Certificate2.CreateFromPemFile(caCert, caKey);
        Directory.CreateDirectory(outDir);
        using var node = ClusterCertificates.Issue(authority, name, hosts, TimeSpan.FromDays(days));
        var (certFile, keyFile) = (Path.Combine(outDir, $"{name}.pem"), Path.Combine(outDir, $"{name}.key"));
        Write(node, certFile, keyFile);
        Console.Error.WriteLine($"{name} valid until {node.NotAfter:yyyy-MM-dd}: start the node with --cluster-tls-cert {certFile} " +
                                $"--cluster-tls-key {keyFile} --cluster-tls-ca {caCert}");
        return Cli.Ok;
    }

    private static void Write(X509Certificate2 certificate, string certFile, string keyFile)
    {
        var (pem, key) = ClusterCertificates.ToPem(certificate);
        File.WriteAllText(certFile, pem);
        File.WriteAllText(keyFile, "");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(keyFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.WriteAllText(keyFile, key);
        Console.WriteLine(certFile);
        Console.WriteLine(keyFile);
    }
}
