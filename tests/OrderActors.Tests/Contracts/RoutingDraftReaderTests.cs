using OrderActors.Domain.Inventory;
using OrderActors.Domain.Routing;
using OrderActors.Node.Routing;

namespace OrderActors.Tests.Contracts;

public class RoutingDraftReaderTests
{
    private static (RoutingDefinition? Draft, IReadOnlyList<RoutingFieldError> Errors) Read(string json) =>
        RoutingDraftReader.Read(System.Text.Json.JsonDocument.Parse(json).RootElement);

    [Fact]
    public void A_table_in_the_api_shape_is_read_whole()
    {
        var (draft, errors) = Read("""
            {"units": {"erp": {"queues": 4}, "crm": {"queues": 2}},
             "codes": {"B2C": {"units": ["erp", "crm"], "stockEffect": "ship", "description": "sale"}, "GIFT": {"units": ["crm"]}},
             "unknownCode": "quarantine"}
            """);
        Assert.Empty(errors);
        Assert.Equal(2, draft!.Units["crm"].Queues);
        Assert.Equal(new CodeDefinition(["erp", "crm"], StockEffect.Ship, "sale"), draft.Codes["B2C"] with { Units = draft.Codes["B2C"].Units.ToList() },
            new CodeComparer());
        Assert.Equal(StockEffect.None, draft.Codes["GIFT"].StockEffect);
        Assert.Equal(UnknownCodePolicy.Quarantine, draft.UnknownCode);
    }

    [Fact]
    public void Every_field_it_does_not_take_is_named_at_once()
    {
        var (draft, errors) = Read("""
            {"units": {"erp": {"queues": "4"}, "wms": {}, "crm": {"queues": 2, "colour": "red"}},
             "codes": {"B2C": {"units": "erp"}, "X": {"units": ["erp", 7], "stockEffect": "sell", "description": 5}, "Y": {}},
             "unknownCode": "drop", "version": 2}
            """);
        Assert.Null(draft);
        Assert.Equal(
            ["codes.B2C.units", "codes.X.description", "codes.X.stockEffect", "codes.X.units[1]", "codes.Y.units",
             "units.crm.colour", "units.erp.queues", "units.wms.queues", "unknownCode", "version"],
            errors.Select(e => e.Field).Order(StringComparer.Ordinal));
        Assert.Equal("body", Read("[1]").Errors.Single().Field);
        Assert.Equal(["codes", "units"], Read("{}").Errors.Select(e => e.Field).Order(StringComparer.Ordinal));
    }

    private sealed class CodeComparer : IEqualityComparer<CodeDefinition>
    {
        public bool Equals(CodeDefinition? a, CodeDefinition? b) =>
            a!.Units.SequenceEqual(b!.Units) && a.StockEffect == b.StockEffect && a.Description == b.Description;

        public int GetHashCode(CodeDefinition c) => 0;
    }
}
