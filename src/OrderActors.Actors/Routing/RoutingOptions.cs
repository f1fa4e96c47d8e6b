using Akka.Configuration;
using OrderActors.Actors.Configuration;
using OrderActors.Domain.Routing;

namespace OrderActors.Actors.Routing;

/// <summary>
/// The routing table (patent claim 3), read from <c>orderactors.routing</c> (<c>hocon/routing.hocon</c>): the
/// business units with their queue counts, and each code with the units it selects (its stock effect is the
/// inventory's: <c>InventoryOptions.StockEffects</c>).
/// </summary>
public sealed record RoutingOptions(RoutingTable Table)
{
    public static RoutingOptions From(Config config)
    {
        var routing = HoconSection.Of(config, "orderactors.routing");
        var units = routing.Section("units");
        var codes = routing.Section("codes");

        var unitNames = units.Names();
        var codesByUnit = unitNames.ToDictionary(u => u, _ => new List<string>());
        foreach (var code in codes.Names())
        {
            var entry = codes.Section(code);
            foreach (var unit in entry.StringList("units"))
            {
                if (!codesByUnit.TryGetValue(unit, out var list))
                    throw entry.Invalid("units", $"names unit '{unit}', which is not under {units.Path}");
                list.Add(code);
            }
        }

        try
        {
            var table = new RoutingTable(routing.Int("version", 1),
                unitNames.Select(u => new BusinessUnit(u, codesByUnit[u], units.Section(u).Int("queues", 1))).ToList());
            return new RoutingOptions(table);
        }
        catch (ArgumentException e)
        {
            throw new ConfigurationException($"{routing.Path}: {e.Message}");
        }
    }
}
