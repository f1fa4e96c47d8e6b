using OrderActors.Domain.Inventory;
using OrderActors.Domain.Routing;

namespace OrderActors.Tests.Domain;

public class RoutingDefinitionTests
{
    internal static RoutingDefinition Table(params (string Code, string[] Units)[] codes) => new(
        codes.SelectMany(c => c.Units).Distinct().ToDictionary(u => u, _ => new UnitDefinition(4)),
        codes.ToDictionary(c => c.Code, c => new CodeDefinition(c.Units, StockEffect.None, null)));

    internal static readonly RoutingDefinition Live = Table(("B2C", ["erp", "wms"]), ("PRESALE", ["erp"]), ("TRANSFER", ["wms"]));

    [Fact]
    public void A_valid_definition_has_no_errors_and_makes_the_same_matcher_as_the_configured_table()
    {
        Assert.Empty(Live.Validate());
        var table = Live.ToTable(3);
        Assert.Equal(3, table.Version);
        Assert.Equal(["erp", "wms"], table.Match("B2C").Select(u => u.Name));
        Assert.Equal([new UnitQueueAddress("wms", 2)], table.Route("TRANSFER", 6));
        Assert.Empty(table.Match("NEW"));
    }

    [Fact]
    public void Each_problem_is_named_by_its_field_with_its_reason()
    {
        var draft = new RoutingDefinition(
            new Dictionary<string, UnitDefinition> { ["erp"] = new(8), ["wms"] = new(4), ["CRM-1"] = new(0), ["idle"] = new(2) },
            new Dictionary<string, CodeDefinition>
            {
                ["B2C"] = new(["erp", "crm", "erp"]),
                [" "] = new(["wms"]),
                ["VOID"] = new([]),
                ["LONG"] = new(["wms"], StockEffect.Ship, new string('x', 501)),
            });

        var errors = draft.Validate(Live).Select(e => (e.Field, e.Reason)).ToList();

        Assert.Contains(errors, e => e.Field == "units.CRM-1" && e.Reason.Contains("lowercase"));
        Assert.Contains(errors, e => e.Field == "units.CRM-1.queues" && e.Reason.Contains("got 0"));
        Assert.Contains(errors, e => e.Field == "units.erp.queues" && e.Reason.Contains("is 4 in the live table"));
        Assert.Contains(errors, e => e.Field == "units.idle" && e.Reason == "no code selects this unit");
        Assert.Contains(errors, e => e.Field == "codes.B2C.units[1]" && e.Reason.Contains("'crm', which is not under units"));
        Assert.Contains(errors, e => e.Field == "codes.B2C.units[2]" && e.Reason.Contains("twice"));
        Assert.Contains(errors, e => e.Field == "codes. " && e.Reason.Contains("not blank"));
        Assert.Contains(errors, e => e.Field == "codes.VOID.units" && e.Reason.Contains("at least one unit"));
        Assert.Contains(errors, e => e.Field == "codes.LONG.description");
        Assert.Equal(10, errors.Count);
        Assert.Throws<ArgumentException>(() => draft.ToTable(2));
    }

    [Fact]
    public void A_draft_asking_for_quarantine_is_refused_while_quarantine_is_not_offered()
    {
        var versions = new RoutingVersions(Live);
        Assert.Equal([RoutingVersions.QuarantineNotOffered], versions.Check(Live with { UnknownCode = UnknownCodePolicy.Quarantine }));
        Assert.Empty(versions.Check(Live with { Codes = new Dictionary<string, CodeDefinition>(Live.Codes) { ["NEW"] = new(["erp"]) } }));
    }

    [Fact]
    public void A_unit_of_the_live_table_may_keep_no_code_while_it_drains_and_a_new_one_may_not()
    {
        var draining = Live with
        {
            Codes = new Dictionary<string, CodeDefinition> { ["B2C"] = new(["wms"]), ["PRESALE"] = new(["wms"]), ["TRANSFER"] = new(["wms"]) },
        };

        Assert.Empty(draining.Validate(Live));
        Assert.DoesNotContain(draining.ToTable(2).Match("PRESALE"), u => u.Name == "erp");
        Assert.Equal(["erp", "wms"], draining.ToTable(2).Units.Select(u => u.Name)); // its queues stay
        Assert.Contains(draining.Validate(), e => e.Field == "units.erp"); // as a new table (hocon), a unit without codes is a mistake
    }

