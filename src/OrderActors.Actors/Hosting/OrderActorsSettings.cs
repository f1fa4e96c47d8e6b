using Akka.Configuration;
using OrderActors.Actors.Units;
using OrderActors.Domain.Inventory;
using OrderActors.Domain.Routing;

namespace OrderActors.Actors.Hosting;

/// <summary>The tunables of the order pipeline, read from the <c>orderactors</c> HOCON section.</summary>
public sealed record OrderActorsSettings(
    int IngestQueues,
    TimeSpan BatchWindow,
    int BatchMaxOrders,
    int DeliveryBatchMax,
    TimeSpan DeliveryTimeout,
    TimeSpan WakeInterval,
    TimeSpan AskTimeout,
    RoutingTable Routing,
    StockEffects StockEffects,
    string StockUnit,
    TimeSpan CatalogSyncInterval,
    int InventoryPartitions = 8,
    int MaxPending = 10_000,
    string IngestJournalPlugin = "",
    string IngestSnapshotPlugin = "",
    int UnitMaxBacklog = UnitQueueActor.DefaultMaxBacklog)
{
    public static OrderActorsSettings FromConfig(Config config)
    {
        var section = config.GetConfig("orderactors") ?? throw new ConfigurationException("missing the 'orderactors' HOCON section");
        var settings = new OrderActorsSettings(
            IngestQueues: section.GetInt("ingest.queues", 4),
            BatchWindow: section.GetTimeSpan("ingest.batch-window", TimeSpan.Zero),
            BatchMaxOrders: section.GetInt("ingest.batch-max-orders", 500),
            DeliveryBatchMax: section.GetInt("ingest.delivery-batch-max", 1000),
            DeliveryTimeout: section.GetTimeSpan("ingest.delivery-timeout", TimeSpan.FromSeconds(5)),
            WakeInterval: section.GetTimeSpan("wake-interval", TimeSpan.FromSeconds(10)),
            AskTimeout: section.GetTimeSpan("ask-timeout", TimeSpan.FromSeconds(10)),
            Routing: RoutingConfig.Parse(section.GetConfig("routing")),
            StockEffects: RoutingConfig.ParseStockEffects(section.GetConfig("routing")),
            StockUnit: section.GetString("inventory.stock-unit", "wms"),
            CatalogSyncInterval: section.GetTimeSpan("catalog.sync-interval", TimeSpan.FromSeconds(2)),
            InventoryPartitions: section.GetInt("inventory.partitions", 8),
            MaxPending: section.GetInt("ingest.max-pending", 10_000),
            IngestJournalPlugin: section.GetString("ingest.journal-plugin", ""),
            IngestSnapshotPlugin: section.GetString("ingest.snapshot-plugin", ""),
            UnitMaxBacklog: section.GetInt("units.max-backlog", UnitQueueActor.DefaultMaxBacklog));
        settings.Validate();
        return settings;
    }

    public void Validate()
    {
        if (IngestQueues < 1) throw new ConfigurationException($"orderactors.ingest.queues must be at least 1 (got {IngestQueues})");
        if (BatchWindow < TimeSpan.Zero) throw new ConfigurationException("orderactors.ingest.batch-window must be zero (adaptive) or positive");
        if (BatchMaxOrders < 1) throw new ConfigurationException("orderactors.ingest.batch-max-orders must be at least 1");
        if (DeliveryBatchMax < 1) throw new ConfigurationException("orderactors.ingest.delivery-batch-max must be at least 1");
        if (MaxPending < BatchMaxOrders)
            throw new ConfigurationException($"orderactors.ingest.max-pending ({MaxPending}) must be at least batch-max-orders ({BatchMaxOrders})");
        if (UnitMaxBacklog < 1) throw new ConfigurationException($"orderactors.units.max-backlog must be at least 1 (got {UnitMaxBacklog})");
        if (InventoryPartitions < 1) throw new ConfigurationException("orderactors.inventory.partitions must be at least 1");
        if (Routing.FindUnit(StockUnit) is null)
            throw new ConfigurationException($"orderactors.inventory.stock-unit '{StockUnit}' is not a unit of the routing table");
    }
}

/// <summary>Reads the routing table from HOCON: codes, each with the units it selects.</summary>
public static class RoutingConfig
{
    public static RoutingTable Parse(Config? routing)
    {
        if (routing is null) throw new ConfigurationException("missing the 'orderactors.routing' HOCON section");
        var unitsSection = routing.GetConfig("units") ?? throw new ConfigurationException("orderactors.routing.units is missing");
        var codesSection = routing.GetConfig("codes") ?? throw new ConfigurationException("orderactors.routing.codes is missing");

        var unitNames = unitsSection.AsEnumerable().Select(kv => kv.Key.Split('.')[0]).Distinct().Order(StringComparer.Ordinal).ToList();
        var codeNames = codesSection.AsEnumerable().Select(kv => kv.Key.Split('.')[0]).Distinct().Order(StringComparer.Ordinal).ToList();

        var codesByUnit = unitNames.ToDictionary(u => u, _ => new List<string>());
        foreach (var code in codeNames)
        {
            foreach (var unit in codesSection.GetStringList($"{code}.units"))
            {
                if (!codesByUnit.TryGetValue(unit, out var list))
                    throw new ConfigurationException($"routing code '{code}' names unit '{unit}', which is not under orderactors.routing.units");
                list.Add(code);
            }
        }

        var units = unitNames
            .Select(u => new BusinessUnit(u, codesByUnit[u], unitsSection.GetInt($"{u}.queues", 4)))
            .ToList();
        return new RoutingTable(routing.GetInt("version", 1), units);
    }

    /// <summary>The <c>stock-effect</c> beside each code (ship, restock or none; none when absent).</summary>
    public static StockEffects ParseStockEffects(Config? routing)
    {
        var codesSection = routing?.GetConfig("codes") ?? throw new ConfigurationException("orderactors.routing.codes is missing");
        var codes = codesSection.AsEnumerable().Select(kv => kv.Key.Split('.')[0]).Distinct(StringComparer.Ordinal);
        try
        {
            return new StockEffects(codes.ToDictionary(c => c, c => StockEffects.Parse(codesSection.GetString($"{c}.stock-effect", "none")),
                StringComparer.Ordinal));
        }
        catch (ArgumentException e)
        {
            throw new ConfigurationException($"orderactors.routing.codes: {e.Message}");
        }
    }
}
