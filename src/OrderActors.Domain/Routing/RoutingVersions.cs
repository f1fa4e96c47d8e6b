namespace OrderActors.Domain.Routing;

/// <summary>A published routing table: its version, its definition, who published it (the key's name), when, and why.</summary>
public sealed record PublishedVersion(int Version, RoutingDefinition Definition, string PublishedBy, DateTimeOffset At, string? Note);

/// <summary>The outcome of a publish: the new version, or why there is none.</summary>
public enum PublishVerdict
{
    Published,
    /// <summary>The caller's expected version is not the live one (someone published meanwhile): 409.</summary>
    Stale,
    /// <summary>There is no draft to publish.</summary>
    NoDraft,
    /// <summary>The draft does not validate against the live table (its errors say where): 400.</summary>
    Invalid,
    /// <summary>The draft is the live table: nothing to publish.</summary>
    Unchanged,
}

/// <summary>
/// The routing tables of the cluster, as a state machine without actors: the draft being edited and every published
/// version, kept for ever. Version 1 is the table in <c>hocon/routing.hocon</c>, live only until a first version is
/// published. Decisions (<see cref="Publish"/>) do not change the state; the state changes by applying what was stored
/// (<see cref="SetDraft"/>, <see cref="Apply"/>), so a recovery replays the same steps.
/// </summary>
public sealed class RoutingVersions(RoutingDefinition configured)
{
    public const string ConfiguredBy = "hocon/routing.hocon";

    private readonly List<PublishedVersion> _published = new();

    /// <summary>The configured table, as version 1.</summary>
    public PublishedVersion Configured { get; } = new(1, configured, ConfiguredBy, DateTimeOffset.MinValue, null);

    /// <summary>The draft being edited (null: none since the last publish).</summary>
    public RoutingDefinition? Draft { get; private set; }

    /// <summary>
    /// Every version, oldest first: the configured one (as stored with the first publish, or as configured on this node
    /// while none was published), then each published one.
    /// </summary>
    public IReadOnlyList<PublishedVersion> Versions => _published is [{ Version: 1 }, ..] ? _published : [Configured, .. _published];

    /// <summary>What was stored: the published versions (with version 1 once a first publish froze it).</summary>
    public IReadOnlyList<PublishedVersion> Stored => _published;

    /// <summary>The version in effect for new orders: the latest published, or the configured one.</summary>
    public PublishedVersion Live => _published.Count > 0 ? _published[^1] : Configured;

    public PublishedVersion? Find(int version) => Versions.FirstOrDefault(v => v.Version == version);

    /// <summary>What a first publish stores before its version: the configured table as version 1, so every node reads the same one from then on.</summary>
    public PublishedVersion? ConfiguredToFreeze => _published.Count == 0 ? Configured : null;

    /// <summary>What keeps <paramref name="draft"/> from becoming a version over the live table (empty: nothing).</summary>
    public IReadOnlyList<RoutingFieldError> Check(RoutingDefinition draft) =>
        draft.UnknownCode == UnknownCodePolicy.Quarantine ? [.. draft.Validate(Live.Definition), QuarantineNotOffered] : draft.Validate(Live.Definition);

    /// <summary>Quarantine is part of the table's shape, and not offered yet: a table that asks for it is refused rather than quietly rejecting.</summary>
    public static readonly RoutingFieldError QuarantineNotOffered =
        new("unknownCode", "quarantine is not offered yet: an order with a code no unit takes is refused with 422 (use \"reject\")");

    public void SetDraft(RoutingDefinition draft) => Draft = draft;

    /// <summary>
    /// Decides a publish of the draft, expected over version <paramref name="expectedVersion"/>: the version to store,
    /// or why not (with the draft's errors when it is invalid). Changes nothing.
    /// </summary>
    public (PublishVerdict Verdict, PublishedVersion? Version, IReadOnlyList<RoutingFieldError> Errors) Publish(
        int expectedVersion, string publishedBy, DateTimeOffset at, string? note)
    {
        if (expectedVersion != Live.Version) return (PublishVerdict.Stale, null, []);
        if (Draft is not { } draft) return (PublishVerdict.NoDraft, null, []);
        if (Check(draft) is { Count: > 0 } errors) return (PublishVerdict.Invalid, null, errors);
        if (RoutingDiff.Between(Live.Definition, draft).IsEmpty) return (PublishVerdict.Unchanged, null, []);
        return (PublishVerdict.Published, new PublishedVersion(Live.Version + 1, draft, publishedBy, at, note), []);
    }

    /// <summary>Applies a stored version: it becomes live and the draft is done with (version 1: the configured table, frozen).</summary>
    public void Apply(PublishedVersion version)
    {
        if (version.Version == 1 && _published.Count == 0)
        {
            _published.Add(version);
            return;
        }
        if (version.Version != Live.Version + 1)
            throw new InvalidOperationException($"version {version.Version} does not follow {Live.Version}");
        _published.Add(version);
        Draft = null;
    }
}