    [Fact]
    public void A_diff_lists_units_and_codes_added_removed_and_moved_and_changed_stock_effects()
    {
        var next = new RoutingDefinition(
            new Dictionary<string, UnitDefinition> { ["erp"] = new(4), ["wms"] = new(4), ["crm"] = new(4) },
            new Dictionary<string, CodeDefinition>
            {
                ["B2C"] = new(["wms", "erp"], StockEffect.Ship),
                ["PRESALE"] = new(["crm"]),
                ["WEB"] = new(["erp", "crm"]),
            },
            UnknownCodePolicy.Quarantine);

        var diff = RoutingDiff.Between(Live, next);

        Assert.Equal(["crm"], diff.UnitsAdded);
        Assert.Empty(diff.UnitsRemoved);
        Assert.Equal(["WEB"], diff.CodesAdded);
        Assert.Equal(["TRANSFER"], diff.CodesRemoved);
        var moved = Assert.Single(diff.CodesMoved);
        Assert.Equal("PRESALE", moved.Code);
        Assert.Equal(["erp"], moved.From);
        Assert.Equal(["crm"], moved.To);
        Assert.Equal([new ChangedStockEffect("B2C", StockEffect.None, StockEffect.Ship)], diff.StockEffectsChanged);
        Assert.Equal((UnknownCodePolicy.Reject, UnknownCodePolicy.Quarantine), diff.UnknownCodeChanged);
        Assert.True(RoutingDiff.Between(Live, Live).IsEmpty);
        Assert.Equal(["TRANSFER"], RoutingDiff.Between(next, Live).CodesAdded);
    }
}

public class RoutingVersionsTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 7, 22, 0, 0, TimeSpan.Zero);

    [Fact]
    public void The_configured_table_is_version_1_until_a_draft_is_published_over_it()
    {
        var versions = new RoutingVersions(RoutingDefinitionTests.Live);
        Assert.Equal((1, RoutingVersions.ConfiguredBy), (versions.Live.Version, versions.Live.PublishedBy));
        Assert.Equal(PublishVerdict.NoDraft, versions.Publish(1, "ops", At, null).Verdict);

        var next = RoutingDefinitionTests.Table(("B2C", ["erp", "wms"]), ("PRESALE", ["erp"]), ("TRANSFER", ["wms"]), ("WEB", ["erp"]));
        versions.SetDraft(next);
        Assert.Equal(PublishVerdict.Stale, versions.Publish(2, "ops", At, null).Verdict);
        var (verdict, version, errors) = versions.Publish(1, "ops", At, "web shop");
        Assert.Equal(PublishVerdict.Published, verdict);
        Assert.Empty(errors);
        Assert.Equal(1, versions.Live.Version); // deciding changes nothing

        versions.Apply(version!);
        Assert.Equal(new PublishedVersion(2, next, "ops", At, "web shop"), versions.Live);
        Assert.Null(versions.Draft);
        Assert.Equal([1, 2], versions.Versions.Select(v => v.Version));
        Assert.Same(RoutingDefinitionTests.Live, versions.Find(1)!.Definition);
        Assert.Null(versions.Find(3));
        Assert.Throws<InvalidOperationException>(() => versions.Apply(version!));
    }

    [Fact]
    public void An_invalid_or_unchanged_draft_is_not_published()
    {
        var versions = new RoutingVersions(RoutingDefinitionTests.Live);
        versions.SetDraft(RoutingDefinitionTests.Live);
        Assert.Equal(PublishVerdict.Unchanged, versions.Publish(1, "ops", At, null).Verdict);

        versions.SetDraft(RoutingDefinitionTests.Table(("B2C", ["erp", "nowhere"])) with
        {
            Units = new Dictionary<string, UnitDefinition> { ["erp"] = new(2) },
        });
        var (verdict, version, errors) = versions.Publish(1, "ops", At, null);
        Assert.Equal((PublishVerdict.Invalid, (PublishedVersion?)null), (verdict, version));
        Assert.Equal(["codes.B2C.units[1]", "units.erp.queues"], errors.Select(e => e.Field).Order());
    }
}

public class RoutingCutsTests
{
    [Fact]
    public void An_order_is_routed_by_the_version_of_the_last_cut_at_or_before_it_and_a_hand_off_stops_at_the_next_cut()
    {
        var cuts = new RoutingCuts();
        Assert.Equal((1, 1), (cuts.VersionAt(500), cuts.Latest));
        cuts.Add(new RoutingCut(101, 2));
        cuts.Add(new RoutingCut(250, 4));

        Assert.Equal([1, 2, 2, 4, 4], new long[] { 100, 101, 249, 250, 10_000 }.Select(cuts.VersionAt));
        Assert.Equal(4, cuts.Latest);
        Assert.Equal(1, cuts.SameVersionRun(100, 50));   // 100 alone, then version 2
        Assert.Equal(50, cuts.SameVersionRun(101, 50));
        Assert.Equal(49, cuts.SameVersionRun(201, 100)); // 201..249
        Assert.Equal(100, cuts.SameVersionRun(250, 100));
        Assert.Throws<InvalidOperationException>(() => cuts.Add(new RoutingCut(249, 5)));
        Assert.Throws<InvalidOperationException>(() => cuts.Add(new RoutingCut(300, 4)));
    }

    [Fact]
    public void A_cut_at_the_offset_of_the_last_one_replaces_it_when_no_order_came_between_them()
    {
        var cuts = new RoutingCuts();
        cuts.Add(new RoutingCut(101, 2));
        cuts.Add(new RoutingCut(101, 3)); // two publishes with no order between them

        Assert.Equal([new RoutingCut(101, 3)], cuts.All);
        Assert.Equal([1, 3], new long[] { 100, 101 }.Select(cuts.VersionAt));
        Assert.Equal(2, RoutingCuts.VersionAt([new RoutingCut(5, 2)], 9));
    }
}
