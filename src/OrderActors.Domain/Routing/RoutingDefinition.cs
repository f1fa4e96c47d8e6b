using OrderActors.Domain.Inventory;

namespace OrderActors.Domain.Routing;

/// <summary>What an order with a code no published table knows gets: refused (422, the default) or kept in quarantine until a version covers it.</summary>
public enum UnknownCodePolicy
{
    Reject,
    Quarantine,
}

/// <summary>A business unit of a routing definition: its number of second queues (fixed once the unit exists).</summary>
public sealed record UnitDefinition(int Queues);

/// <summary>An identification code of a routing definition: the units it selects, what processing it does to stock, and what it is.</summary>
public sealed record CodeDefinition(IReadOnlyList<string> Units, StockEffect StockEffect = StockEffect.None, string? Description = null);

/// <summary>One field of a routing definition that cannot be taken, and why: <c>codes.B2C.units[1]</c>, "names unit 'crm', which is not under units".</summary>
public sealed record RoutingFieldError(string Field, string Reason);

/// <summary>
/// A routing table as people edit it (the shape of <c>hocon/routing.hocon</c> and of the admin API's draft): the units
/// with their queue counts, each code with its units, stock effect and description, and what an unknown code gets.
/// <see cref="Validate"/> says field by field what is wrong; <see cref="ToTable"/> makes the matcher of a valid one.
/// </summary>
public sealed record RoutingDefinition(
    IReadOnlyDictionary<string, UnitDefinition> Units,
    IReadOnlyDictionary<string, CodeDefinition> Codes,
    UnknownCodePolicy UnknownCode = UnknownCodePolicy.Reject)
{
    /// <summary>
    /// What keeps this definition from being published over <paramref name="live"/> (null: none published yet), field
    /// by field, in field order: a unit name that cannot be an entity id, a unit without queues or whose queue count
    /// differs from the live one (its queues hold orders: their number is fixed), an empty code, a code without units
    /// or naming a unit not in the definition, a new unit no code selects (a unit of the live table may keep none: it
    /// takes no new orders while its queues drain, before a later version retires it). Empty: it can be published.
    /// </summary>
    public IReadOnlyList<RoutingFieldError> Validate(RoutingDefinition? live = null)
    {
        var errors = new List<RoutingFieldError>();
        if (Units.Count == 0) errors.Add(new("units", "a routing table needs at least one unit"));
        foreach (var (name, unit) in Units.OrderBy(u => u.Key, StringComparer.Ordinal))
        {
            var field = $"units.{name}";
            if (UnitNameProblem(name) is { } problem) errors.Add(new(field, problem));
            if (unit.Queues is < 1 or > MaxQueues) errors.Add(new($"{field}.queues", $"must be 1–{MaxQueues} (got {unit.Queues})"));
            else if (live?.Units.GetValueOrDefault(name) is { } was && was.Queues != unit.Queues)
                errors.Add(new($"{field}.queues", $"is {was.Queues} in the live table: a unit's queue count cannot change (its queues hold orders); add a unit instead"));
            if ((live is null || !live.Units.ContainsKey(name)) && !Codes.Values.Any(c => c.Units.Contains(name, StringComparer.Ordinal)))
                errors.Add(new(field, "no code selects this unit"));
        }
        foreach (var (code, entry) in Codes.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            var field = $"codes.{code}";
            if (string.IsNullOrWhiteSpace(code) || code.Length > MaxCodeLength || code.Any(char.IsControl))
                errors.Add(new(field, $"a code must be 1–{MaxCodeLength} characters, not blank, without control characters"));
            if (entry.Units.Count == 0) errors.Add(new($"{field}.units", "a code needs at least one unit"));
            for (var i = 0; i < entry.Units.Count; i++)
            {
                var unit = entry.Units[i];
                if (!Units.ContainsKey(unit)) errors.Add(new($"{field}.units[{i}]", $"names unit '{unit}', which is not under units"));
                else if (entry.Units.Take(i).Contains(unit, StringComparer.Ordinal)) errors.Add(new($"{field}.units[{i}]", $"names unit '{unit}' twice"));
            }
            if (entry.Description is { Length: > MaxDescriptionLength })
                errors.Add(new($"{field}.description", $"must be at most {MaxDescriptionLength} characters"));
        }
        return errors;
    }

    /// <summary>The matcher of this definition as version <paramref name="version"/>; throws when <see cref="Validate"/> finds a problem.</summary>
    public RoutingTable ToTable(int version)
    {
        // as a table that exists: a unit draining before it is retired selects no code
        if (Validate(live: this) is [var first, ..] errors)
            throw new ArgumentException($"{first.Field}: {first.Reason}" + (errors.Count > 1 ? $" (and {errors.Count - 1} more)" : ""));
        return new RoutingTable(version, Units.OrderBy(u => u.Key, StringComparer.Ordinal)
            .Select(u => new BusinessUnit(u.Key,
                Codes.Where(c => c.Value.Units.Contains(u.Key, StringComparer.Ordinal)).Select(c => c.Key).Order(StringComparer.Ordinal).ToList(),
                u.Value.Queues))
            .ToList());
    }

    /// <summary>The stock effect of every code.</summary>
    public StockEffects StockEffects() => new(Codes.ToDictionary(c => c.Key, c => c.Value.StockEffect, StringComparer.Ordinal));

    /// <summary>The policy as <see cref="TryParsePolicy"/> reads it: <c>reject</c>, <c>quarantine</c>.</summary>
    public static string PolicyName(UnknownCodePolicy policy) => policy.ToString().ToLowerInvariant();

    public static bool TryParsePolicy(string? text, out UnknownCodePolicy policy) =>
        Enum.TryParse(text, ignoreCase: true, out policy) && Enum.IsDefined(policy);

    public const int MaxQueues = 1024;
    public const int MaxCodeLength = 64;
    public const int MaxDescriptionLength = 500;

    /// <summary>Why <paramref name="name"/> cannot name a unit (its queues are entities <c>name-k</c>), or null.</summary>
    public static string? UnitNameProblem(string name) =>
        name.Length is 0 or > 32 || !name.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_') || !char.IsAsciiLetterLower(name[0])
            ? "a unit name is 1–32 characters: lowercase letters, digits and '_', starting with a letter"
            : null;
}
