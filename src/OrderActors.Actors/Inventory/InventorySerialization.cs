using System.Text.Json.Serialization;
using OrderActors.Actors.Serialization;
using static OrderActors.Actors.Inventory.InventoryProtocol;

namespace OrderActors.Actors.Inventory;

/// <summary>The serializer rows of the inventory partitions' messages, events and snapshots (v2: one entity per partition of SKUs; v1 had one per SKU).</summary>
public static class InventorySerialization
{
    private static readonly InventoryJsonContext Json = InventoryJsonContext.Default;

    public static readonly SerializationRows Rows = SerializationRows.Of(
        new JsonRow(typeof(ApplyStockMoves), "vms2", Json.ApplyStockMoves),
        new JsonRow(typeof(StockMovesApplied), "vma2", Json.StockMovesApplied),
        new JsonRow(typeof(GetTally), "vg2", Json.GetTally),
        new JsonRow(typeof(GetTallies), "vgs2", Json.GetTallies),
        new JsonRow(typeof(Tallies), "vts2", Json.Tallies),
        new JsonRow(typeof(RecordReceipt), "vr2", Json.RecordReceipt),
        new JsonRow(typeof(RecordCount), "vc2", Json.RecordCount),
        new JsonRow(typeof(TallyState), "vs2", Json.TallyState),
        new JsonRow(typeof(StockMoved), "vsm2", Json.StockMoved),
        new JsonRow(typeof(ReceiptRecorded), "vrr2", Json.ReceiptRecorded),
        new JsonRow(typeof(StockCounted), "vsc2", Json.StockCounted),
        new JsonRow(typeof(InventorySnapshot), "vsn2", Json.InventorySnapshot));
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, UseStringEnumConverter = true)]
[JsonSerializable(typeof(ApplyStockMoves))]
[JsonSerializable(typeof(StockMovesApplied))]
[JsonSerializable(typeof(GetTally))]
[JsonSerializable(typeof(GetTallies))]
[JsonSerializable(typeof(Tallies))]
[JsonSerializable(typeof(RecordReceipt))]
[JsonSerializable(typeof(RecordCount))]
[JsonSerializable(typeof(TallyState))]
[JsonSerializable(typeof(StockMoved))]
[JsonSerializable(typeof(ReceiptRecorded))]
[JsonSerializable(typeof(StockCounted))]
[JsonSerializable(typeof(InventorySnapshot))]
internal sealed partial class InventoryJsonContext : JsonSerializerContext;
