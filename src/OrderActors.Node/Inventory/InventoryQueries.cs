using Akka.Actor;
using Akka.Hosting;
using OrderActors.Actors.Catalog;
using OrderActors.Actors.Inventory;
using OrderActors.Domain.Catalog;
using OrderActors.Domain.Inventory;
using OrderActors.Node.Http;

namespace OrderActors.Node.Inventory;

/// <summary>The live stock of products (their tallies in the inventory partitions), receipts and counts, and the replenishment form.</summary>
public sealed class InventoryQueries(IRequiredActor<InventoryRegion> inventory, CatalogStore catalog, InventoryOptions options, ApiOptions api)
{
    public CatalogSnapshot Catalog => catalog.Current;

    public Task<InventoryProtocol.TallyState> GetTallyAsync(Product product, CancellationToken ct) =>
        AskAsync(new InventoryProtocol.GetTally(PartitionOf(product), product.Sku, OpeningOf(product)), ct);

    public Task<InventoryProtocol.TallyState> RecordReceiptAsync(Product product, long quantity, CancellationToken ct) =>
        AskAsync(new InventoryProtocol.RecordReceipt(PartitionOf(product), product.Sku, quantity, OpeningOf(product)), ct);

    public Task<InventoryProtocol.TallyState> RecordCountAsync(Product product, long onHand, CancellationToken ct) =>
        AskAsync(new InventoryProtocol.RecordCount(PartitionOf(product), product.Sku, onHand, OpeningOf(product)), ct);

    /// <summary>The replenishment form from this node's catalog and every product's live tally (one ask per partition).</summary>
    public async Task<ReplenishmentForm> ReplenishmentAsync(CancellationToken ct)
    {
        var snapshot = catalog.Current;
        var region = await inventory.GetAsync(ct);
        var partitions = await Task.WhenAll(StockPartitionId.All(options.Partitions).Select(p =>
            region.Ask<InventoryProtocol.Tallies>(new InventoryProtocol.GetTallies(p.EntityId), api.AskTimeout, ct)));
        var live = partitions.SelectMany(p => p.States).ToDictionary(t => t.Sku, StringComparer.Ordinal);
        var stock = snapshot.Products.Values.ToDictionary(
            p => p.Sku,
            p => live.TryGetValue(p.Sku, out var t) ? (t.OnHand, t.OnOrder) : ((long)p.StockOnHand, (long)p.OnOrder),
            StringComparer.Ordinal);
        return Replenishment.Form(snapshot, stock, DateTimeOffset.UtcNow);
    }

    private async Task<InventoryProtocol.TallyState> AskAsync(object command, CancellationToken ct) =>
        await (await inventory.GetAsync(ct)).Ask<InventoryProtocol.TallyState>(command, api.AskTimeout, ct);

    private static InventoryProtocol.Opening OpeningOf(Product p) => new(p.StockOnHand, p.OnOrder);

    private string PartitionOf(Product p) => StockPartitionId.For(p.Sku, options.Partitions).EntityId;
}
