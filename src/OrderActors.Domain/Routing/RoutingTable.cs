namespace OrderActors.Domain.Routing;

/// <summary>A business unit (ERP, WMS, ...), the identification codes preset for it, and its number of second queues.</summary>
public sealed record BusinessUnit(string Name, IReadOnlyList<string> Codes, int Queues);

/// <summary>One second queue: queue <paramref name="Queue"/> of unit <paramref name="Unit"/>.</summary>
public sealed record UnitQueueAddress(string Unit, int Queue)
{
    /// <summary>The sharded entity id of this queue, e.g. <c>erp-2</c>.</summary>
    public string EntityId => $"{Unit}-{Queue}";

    /// <summary>The journal's key of this queue's events, e.g. <c>unit-erp-2</c>.</summary>
    public string PersistenceId => "unit-" + EntityId;

    /// <summary>The queue of an entity id; throws when it is not one.</summary>
    public static UnitQueueAddress Parse(string entityId) =>
        TryParse(entityId, out var address) ? address : throw new ArgumentException($"'{entityId}' is not a unit queue id (unit-queue, e.g. erp-2)", nameof(entityId));

    public override string ToString() => EntityId;

    public static bool TryParse(string entityId, out UnitQueueAddress address)
    {
        address = null!;
        var dash = entityId.LastIndexOf('-');
        if (dash <= 0 || !int.TryParse(entityId.AsSpan(dash + 1), out var queue) || queue < 0)
            return false;
        address = new UnitQueueAddress(entityId[..dash], queue);
        return true;
    }
}

/// <summary>
/// The routing table: which units take which codes (patent claim 3). Matching is a pure function:
/// a code selects every unit whose preset codes contain it (claim 4, fan-out), and within each selected
/// unit the second queue that corresponds to the first queue: <c>firstQueue mod unit.Queues</c>.
/// </summary>
public sealed class RoutingTable
{
    private readonly Dictionary<string, BusinessUnit[]> _unitsByCode;

    public RoutingTable(int version, IReadOnlyList<BusinessUnit> units)
    {
        if (units.Count == 0) throw new ArgumentException("the routing table needs at least one business unit", nameof(units));
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var unit in units)
        {
            if (string.IsNullOrWhiteSpace(unit.Name) || unit.Name.Contains('-') || unit.Name.Contains('/'))
                throw new ArgumentException($"unit name '{unit.Name}' must be non-empty and contain no '-' or '/'");
            if (!seen.Add(unit.Name)) throw new ArgumentException($"unit '{unit.Name}' is listed twice");
            if (unit.Queues < 1) throw new ArgumentException($"unit '{unit.Name}' needs at least one queue (got {unit.Queues})");
        }

        Version = version;
        Units = units;
        _unitsByCode = units
            .SelectMany(u => u.Codes.Select(c => (code: c, unit: u)))
            .GroupBy(x => x.code, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(x => x.unit).ToArray(), StringComparer.Ordinal);
        KnownCodes = new HashSet<string>(_unitsByCode.Keys, StringComparer.Ordinal);
    }

    public int Version { get; }
    public IReadOnlyList<BusinessUnit> Units { get; }
    public IReadOnlySet<string> KnownCodes { get; }

    public BusinessUnit? FindUnit(string name) => Units.FirstOrDefault(u => u.Name == name);

    /// <summary>The units whose preset codes contain <paramref name="code"/>, in table order.</summary>
    public IReadOnlyList<BusinessUnit> Match(string code) =>
        _unitsByCode.TryGetValue(code, out var units) ? units : Array.Empty<BusinessUnit>();

    /// <summary>The second queues an order with <paramref name="code"/> from first queue <paramref name="firstQueue"/> goes to.</summary>
    public IReadOnlyList<UnitQueueAddress> Route(string code, int firstQueue)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(firstQueue);
        var units = Match(code);
        var result = new UnitQueueAddress[units.Count];
        for (var i = 0; i < units.Count; i++)
            result[i] = new UnitQueueAddress(units[i].Name, firstQueue % units[i].Queues);
        return result;
    }

    /// <summary>Every second queue of every unit: the entities a node keeps awake.</summary>
    public IEnumerable<UnitQueueAddress> AllQueues() =>
        Units.SelectMany(u => Enumerable.Range(0, u.Queues).Select(q => new UnitQueueAddress(u.Name, q)));
}
