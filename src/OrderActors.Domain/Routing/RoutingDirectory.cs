using OrderActors.Domain.Inventory;

namespace OrderActors.Domain.Routing;

/// <summary>
/// This node's copy of every routing version and its matcher, read by the intake, the router and the queries with no
/// network hop; the routing replica (and a router missing a version) replaces it whole from the routing
/// tables entity. Versions are numbered 1, 2, … with no gap and never change once published, so a version found here
/// is the cluster's. Until this node hears from the entity it has the configured table as version 1.
/// </summary>
public sealed class RoutingDirectory
{
    private sealed record Known(IReadOnlyList<PublishedVersion> Versions, IReadOnlyList<RoutingTable> Tables)
    {
        public IReadOnlyList<StockEffects> Effects { get; } = Versions.Select(v => v.Definition.StockEffects()).ToList();

        public IReadOnlyList<BusinessUnit> Units { get; } =
            Tables.SelectMany(t => t.Units).GroupBy(u => u.Name, StringComparer.Ordinal).Select(g => g.Last()).OrderBy(u => u.Name, StringComparer.Ordinal).ToList();
    }

    private Known _known;

    /// <param name="configured">the table in <c>hocon/routing.hocon</c>, version 1 until this node hears otherwise</param>
    public RoutingDirectory(RoutingDefinition configured)
    {
        var version = new RoutingVersions(configured).Configured;
        _known = new Known([version], [configured.ToTable(1)]);
    }

    /// <summary>Every version this node knows, oldest first (the last is live).</summary>
    public IReadOnlyList<PublishedVersion> Versions => Volatile.Read(ref _known).Versions;

    /// <summary>The version new orders are routed by, as far as this node knows.</summary>
    public PublishedVersion LiveVersion => Volatile.Read(ref _known).Versions[^1];

    /// <summary>The matcher of the live version.</summary>
    public RoutingTable Live => Volatile.Read(ref _known).Tables[^1];

    /// <summary>The matcher of <paramref name="version"/>, or null when this node does not know it (yet).</summary>
    public RoutingTable? Table(int version)
    {
        var tables = Volatile.Read(ref _known).Tables;
        return version >= 1 && version <= tables.Count ? tables[version - 1] : null;
    }

    /// <summary>
    /// What processing an order of each code does to stock under <paramref name="version"/>; the live version's when this
    /// node does not know that one yet (a stock effect rarely changes, and the version is seconds old at most).
    /// </summary>
    public StockEffects StockEffectsOf(int version)
    {
        var effects = Volatile.Read(ref _known).Effects;
        return version >= 1 && version <= effects.Count ? effects[version - 1] : effects[^1];
    }

    /// <summary>The unit <paramref name="name"/> as the latest version that has it defines it (queue counts never change), or null.</summary>
    public BusinessUnit? FindUnit(string name) => Units.FirstOrDefault(u => u.Name == name);

    /// <summary>
    /// Every unit of any version, in name order, each with its codes in the latest version that has it (a unit removed
    /// from the live table still holds its queues' orders, and its feed is still read).
    /// </summary>
    public IReadOnlyList<BusinessUnit> Units => Volatile.Read(ref _known).Units;

    /// <summary>Every second queue of every unit of any version.</summary>
    public IEnumerable<UnitQueueAddress> AllQueues() =>
        Units.SelectMany(u => Enumerable.Range(0, u.Queues).Select(q => new UnitQueueAddress(u.Name, q)));

    /// <summary>
    /// Takes the versions the routing tables entity holds (<paramref name="stored"/>: oldest first; while none was
    /// published, version 1 as the entity's node has it configured). True when this changed what the node knows: an answer
    /// older than what it has changes nothing.
    /// </summary>
    public bool Update(IReadOnlyList<PublishedVersion> stored)
    {
        while (true)
        {
            var known = Volatile.Read(ref _known);
            if (stored.Count == 0 || stored.Count < known.Versions.Count) return false;
            if (stored.Count == known.Versions.Count && Same(stored[^1], known.Versions[^1]) && Same(stored[0], known.Versions[0])) return false;
            // version 1 is rebuilt too: the stored one is the table of the node that published first, and routes the same everywhere
            var tables = new RoutingTable[stored.Count];
            for (var i = 0; i < stored.Count; i++)
                tables[i] = i < known.Versions.Count && Same(known.Versions[i], stored[i]) ? known.Tables[i] : stored[i].Definition.ToTable(stored[i].Version);
            // several threads update (the replica, the router, a query, a publish): an older answer never replaces a newer one
            if (Interlocked.CompareExchange(ref _known, new Known(stored.ToList(), tables), known) == known) return true;
        }
    }

    /// <summary>
    /// Whether two copies are the same version: a published version never changes, so its number, time and publisher
    /// name it (a copy read from another node is another object; version 1 as configured has no time, as stored it has).
    /// </summary>
    private static bool Same(PublishedVersion a, PublishedVersion b) => a.Version == b.Version && a.At == b.At && a.PublishedBy == b.PublishedBy;
}
