using Microsoft.AspNetCore.Http.HttpResults;
using OrderActors.Actors.Catalog;
using OrderActors.Domain.Catalog;
using OrderActors.Domain.Orders;
using OrderActors.Node.Http;
using OrderActors.Domain.Security;
using OrderActors.Node.Security;

namespace OrderActors.Node.Catalog;

/// <summary><c>/api/catalog</c>: products and manufacturers (read from this node's copy), PUT, and import.</summary>
public static class CatalogEndpoints
{
    public const int ImportLimit = 16 * 1024 * 1024;

    public static IServiceCollection AddCatalog(this IServiceCollection services) => services.AddSingleton<CatalogCommands>().AddSingleton<ICatalogReader>(sp => sp.GetRequiredService<CatalogStore>());

    public static IEndpointRouteBuilder MapCatalog(this IEndpointRouteBuilder app)
    {
        var catalog = app.MapGroup("/api/catalog").WithTags("catalog").RequireAccess(Need.Operate);
        catalog.MapGet("/products", (ICatalogReader catalog) => TypedResults.Ok(catalog.Current.Products.Values.Select(ProductView.From))).WithSummary("All products of the catalog");
        catalog.MapGet("/products/{sku}", (string sku, ICatalogReader catalog) =>
            catalog.Current.Products.TryGetValue(sku, out var p) ? Results.Ok(ProductView.From(p)) : Problems.Result(404, $"No product '{sku}'.")).WithSummary("One product")
            .Produces<ProductView>().Answers(404);
        catalog.MapPut("/products/{sku}", PutProduct).WithSummary("Create or change a product").Takes<ProductBody>().UnavailableOnTimeout("The catalog did not answer in time; try again.");
        catalog.MapGet("/manufacturers", (ICatalogReader catalog) => TypedResults.Ok(catalog.Current.Manufacturers.Values.Select(ManufacturerView.From))).WithSummary("All manufacturers of the catalog");
        catalog.MapGet("/manufacturers/{id}", (string id, ICatalogReader catalog) =>
            catalog.Current.Manufacturers.TryGetValue(id, out var m) ? Results.Ok(ManufacturerView.From(m)) : Problems.Result(404, $"No manufacturer '{id}'.")).WithSummary("One manufacturer")
            .Produces<ManufacturerView>().Answers(404);
        catalog.MapPut("/manufacturers/{id}", PutManufacturer).WithSummary("Create or change a manufacturer").Takes<ManufacturerBody>().UnavailableOnTimeout("The catalog did not answer in time; try again.");
        catalog.MapPost("/import", Import).WithSummary("Import products and manufacturers (CSV or JSON), all or nothing").Reads(typeof(string), "text/csv", "application/json").UnavailableOnTimeout("The catalog did not answer in time; send the import again (it is idempotent).");
        return app;
    }

    public sealed record ProductBody(string? Sku, string? Name, string? ManufacturerId, decimal? UnitPrice, int? StockOnHand,
        int? OnOrder, int? ReorderLevel, int? TargetLevel, bool? Discontinued);

    public sealed record ManufacturerBody(string? Id, string? Name, string? Country, string? Contact, string? Phone);

    private static async Task<Results<Ok<ProductView>, JsonHttpResult<ProblemBody>>> PutProduct(string sku, HttpContext context, CatalogCommands commands, ICatalogReader catalog, CancellationToken ct)
    {
        var (body, error) = await JsonBody.ReadAsAsync<ProductBody>(context.Request, JsonBody.OrderLimit, ct);
        if (error is not null) return error;
        if (body!.Sku is not null && body.Sku != sku) return Problems.Field(400, "sku", $"'{body.Sku}' differs from the path's '{sku}'");

        var product = new Product(sku, body.Name ?? "", body.ManufacturerId ?? "", body.UnitPrice ?? 0, body.StockOnHand ?? 0,
            body.OnOrder ?? 0, body.ReorderLevel ?? 0, body.TargetLevel, body.Discontinued ?? false);
        var errors = new ValidationErrors();
        if (body.UnitPrice is null) errors.Add("unitPrice", "is required");
        CatalogValidator.Validate(product, id => catalog.Current.Manufacturers.ContainsKey(id), errors);
        if (!errors.IsEmpty) return Problems.Result(400, $"The product is invalid: {errors.Summary()}", errors.ToDictionary());

        await commands.UpsertAsync([], [product], ct);
        return TypedResults.Ok(ProductView.From(product));
    }

    private static async Task<Results<Ok<ManufacturerView>, JsonHttpResult<ProblemBody>>> PutManufacturer(string id, HttpContext context, CatalogCommands commands, CancellationToken ct)
    {
        var (body, error) = await JsonBody.ReadAsAsync<ManufacturerBody>(context.Request, JsonBody.OrderLimit, ct);
        if (error is not null) return error;
        if (body!.Id is not null && body.Id != id) return Problems.Field(400, "id", $"'{body.Id}' differs from the path's '{id}'");

        var manufacturer = new Manufacturer(id, body.Name ?? "", body.Country, body.Contact, body.Phone);
        var errors = new ValidationErrors();
        CatalogValidator.Validate(manufacturer, errors);
        if (!errors.IsEmpty) return Problems.Result(400, $"The manufacturer is invalid: {errors.Summary()}", errors.ToDictionary());

        await commands.UpsertAsync([manufacturer], [], ct);
        return TypedResults.Ok(ManufacturerView.From(manufacturer));
    }

    private static async Task<Results<Ok<ImportResponse>, JsonHttpResult<ProblemBody>>> Import(HttpContext context, CatalogCommands commands, ICatalogReader catalog, CancellationToken ct)
    {
        var contentType = context.Request.ContentType ?? "";
        var isJson = contentType.Contains("json", StringComparison.OrdinalIgnoreCase);
        var isCsv = contentType.Contains("csv", StringComparison.OrdinalIgnoreCase) || contentType.StartsWith("text/plain", StringComparison.OrdinalIgnoreCase);
        if (!isJson && !isCsv)
            return Problems.Field(415, "Content-Type", $"must be application/json or text/csv (got '{(contentType.Length == 0 ? "none" : contentType)}')");
        var (bytes, tooLarge) = await JsonBody.ReadBytesAsync(context.Request, ImportLimit, ct);
        if (tooLarge is not null) return tooLarge;
        var text = System.Text.Encoding.UTF8.GetString(bytes.Span);

        var result = CatalogImport.Parse(text, isJson, catalog.Current);
        if (!result.IsValid)
        {
            var errors = result.Errors
                .GroupBy(e => $"line {e.Line}")
                .ToDictionary(g => g.Key, g => g.Select(e => $"{e.Field}: {e.Reason}").ToArray());
            return Problems.Result(Problems.Body(400,
                $"{result.Errors.Select(e => e.Line).Distinct().Count()} row(s) are invalid; nothing was imported. First: line {result.Errors[0].Line}, {result.Errors[0].Field}: {result.Errors[0].Reason}",
                errors));
        }

        var version = await commands.UpsertAsync(result.Manufacturers, result.Products, ct);
        return TypedResults.Ok(new ImportResponse(result.Products.Count, result.Manufacturers.Count, version));
    }
}
