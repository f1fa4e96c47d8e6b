using System.Security.Cryptography;
using System.Text;

namespace OrderActors.Domain.Delivery;

/// <summary>
/// Webhook signatures as the Standard Webhooks specification defines them: the signed content is
/// <c>{webhook-id}.{webhook-timestamp}.{body}</c>, signed with HMAC-SHA256 under a secret given as
/// <c>whsec_</c> + base64 of its bytes; the <c>webhook-signature</c> header carries <c>v1,{base64 signature}</c>, one per
/// secret (space-separated) while secrets are being rotated. A receiver accepts a request when any signature matches
/// any of its secrets and the timestamp is within its tolerance (five minutes, against replays).
/// </summary>
public static class WebhookSignature
{
    public const string SecretPrefix = "whsec_";
    public static readonly TimeSpan Tolerance = TimeSpan.FromMinutes(5);

    /// <summary>The key of a <c>whsec_…</c> secret, or null when it is not one (no prefix, not base64, fewer than 24 bytes).</summary>
    public static byte[]? KeyOf(string secret)
    {
        if (!secret.StartsWith(SecretPrefix, StringComparison.Ordinal)) return null;
        try
        {
            var key = Convert.FromBase64String(secret[SecretPrefix.Length..]);
            return key.Length is >= 24 and <= 64 ? key : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <summary>A new random secret (32 bytes), in the <c>whsec_</c> form.</summary>
    public static string NewSecret() => SecretPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    /// <summary>The <c>webhook-signature</c> header value: one <c>v1,…</c> per secret.</summary>
    public static string Header(IEnumerable<string> secrets, string id, long timestamp, ReadOnlySpan<byte> body)
    {
        var signatures = new List<string>();
        foreach (var secret in secrets)
            signatures.Add("v1," + Sign(KeyOf(secret) ?? throw new ArgumentException("not a whsec_ secret", nameof(secrets)), id, timestamp, body));
        return string.Join(' ', signatures);
    }

    /// <summary>Whether <paramref name="header"/> holds a valid signature by any of <paramref name="secrets"/>, at a timestamp within the tolerance of <paramref name="now"/>.</summary>
    public static bool Verify(string header, IEnumerable<string> secrets, string id, long timestamp, ReadOnlySpan<byte> body, DateTimeOffset now)
    {
        if (Math.Abs(now.ToUnixTimeSeconds() - timestamp) > Tolerance.TotalSeconds) return false;
        var offered = header.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Where(s => s.StartsWith("v1,", StringComparison.Ordinal))
            .Select(s => s[3..])
            .ToList();
        foreach (var secret in secrets)
        {
            if (KeyOf(secret) is not { } key) continue;
            var expected = Encoding.ASCII.GetBytes(Sign(key, id, timestamp, body));
            foreach (var signature in offered)
                if (CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(signature))) return true;
        }
        return false;
    }

    private static string Sign(byte[] key, string id, long timestamp, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.UTF8.GetBytes($"{id}.{timestamp}.");
        var content = new byte[prefix.Length + body.Length];
        prefix.CopyTo(content, 0);
        body.CopyTo(content.AsSpan(prefix.Length));
        return Convert.ToBase64String(HMACSHA256.HashData(key, content));
    }
}
