namespace OrderActors.Node.Security;

/// <summary><c>POST /api/admin/keys</c>: a key's name, role and (a consumer) units.</summary>
public sealed record CreateKeyRequest(string? Name, string? Role, IReadOnlyList<string>? Units);

/// <summary>A key as listed: never its secret.</summary>
public sealed record KeyView(string Id, string Name, string Role, IReadOnlyList<string> Units, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt);

/// <summary>The answer to a create: the key itself, shown this once.</summary>
public sealed record CreatedKeyView(string Id, string Name, string Role, IReadOnlyList<string> Units, DateTimeOffset CreatedAt, string Key);
