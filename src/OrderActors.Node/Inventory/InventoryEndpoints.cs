using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using OrderActors.Actors.Inventory;
using OrderActors.Domain.Catalog;
using OrderActors.Domain.Inventory;
using OrderActors.Node.Http;
using OrderActors.Domain.Security;
using OrderActors.Node.Security;

namespace OrderActors.Node.Inventory;

public sealed record InventoryView(string Sku, long OnHand, long OnOrder, long Position, int ReorderLevel, int TargetLevel, long Replenish);

/// <summary><c>/api/inventory</c> (live stock per product) and <c>/api/reports/replenishment</c> (the form).</summary>
public static class InventoryEndpoints
{
    public sealed record ReceiptBody(long? Quantity);
    public sealed record CountBody(long? OnHand);

    public static IServiceCollection AddInventory(this IServiceCollection services) => services.AddSingleton<InventoryQueries>();

    public static IEndpointRouteBuilder MapInventory(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/inventory").WithTags("inventory").RequireAccess(Need.Operate)
            .UnavailableOnTimeout("The inventory tally did not answer in time; try again.");
        group.MapGet("/{sku}", (string sku, InventoryQueries inventory, CancellationToken ct) =>
            WithProduct(sku, inventory, p => inventory.GetTallyAsync(p, ct))).WithSummary("A product's live stock and what to reorder").Answers(404);
        group.MapPost("/{sku}/receipts", async (string sku, HttpContext context, InventoryQueries inventory, CancellationToken ct) =>
        {
            var (body, error) = await JsonBody.ReadAsAsync<ReceiptBody>(context.Request, JsonBody.OrderLimit, ct);
            if (error is not null) return error;
            if (body!.Quantity is not > 0) return Problems.Field(400, "quantity", "is required and must be greater than 0");
            if (!inventory.Catalog.Products.TryGetValue(sku, out var product)) return Problems.Result(404, $"No product '{sku}' in the catalog.");
            var before = await inventory.GetTallyAsync(product, ct);
            if (StockLimits.ReceiptRefusal(before.OnHand, body.Quantity.Value) is { } refusal) return Problems.Field(422, "quantity", refusal);
            return await WithProduct(sku, inventory, p => inventory.RecordReceiptAsync(p, body.Quantity.Value, ct));
        }).WithSummary("Record a goods receipt").Takes<ReceiptBody>().Produces<InventoryView>().Answers(404, 422);
        group.MapPut("/{sku}/count", async (string sku, HttpContext context, InventoryQueries inventory, CancellationToken ct) =>
        {
            var (body, error) = await JsonBody.ReadAsAsync<CountBody>(context.Request, JsonBody.OrderLimit, ct);
            if (error is not null) return error;
            if (body!.OnHand is null) return Problems.Field(400, "onHand", "is required");
            if (StockLimits.CountRefusal(body.OnHand.Value) is { } refusal) return Problems.Field(422, "onHand", refusal);
            return await WithProduct(sku, inventory, p => inventory.RecordCountAsync(p, body.OnHand.Value, ct));
        }).WithSummary("Record a stock count").Takes<CountBody>().Produces<InventoryView>().Answers(404, 422);

        app.MapGet("/api/reports/replenishment", async (string? format, InventoryQueries inventory, CancellationToken ct) =>
        {
            if (format is not (null or "json" or "csv"))
                return Problems.Field(400, "format", $"must be json or csv (got '{format}')");
            var form = await inventory.ReplenishmentAsync(ct);
            return format == "csv"
                ? Results.Text(ToCsv(form), "text/csv; charset=utf-8", Encoding.UTF8)
                : Results.Ok(form);
        }).WithSummary("The replenishment form, by manufacturer (JSON or CSV)").WithTags("reports").RequireAccess(Need.Operate).Produces<ReplenishmentForm>().Produces<string>(200, "text/csv").Answers(400).UnavailableOnTimeout("Some inventory tallies did not answer in time; try again.");
        return app;
    }

    private static async Task<Results<Ok<InventoryView>, JsonHttpResult<ProblemBody>>> WithProduct(string sku, InventoryQueries inventory, Func<Product, Task<InventoryProtocol.TallyState>> action)
    {
        if (!inventory.Catalog.Products.TryGetValue(sku, out var product))
            return Problems.Result(404, $"No product '{sku}' in the catalog.");
        var tally = await action(product);
        return TypedResults.Ok(new InventoryView(sku, tally.OnHand, tally.OnOrder, Replenishment.Position(tally.OnHand, tally.OnOrder),
            product.ReorderLevel, product.EffectiveTargetLevel, Replenishment.Quantity(product, tally.OnHand, tally.OnOrder)));
    }

    /// <summary>One row per form line, with its manufacturer; money with two decimals, invariant culture.</summary>
    public static string ToCsv(ReplenishmentForm form)
    {
        var csv = new StringBuilder("manufacturerId,manufacturerName,sku,name,onHand,onOrder,reorderLevel,targetLevel,quantity,unitPrice,value\n");
        foreach (var group in form.Manufacturers)
            foreach (var line in group.Lines)
            {
                csv.AppendJoin(',', Field(group.Id), Field(group.Name), Field(line.Sku), Field(line.Name),
                    line.OnHand.ToString(CultureInfo.InvariantCulture), line.OnOrder.ToString(CultureInfo.InvariantCulture),
                    line.ReorderLevel.ToString(CultureInfo.InvariantCulture), line.TargetLevel.ToString(CultureInfo.InvariantCulture),
                    line.Quantity.ToString(CultureInfo.InvariantCulture), line.UnitPrice.ToString("0.00", CultureInfo.InvariantCulture),
                    line.Value.ToString("0.00", CultureInfo.InvariantCulture));
                csv.Append('\n');
            }
        return csv.ToString();
    }

    /// <summary>
    /// A CSV cell. One that a spreadsheet would take for a formula (it starts with =, +, -, @, tab or CR: a product
    /// named <c>=cmd|' /C calc'!A0</c>) is neutralised with a leading apostrophe, as OWASP advises.
    /// </summary>
    public static string Field(string value)
    {
        if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r') value = "'" + value;
        return value.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? $"\"{value.Replace("\"", "\"\"")}\"" : value;
    }
}
