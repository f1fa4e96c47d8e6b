using System.Security.Cryptography;
using System.Text;

namespace OrderActors.Domain.Security;

/// <summary>What a key may do (docs/API.md, "Security"). Each role is checked by <see cref="AccessRules"/>.</summary>
public enum ApiRole
{
    /// <summary>Posts orders and reads their views.</summary>
    Producer,
    /// <summary>Reads the feeds of its units, acknowledges them, reports downstream status, reads order views of its units.</summary>
    Consumer,
    /// <summary>Catalog, inventory, reports, delivery settings, parked orders, replay; reads everything a producer or consumer reads.</summary>
    Operator,
    /// <summary>Everything: keys and cluster operations too.</summary>
    Admin,
}

/// <summary>A key as the node stores it: never the key itself, only its SHA-256 (a key is random, so no slow hash is needed).</summary>
public sealed record StoredKey(string Id, string Name, ApiRole Role, IReadOnlyList<string> Units, byte[] Hash, DateTimeOffset CreatedAt,
    DateTimeOffset? RevokedAt = null);

/// <summary>Who a request is: the key's id and name, its role and (a consumer) its units.</summary>
public sealed record Principal(string KeyId, string Name, ApiRole Role, IReadOnlyList<string> Units)
{
    /// <summary>The node's bootstrap admin token (<c>--admin-token</c>).</summary>
    public static readonly Principal AdminToken = new("admin-token", "admin token", ApiRole.Admin, []);

    public bool MayUse(string unit) => Role != ApiRole.Consumer || Units.Contains(unit, StringComparer.Ordinal);
}

/// <summary>
/// API keys: <c>oak_</c> (so a leaked one is recognisable, e.g. by secret scanners), a 12-character public id, <c>_</c>,
/// and 32 random bytes (base64url). Shown once, when created; the node keeps only the hash.
/// </summary>
public static class ApiKeys
{
    public const string Prefix = "oak_";
    public const int IdLength = 12;
    private const string IdAlphabet = "abcdefghijkmnpqrstuvwxyz23456789"; // no 0/o, 1/l: ids are read aloud and typed

    public static (string Id, string Key) Generate()
    {
        var id = RandomNumberGenerator.GetString(IdAlphabet, IdLength);
        var secret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        return (id, $"{Prefix}{id}_{secret}");
    }

    public static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));

    /// <summary>The public id of a key in our format (null: not one of ours).</summary>
    public static string? IdOf(string key) =>
        key.Length > Prefix.Length + IdLength + 1 && key.StartsWith(Prefix, StringComparison.Ordinal) && key[Prefix.Length + IdLength] == '_'
            ? key.Substring(Prefix.Length, IdLength)
            : null;

    /// <summary>Whether a presented secret is the one with <paramref name="expectedHash"/>, in time that does not depend on where they differ.</summary>
    public static bool Matches(byte[] presentedHash, byte[] expectedHash) => CryptographicOperations.FixedTimeEquals(presentedHash, expectedHash);

    /// <summary>Checks a new key's name, role and units: null when valid, else the field and the reason.</summary>
    public static (string Field, string Reason)? Validate(string? name, string? role, IReadOnlyList<string>? units, IReadOnlyCollection<string> knownUnits,
        out ApiRole parsed)
    {
        parsed = default;
        if (string.IsNullOrWhiteSpace(name) || name.Length > 100 || name.Any(char.IsControl))
            return ("name", "is required: 1–100 printable characters, e.g. \"oms-eu\"");
        if (Enum.GetNames<ApiRole>().FirstOrDefault(n => n.Equals(role, StringComparison.OrdinalIgnoreCase)) is not { } roleName)
            return ("role", "must be producer, consumer, operator or admin");
        parsed = Enum.Parse<ApiRole>(roleName);
        if (parsed == ApiRole.Consumer)
        {
            if (units is null || units.Count == 0) return ("units", "a consumer key needs the units it may read, e.g. [\"erp\"]");
            if (units.FirstOrDefault(u => !knownUnits.Contains(u)) is { } unknown)
                return ("units", $"'{unknown}' is not a unit (units: {string.Join(", ", knownUnits.Order(StringComparer.Ordinal))})");
        }
        else if (units is { Count: > 0 }) return ("units", "only a consumer key is scoped to units");
        return null;
    }
}

/// <summary>The keys this node knows, as of one version of the key store; immutable, replaced whole on a change.</summary>
public sealed class KeyDirectory
{
    private readonly Dictionary<string, StoredKey> _byId;

    public KeyDirectory(long version, IEnumerable<StoredKey> keys)
    {
        Version = version;
        _byId = keys.ToDictionary(k => k.Id, StringComparer.Ordinal);
    }

    public static readonly KeyDirectory Empty = new(0, []);

    public long Version { get; }

    public IEnumerable<StoredKey> Keys => _byId.Values;

    /// <summary>The principal of a key presented as a Bearer token, whose hash is <paramref name="hash"/> (null: unknown, wrong or revoked).</summary>
    public Principal? Authenticate(string presented, byte[] hash)
    {
        if (ApiKeys.IdOf(presented) is not { } id || !_byId.TryGetValue(id, out var key) || key.RevokedAt is not null) return null;
        return ApiKeys.Matches(hash, key.Hash) ? new Principal(key.Id, key.Name, key.Role, key.Units) : null;
    }

    public Principal? Authenticate(string presented) => Authenticate(presented, ApiKeys.Hash(presented));
}
