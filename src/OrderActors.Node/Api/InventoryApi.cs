using System.Globalization;
using System.Text;
using Akka.Actor;
using OrderActors.Actors.Inventory;
using OrderActors.Domain.Catalog;
using OrderActors.Domain.Inventory;

namespace OrderActors.Node.Api;

public sealed record InventoryView(string Sku, long OnHand, long OnOrder, long Position, int ReorderLevel, int TargetLevel, long Replenish);

/// <summary><c>/api/inventory</c> (live stock per product) and <c>/api/reports/replenishment</c> (the form).</summary>
public static class InventoryApi
{
    private sealed record ReceiptBody(long? Quantity);
    private sealed record CountBody(long? OnHand);

    public static IEndpointRouteBuilder MapInventoryApi(this IEndpointRouteBuilder app)
    {
        var inventory = app.MapGroup("/api/inventory").WithTags("inventory");
        inventory.MapGet("/{sku}", (string sku, HttpContext context, OrderGateway gateway, CancellationToken ct) =>
            WithProduct(sku, context, gateway, p => gateway.GetTallyAsync(p, ct)));
        inventory.MapPost("/{sku}/receipts", async (string sku, HttpContext context, OrderGateway gateway, CancellationToken ct) =>
        {
            var (body, error) = await JsonBody.ReadAsAsync<ReceiptBody>(context.Request, JsonBody.OrderLimit, ct);
            if (error is not null) return error;
            if (body!.Quantity is not > 0) return Problems.Field(400, "quantity", "is required and must be greater than 0");
            return await WithProduct(sku, context, gateway, p => gateway.RecordReceiptAsync(p, body.Quantity.Value, ct));
        });
        inventory.MapPut("/{sku}/count", async (string sku, HttpContext context, OrderGateway gateway, CancellationToken ct) =>
        {
            var (body, error) = await JsonBody.ReadAsAsync<CountBody>(context.Request, JsonBody.OrderLimit, ct);
            if (error is not null) return error;
            if (body!.OnHand is null) return Problems.Field(400, "onHand", "is required");
            return await WithProduct(sku, context, gateway, p => gateway.RecordCountAsync(p, body.OnHand.Value, ct));
        });

        app.MapGet("/api/reports/replenishment", async (string? format, HttpContext context, OrderGateway gateway, CancellationToken ct) =>
        {
            if (format is not (null or "json" or "csv"))
                return Problems.Field(400, "format", $"must be json or csv (got '{format}')");
            try
            {
                var form = await gateway.ReplenishmentAsync(ct);
                return format == "csv"
                    ? Results.Text(ToCsv(form), "text/csv; charset=utf-8", Encoding.UTF8)
                    : Results.Ok(form);
            }
            catch (AskTimeoutException)
            {
                return Problems.Unavailable(context, "Some inventory tallies did not answer in time; try again.");
            }
        }).WithTags("reports");
        return app;
    }

    private static async Task<IResult> WithProduct(string sku, HttpContext context, OrderGateway gateway,
        Func<Product, Task<InventoryProtocol.TallyState>> action)
    {
        if (!gateway.Catalog.Products.TryGetValue(sku, out var product))
            return Problems.Result(404, $"No product '{sku}' in the catalog.");
        try
        {
            var tally = await action(product);
            return Results.Ok(new InventoryView(sku, tally.OnHand, tally.OnOrder, Replenishment.Position(tally.OnHand, tally.OnOrder),
                product.ReorderLevel, product.EffectiveTargetLevel, Replenishment.Quantity(product, tally.OnHand, tally.OnOrder)));
        }
        catch (AskTimeoutException)
        {
            return Problems.Unavailable(context, "The inventory tally did not answer in time; try again.");
        }
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

    private static string Field(string value) =>
        value.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? $"\"{value.Replace("\"", "\"\"")}\"" : value;
}
