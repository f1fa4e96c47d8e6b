using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace OrderActors.Domain.Security;

/// <summary>
/// The cluster's own certificate authority (docs/security.md): nodes present certificates it issued, and accept a
/// peer only if the peer's certificate chains to it. A private CA, not the system's trust store, because any holder
/// of a publicly trusted certificate must not be able to join.
/// </summary>
public static class ClusterCertificates
{
    /// <summary>A new CA (ECDSA P-256), valid for <paramref name="validFor"/>.</summary>
    public static X509Certificate2 CreateAuthority(string name, TimeSpan validFor)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(new X500DistinguishedName($"CN={name}"), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var now = DateTimeOffset.UtcNow;
        return request.CreateSelfSigned(now.AddMinutes(-5), now + validFor);
    }

    /// <summary>
    /// A node certificate issued by <paramref name="authority"/> (which needs its private key), for both ends of a
    /// link (a node is a TLS server to some peers and a client to others), naming the node's hosts and addresses.
    /// </summary>
    public static X509Certificate2 Issue(X509Certificate2 authority, string name, IEnumerable<string> hosts, TimeSpan validFor)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(new X500DistinguishedName($"CN={name}"), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyAgreement, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid("1.3.6.1.5.5.7.3.1", "Server Authentication"), new Oid("1.3.6.1.5.5.7.3.2", "Client Authentication")], false));
        var names = new SubjectAlternativeNameBuilder();
        foreach (var host in hosts.Append(name).Distinct(StringComparer.OrdinalIgnoreCase))
        {
            if (IPAddress.TryParse(host, out var ip)) names.AddIpAddress(ip);
            else names.AddDnsName(host);
        }
        request.CertificateExtensions.Add(names.Build());
        var now = DateTimeOffset.UtcNow;
        var notAfter = now + validFor < authority.NotAfter ? now + validFor : new DateTimeOffset(authority.NotAfter.ToUniversalTime());
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F; // positive
        using var issued = request.Create(authority, now.AddMinutes(-5), notAfter, serial);
        return issued.CopyWithPrivateKey(key);
    }

    /// <summary>The certificate and its private key as PEM, the two files a node is given.</summary>
    public static (string Certificate, string Key) ToPem(X509Certificate2 certificate) =>
        (certificate.ExportCertificatePem(),
         certificate.GetECDsaPrivateKey()?.ExportPkcs8PrivateKeyPem()
         ?? certificate.GetRSAPrivateKey()?.ExportPkcs8PrivateKeyPem()
         ?? throw new ArgumentException("the certificate has no private key", nameof(certificate)));

    /// <summary>
    /// Whether a peer may join: it presented a certificate, within its validity, that chains to one of
    /// <paramref name="authorities"/> (and only to them). The host name is not checked: nodes dial each other by
    /// whatever address the cluster gossips, and it is the CA, not the name, that admits a node.
    /// </summary>
    public static PeerVerdict VerifyPeer(X509Certificate2? peer, X509Certificate2Collection authorities, DateTime? at = null)
    {
        if (peer is null) return new PeerVerdict(false, "the peer presented no certificate");
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(authorities);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = at ?? DateTime.Now;
        if (chain.Build(peer)) return new PeerVerdict(true, $"{peer.Subject} issued by {peer.Issuer}");
        var why = string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation.Trim()).Where(s => s.Length > 0).Distinct());
        return new PeerVerdict(false, $"{peer.Subject} (issued by {peer.Issuer}) does not chain to the cluster CA: {why}");
    }
}

/// <summary>The answer to a peer's certificate, with the reason that goes in the log.</summary>
public sealed record PeerVerdict(bool Admitted, string Reason);
