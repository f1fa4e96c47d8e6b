using Akka.Configuration;
using OrderActors.Actors.Configuration;
using OrderActors.Domain.Inventory;
using OrderActors.Domain.Routing;

namespace OrderActors.Actors.Routing;

/// <summary>
/// The routing table (patent claim 3), read from <c>orderactors.routing</c> (<c>hocon/routing.hocon</c>): the
/// business units with their queue counts, and each code with the units it selects and its stock effect.
/// </summary>
public sealed record RoutingOptions(RoutingTable Table, StockEffects StockEffects)
{
    public static RoutingOptions From(Config config)
    {
        var routing = HoconSection.Of(config, "orderactors.routing");
        var units = routing.Section("units");
        var codes = routing.Section("codes");

        var unitNames = units.Names();
        var codesByUnit = unitNames.ToDictionary(u => u, _ => new List<string>());
        var effects = new Dictionary<string, StockEffect>(StringComparer.Ordinal);
        foreach (var code in codes.Names())
        {
            var entry = codes.Section(code);
            foreach (var unit in entry.StringList("units"))
            {
                if (!codesByUnit.TryGetValue(unit, out var list))
                    throw entry.Invalid("units", $"names unit '{unit}', which is not under {units.Path}");
                list.Add(code);
            }
            try
            {
                effects[code] = StockEffects.Parse(entry.Has("stock-effect") ? entry.String("stock-effect") : "none");
            }
            catch (ArgumentException e)
            {
                throw entry.Invalid("stock-effect", e.Message);
            }
        }

        try
        {
            var table = new RoutingTable(routing.Int("version", 1),
                unitNames.Select(u => new BusinessUnit(u, codesByUnit[u], units.Section(u).Int("queues", 1))).ToList());
            return new RoutingOptions(table, new StockEffects(effects));
        }
        catch (ArgumentException e)
        {
            throw new ConfigurationException($"{routing.Path}: {e.Message}");
        }
    }
}
