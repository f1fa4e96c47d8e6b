using System.Text.Json;
using OrderActors.Domain.Inventory;
using OrderActors.Domain.Routing;

namespace OrderActors.Node.Routing;

/// <summary>
/// Reads a routing table in the API's shape (<see cref="RoutingTableBody"/>) strictly: every field it does not know,
/// of a wrong type or with a value out of its set is named, all at once, rather than ignored or defaulted. What it
/// reads is then checked against the live table by the routing tables entity (<see cref="RoutingDefinition.Validate"/>).
/// </summary>
public static class RoutingDraftReader
{
    public static (RoutingDefinition? Draft, IReadOnlyList<RoutingFieldError> Errors) Read(JsonElement root)
    {
        var errors = new List<RoutingFieldError>();
        if (root.ValueKind != JsonValueKind.Object)
            return (null, [new("body", "must be a routing table: {\"units\": {...}, \"codes\": {...}, \"unknownCode\": \"reject\"}")]);

        var units = new Dictionary<string, UnitDefinition>(StringComparer.Ordinal);
        var codes = new Dictionary<string, CodeDefinition>(StringComparer.Ordinal);
        var policy = UnknownCodePolicy.Reject;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in root.EnumerateObject())
        {
            seen.Add(property.Name);
            switch (property.Name)
            {
                case "units":
                    ReadUnits(property.Value, units, errors);
                    break;
                case "codes":
                    ReadCodes(property.Value, codes, errors);
                    break;
                case "unknownCode":
                    if (property.Value.ValueKind != JsonValueKind.String || !RoutingDefinition.TryParsePolicy(property.Value.GetString(), out policy))
                        errors.Add(new("unknownCode", "must be \"reject\" or \"quarantine\""));
                    break;
                default:
                    errors.Add(new(property.Name, "is not a field of a routing table (units, codes, unknownCode)"));
                    break;
            }
        }
        if (!seen.Contains("units")) errors.Add(new("units", "is required: {\"erp\": {\"queues\": 4}, ...}"));
        if (!seen.Contains("codes")) errors.Add(new("codes", "is required: {\"B2C\": {\"units\": [\"erp\"]}, ...}"));
        return errors.Count > 0 ? (null, errors) : (new RoutingDefinition(units, codes, policy), errors);
    }

    private static void ReadUnits(JsonElement element, Dictionary<string, UnitDefinition> units, List<RoutingFieldError> errors)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new("units", "must be an object: {\"erp\": {\"queues\": 4}, ...}"));
            return;
        }
        foreach (var unit in element.EnumerateObject())
        {
            var field = $"units.{unit.Name}";
            if (unit.Value.ValueKind != JsonValueKind.Object)
            {
                errors.Add(new(field, "must be an object: {\"queues\": 4}"));
                continue;
            }
            int? queues = null;
            foreach (var p in unit.Value.EnumerateObject())
            {
                if (p.Name != "queues") errors.Add(new($"{field}.{p.Name}", "is not a field of a unit (queues)"));
                else if (p.Value.ValueKind == JsonValueKind.Number && p.Value.TryGetInt32(out var q)) queues = q;
                else errors.Add(new($"{field}.queues", "must be a whole number"));
            }
            if (queues is null && !errors.Any(e => e.Field == $"{field}.queues")) errors.Add(new($"{field}.queues", "is required"));
            units[unit.Name] = new UnitDefinition(queues ?? 0);
        }
    }

    private static void ReadCodes(JsonElement element, Dictionary<string, CodeDefinition> codes, List<RoutingFieldError> errors)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new("codes", "must be an object: {\"B2C\": {\"units\": [\"erp\", \"wms\"], \"stockEffect\": \"ship\"}, ...}"));
            return;
        }
        foreach (var code in element.EnumerateObject())
        {
            var field = $"codes.{code.Name}";
            if (code.Value.ValueKind != JsonValueKind.Object)
            {
                errors.Add(new(field, "must be an object: {\"units\": [\"erp\"], \"stockEffect\": \"none\", \"description\": \"...\"}"));
                continue;
            }
            List<string>? units = null;
            var effect = StockEffect.None;
            string? description = null;
            foreach (var p in code.Value.EnumerateObject())
            {
                switch (p.Name)
                {
                    case "units" when p.Value.ValueKind == JsonValueKind.Array:
                        units = [];
                        var i = 0;
                        foreach (var u in p.Value.EnumerateArray())
                        {
                            if (u.ValueKind == JsonValueKind.String) units.Add(u.GetString()!);
                            else errors.Add(new($"{field}.units[{i}]", "must be a unit's name (a string)"));
                            i++;
                        }
                        break;
                    case "units":
                        errors.Add(new($"{field}.units", "must be an array of unit names"));
                        break;
                    case "stockEffect":
                        try
                        {
                            effect = p.Value.ValueKind == JsonValueKind.String ? StockEffects.Parse(p.Value.GetString()) : throw new ArgumentException("not a string");
                        }
                        catch (ArgumentException)
                        {
                            errors.Add(new($"{field}.stockEffect", "must be \"ship\", \"restock\" or \"none\""));
                        }
                        break;
                    case "description" when p.Value.ValueKind is JsonValueKind.String or JsonValueKind.Null:
                        description = p.Value.GetString();
                        break;
                    case "description":
                        errors.Add(new($"{field}.description", "must be a string"));
                        break;
                    default:
                        errors.Add(new($"{field}.{p.Name}", "is not a field of a code (units, stockEffect, description)"));
                        break;
                }
            }
            if (units is null && !errors.Any(e => e.Field == $"{field}.units")) errors.Add(new($"{field}.units", "is required: the units this code selects"));
            codes[code.Name] = new CodeDefinition(units ?? [], effect, description);
        }
    }
}
