using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Akka.Event;
using Akka.Remote.Hosting;
using OrderActors.Domain.Security;

namespace OrderActors.Node.Hosting;

/// <summary>
/// The cluster link over TLS with mutual authentication (docs/security.md): every node presents its certificate and
/// admits a peer only if the peer's certificate chains to the cluster CA. Off unless <c>--cluster-tls-cert</c> is
/// given; then every node of the cluster needs it (a plain node and a TLS node cannot talk).
/// </summary>
public sealed record ClusterTlsOptions(X509Certificate2 Certificate, X509Certificate2Collection Authorities, string CertificateFile)
{
    /// <summary>
    /// Reads <c>--cluster-tls-cert</c> (PEM, with <c>--cluster-tls-key</c>; or PKCS#12 .pfx/.p12, with
    /// <c>--cluster-tls-password</c> if it has one) and <c>--cluster-tls-ca</c> (PEM, one or more CA certificates).
    /// Null when TLS is not asked for. A wrong file is an <see cref="OptionsException"/>: it would otherwise show only
    /// as a node that silently cannot join.
    /// </summary>
    public static ClusterTlsOptions? From(IConfiguration config, NodeOptions node)
    {
        var tls = Read(config);
        var protocol = Protocol(tls);
        foreach (var seed in node.SeedNodes)
            if (!seed.StartsWith(protocol + "://", StringComparison.Ordinal))
                throw new OptionsException($"--seed-nodes {seed}: " + (tls is null
                    ? $"without --cluster-tls-cert the cluster link is plain TCP, so a seed is {protocol}://orderactors@host:port"
                    : $"with --cluster-tls-cert the cluster link is TLS, so a seed is {protocol}://orderactors@host:port"));
        return tls;
    }

    /// <summary>Akka.Remote's protocol in a member's address: TLS members are <c>akka.ssl.tcp</c>.</summary>
    public static string Protocol(ClusterTlsOptions? tls) => tls is null ? "akka.tcp" : "akka.ssl.tcp";

    private static ClusterTlsOptions? Read(IConfiguration config)
    {
        string? Get(string key) => config[key] ?? config[key.Replace('-', '_')];
        var certFile = Get("cluster-tls-cert");
        var keyFile = Get("cluster-tls-key");
        var caFile = Get("cluster-tls-ca");
        var password = Get("cluster-tls-password");
        if (certFile is null)
        {
            if (keyFile is not null || caFile is not null || password is not null)
                throw new OptionsException("--cluster-tls-key, --cluster-tls-ca and --cluster-tls-password need --cluster-tls-cert");
            return null;
        }
        if (caFile is null)
            throw new OptionsException("--cluster-tls-cert needs --cluster-tls-ca: the CA whose certificates admit a peer (docs/security.md)");
        foreach (var (option, file) in new[] { ("cluster-tls-cert", certFile), ("cluster-tls-key", keyFile), ("cluster-tls-ca", caFile) })
            if (file is not null && !File.Exists(file)) throw new OptionsException($"--{option} {file}: no such file");

        var certificate = LoadCertificate(certFile, keyFile, password);
        var authorities = new X509Certificate2Collection();
        try { authorities.ImportFromPemFile(caFile); }
        catch (CryptographicException e) { throw new OptionsException($"--cluster-tls-ca {caFile} is not a PEM certificate file: {e.Message}"); }
        if (authorities.Count == 0) throw new OptionsException($"--cluster-tls-ca {caFile} holds no certificate");

        var own = ClusterCertificates.VerifyPeer(certificate, authorities);
        if (!own.Admitted)
            throw new OptionsException($"--cluster-tls-cert {certFile}: {own.Reason}; peers would refuse this node");
        return new ClusterTlsOptions(certificate, authorities, Path.GetFullPath(certFile));
    }

    private static X509Certificate2 LoadCertificate(string certFile, string? keyFile, string? password)
    {
        var pkcs12 = certFile.EndsWith(".pfx", StringComparison.OrdinalIgnoreCase) || certFile.EndsWith(".p12", StringComparison.OrdinalIgnoreCase);
        X509Certificate2 certificate;
        try
        {
            certificate = pkcs12
                ? X509CertificateLoader.LoadPkcs12FromFile(certFile, password)
                : keyFile is null
                    ? throw new OptionsException($"--cluster-tls-cert {certFile} is PEM: give its private key with --cluster-tls-key (or a .pfx)")
                    : X509Certificate2.CreateFromPemFile(certFile, keyFile);
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException) // ArgumentException: the key is another certificate's
        {
            throw new OptionsException($"--cluster-tls-cert {certFile}{(keyFile is null ? "" : $" / --cluster-tls-key {keyFile}")} " +
                                       $"could not be read{(pkcs12 ? " (is --cluster-tls-password right?)" : "")}: {e.Message}");
        }
        if (!certificate.HasPrivateKey)
            throw new OptionsException($"--cluster-tls-cert {certFile} has no private key: a node must prove it holds the certificate");
        if (certificate.NotAfter < DateTime.Now)
            throw new OptionsException($"--cluster-tls-cert {certFile} expired on {certificate.NotAfter:u}");
        return certificate;
    }

    /// <summary>Akka.Remote's options: TLS on, both ends authenticated, a peer admitted by our CA alone.</summary>
    public RemoteOptions ApplyTo(RemoteOptions remote)
    {
        remote.EnableSsl = true;
        remote.Ssl = new SslOptions
        {
            X509Certificate = Certificate,
            SuppressValidation = false,
            RequireMutualAuthentication = true,
            ValidateCertificateHostname = false,
            CustomValidator = Admit,
        };
        return remote;
    }

    private bool Admit(X509Certificate2? peer, X509Chain? chain, string remotePeer, SslPolicyErrors errors, ILoggingAdapter log)
    {
        var verdict = ClusterCertificates.VerifyPeer(peer, Authorities);
        if (!verdict.Admitted) log.Warning("Refused cluster peer {0}: {1}", remotePeer, verdict.Reason);
        return verdict.Admitted;
    }
}
