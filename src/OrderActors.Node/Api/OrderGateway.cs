using System.Text.Json;
using Akka.Actor;
using Akka.Hosting;
using OrderActors.Actors.Catalog;
using OrderActors.Actors.Hosting;
using OrderActors.Actors.Ingest;
using OrderActors.Actors.Inventory;
using OrderActors.Actors.Units;
using OrderActors.Domain.Catalog;
using OrderActors.Domain.Inventory;
using OrderActors.Domain.Ingest;
using OrderActors.Domain.Orders;
using OrderActors.Domain.Routing;

namespace OrderActors.Node.Api;

/// <summary>
/// The HTTP layer's one door into the actors: it sends commands to the right entities and assembles the views of
/// API.md from their answers. Endpoints stay free of actor code; actors stay free of HTTP.
/// </summary>
/// <summary>One order read for intake: either ready to submit (enriched, with the fingerprint of what was sent) or refused.</summary>
public sealed record IntakeItem(string? OrderId, Order? Order, string? Fingerprint, ProblemBody? Problem);

public sealed class OrderGateway(
    IRequiredActor<IngestRegion> ingest,
    IntakeBatcher intake,
    IRequiredActor<UnitRegion> units,
    IRequiredActor<CatalogRegion> catalogRegion,
    IRequiredActor<InventoryRegion> inventory,
    CatalogStore catalog,
    OrderActorsSettings settings)
{
    public RoutingTable Routing => settings.Routing;

    /// <summary>This node's copy of the catalog (no network hop).</summary>
    public CatalogSnapshot Catalog => catalog.Current;

    /// <summary>
    /// Reads an order for intake: validates it, fingerprints what the OMS sent (so that a resend is recognised
    /// whatever the catalog does meanwhile), then enriches it from the catalog.
    /// </summary>
    public IntakeItem Read(JsonElement json)
    {
        var parsed = OrderParser.Parse(json, settings.Routing.KnownCodes);
        if (!parsed.IsValid)
            return new IntakeItem(parsed.OrderId, null, null, Problems.ForOrder(parsed.Rejection!.Value, parsed.Errors));

        var (enriched, unknown) = Enrichment.Enrich(parsed.Order!, catalog.Current);
        if (enriched is null)
        {
            var errors = new ValidationErrors();
            for (var i = 0; i < parsed.Order!.Lines.Count; i++)
                if (unknown.Contains(parsed.Order.Lines[i].Sku))
                    errors.Add($"lines[{i}].sku", $"unknown SKU '{parsed.Order.Lines[i].Sku}'");
            return new IntakeItem(parsed.OrderId, null, null, Problems.Body(422,
                $"The catalog has no product for SKU {string.Join(", ", unknown.Select(u => $"'{u}'"))}.", errors.ToDictionary()));
        }
        return new IntakeItem(enriched.OrderId, enriched, OrderFingerprint.Compute(parsed.Order!), null);
    }

    public int FirstQueueOf(string orderId) => QueueAssignment.FirstQueue(orderId, settings.IngestQueues);

    /// <summary>Submits orders to their first queues (through the node's <see cref="IntakeBatcher"/>) and returns their outcomes in the order given.</summary>
    public Task<IngestProtocol.SubmitOutcome[]> SubmitAsync(IReadOnlyList<IntakeItem> orders) =>
        Task.WhenAll(orders.Select(item =>
            intake.SubmitAsync(FirstQueueOf(item.Order!.OrderId), new IngestProtocol.Submission(item.Order!, item.Fingerprint!))));

    /// <summary>The order view, or null when no first queue has accepted this id.</summary>
    public async Task<OrderView?> GetViewAsync(string orderId, CancellationToken ct)
    {
        var queue = FirstQueueOf(orderId);
        var ingestRegion = await ingest.GetAsync(ct);
        var reply = await ingestRegion.Ask<IngestProtocol.AcceptedOrderReply>(
            new IngestProtocol.GetAcceptedOrder(IngestProtocol.EntityIdFor(queue), orderId), settings.AskTimeout, ct);
        if (reply.Order is not { } accepted) return null;

        var unitRegion = await units.GetAsync(ct);
        var targets = settings.Routing.Route(accepted.Order.BusinessCode, accepted.FirstQueue);
        var statuses = await Task.WhenAll(targets.Select(async target =>
        {
            var status = await unitRegion.Ask<UnitProtocol.UnitOrderStatus>(
                new UnitProtocol.GetUnitOrderStatus(target.EntityId, orderId, accepted.FirstQueue, accepted.Offset), settings.AskTimeout, ct);
            return status.Entry switch
            {
                null => new UnitStatusView(target.Unit, target.Queue, null, "accepted", null),
                { ProcessedAt: { } at } e => new UnitStatusView(target.Unit, target.Queue, e.Seq, "processed", at),
                var e => new UnitStatusView(target.Unit, target.Queue, e.Seq, "queued", e.QueuedAt),
            };
        }));

        var status = statuses.All(s => s.Status == "processed") ? "processed"
            : statuses.All(s => s.Status != "accepted") ? "queued"
            : "accepted";
        var order = accepted.Order;
        return new OrderView(order.OrderId, order.BusinessCode, order.CustomerId, order.PlacedAt, status,
            accepted.FirstQueue, accepted.AcceptedAt, statuses, order.Lines);
    }

    public async Task<FeedResponse> GetFeedAsync(UnitQueueAddress address, long after, int limit, CancellationToken ct)
    {
        var unitRegion = await units.GetAsync(ct);
        var page = await unitRegion.Ask<UnitProtocol.FeedPage>(
            new UnitProtocol.GetFeed(address.EntityId, after, limit), settings.AskTimeout, ct);
        var items = page.Entries
            .Select(e => new FeedItem(e.Seq, e.OrderId, e.Order.Order.BusinessCode, e.Order.FirstQueue,
                e.Order.AcceptedAt, e.ProcessedAt, e.Order.Order))
            .ToList();
        return new FeedResponse(address.Unit, address.Queue, items, items.Count > 0 ? items[^1].Seq : Math.Max(0, after));
    }

    // --- catalog ----------------------------------------------------------------------------------

    /// <summary>Stores catalog entries and applies the change to this node's copy at once (read your writes).</summary>
    public async Task<long> UpsertCatalogAsync(IReadOnlyList<Manufacturer> manufacturers, IReadOnlyList<Product> products, CancellationToken ct)
    {
        var region = await catalogRegion.GetAsync(ct);
        var reply = await region.Ask<object>(new CatalogProtocol.UpsertCatalog(manufacturers, products), settings.AskTimeout, ct);
        switch (reply)
        {
            case CatalogProtocol.CatalogChanged changed:
                catalog.Apply(changed);
                return changed.Version;
            case CatalogProtocol.CatalogUnchanged unchanged:
                return unchanged.Version;
            default:
                throw new InvalidOperationException($"unexpected catalog answer {reply.GetType().Name}");
        }
    }

    // --- inventory --------------------------------------------------------------------------------

    private static InventoryProtocol.Opening OpeningOf(Product p) => new(p.StockOnHand, p.OnOrder);

    private string PartitionOf(Product p) => InventoryProtocol.EntityIdFor(p.Sku, settings.InventoryPartitions);

    public async Task<InventoryProtocol.TallyState> GetTallyAsync(Product product, CancellationToken ct)
    {
        var region = await inventory.GetAsync(ct);
        return await region.Ask<InventoryProtocol.TallyState>(
            new InventoryProtocol.GetTally(PartitionOf(product), product.Sku, OpeningOf(product)), settings.AskTimeout, ct);
    }

    public async Task<InventoryProtocol.TallyState> RecordReceiptAsync(Product product, long quantity, CancellationToken ct)
    {
        var region = await inventory.GetAsync(ct);
        return await region.Ask<InventoryProtocol.TallyState>(
            new InventoryProtocol.RecordReceipt(PartitionOf(product), product.Sku, quantity, OpeningOf(product)), settings.AskTimeout, ct);
    }

    public async Task<InventoryProtocol.TallyState> RecordCountAsync(Product product, long onHand, CancellationToken ct)
    {
        var region = await inventory.GetAsync(ct);
        return await region.Ask<InventoryProtocol.TallyState>(
            new InventoryProtocol.RecordCount(PartitionOf(product), product.Sku, onHand, OpeningOf(product)), settings.AskTimeout, ct);
    }

    /// <summary>The replenishment form from this node's catalog and every product's live tally (one ask per partition).</summary>
    public async Task<ReplenishmentForm> ReplenishmentAsync(CancellationToken ct)
    {
        var snapshot = catalog.Current;
        var region = await inventory.GetAsync(ct);
        var partitions = await Task.WhenAll(Enumerable.Range(0, settings.InventoryPartitions).Select(p =>
            region.Ask<InventoryProtocol.Tallies>(new InventoryProtocol.GetTallies(InventoryProtocol.EntityIdOf(p)), settings.AskTimeout, ct)));
        var live = partitions.SelectMany(p => p.States).ToDictionary(t => t.Sku, StringComparer.Ordinal);
        var stock = snapshot.Products.Values.ToDictionary(
            p => p.Sku,
            p => live.TryGetValue(p.Sku, out var t) ? (t.OnHand, t.OnOrder) : ((long)p.StockOnHand, (long)p.OnOrder),
            StringComparer.Ordinal);
        return Replenishment.Form(snapshot, stock, DateTimeOffset.UtcNow);
    }

    /// <summary>Depth and last seq of every first queue (last offset) and every unit queue.</summary>
    public async Task<IReadOnlyList<QueueView>> GetQueueStatsAsync(CancellationToken ct)
    {
        var ingestRegion = await ingest.GetAsync(ct);
        var unitRegion = await units.GetAsync(ct);
        var first = await Task.WhenAll(Enumerable.Range(0, settings.IngestQueues).Select(async q =>
        {
            var s = await ingestRegion.Ask<IngestProtocol.IngestStats>(new IngestProtocol.GetIngestStats(IngestProtocol.EntityIdFor(q)), settings.AskTimeout, ct);
            return new QueueView(s.EntityId, "", s.Pending, s.LastOffset);
        }));
        var second = await Task.WhenAll(settings.Routing.AllQueues().Select(async a =>
        {
            var s = await unitRegion.Ask<UnitProtocol.UnitQueueStats>(new UnitProtocol.GetUnitStats(a.EntityId), settings.AskTimeout, ct);
            return new QueueView(s.EntityId, "", s.Depth, s.LastSeq);
        }));
        return [.. first, .. second];
    }

    public async Task<IReadOnlyList<UnitInfo>> GetUnitsAsync(CancellationToken ct)
    {
        var unitRegion = await units.GetAsync(ct);
        return await Task.WhenAll(settings.Routing.Units.Select(async unit =>
        {
            var stats = await Task.WhenAll(Enumerable.Range(0, unit.Queues).Select(q =>
                unitRegion.Ask<UnitProtocol.UnitQueueStats>(
                    new UnitProtocol.GetUnitStats(new UnitQueueAddress(unit.Name, q).EntityId), settings.AskTimeout, ct)));
            return new UnitInfo(unit.Name, unit.Codes, unit.Queues,
                stats.Select(s => s.Depth).ToArray(), stats.Select(s => s.LastSeq).ToArray());
        }));
    }
}
