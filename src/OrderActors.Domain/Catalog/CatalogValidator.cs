using OrderActors.Domain.Orders;

namespace OrderActors.Domain.Catalog;

/// <summary>The rules a catalog entry must meet, shared by PUT and import.</summary>
public static class CatalogValidator
{
    public const int MaxIdLength = 64;
    public const int MaxNameLength = 200;
    public const int MaxLevel = 1_000_000_000;

    public static void Validate(Manufacturer m, ValidationErrors errors)
    {
        RequireId(m.Id, "id", errors);
        RequireName(m.Name, errors);
    }

    /// <param name="manufacturerExists">whether a manufacturer id is known (in the catalog or in the same import)</param>
    public static void Validate(Product p, Func<string, bool> manufacturerExists, ValidationErrors errors)
    {
        RequireId(p.Sku, "sku", errors);
        RequireName(p.Name, errors);
        if (string.IsNullOrWhiteSpace(p.ManufacturerId)) errors.Add("manufacturerId", "is required");
        else if (!manufacturerExists(p.ManufacturerId)) errors.Add("manufacturerId", $"no manufacturer '{p.ManufacturerId}'");
        if (p.UnitPrice < 0) errors.Add("unitPrice", "must be 0 or more");
        if (p.OnOrder < 0) errors.Add("onOrder", "must be 0 or more");
        if (p.ReorderLevel < 0) errors.Add("reorderLevel", "must be 0 or more");
        // targetLevel defaults to 2 × reorderLevel, which must not wrap
        else if (p.ReorderLevel > MaxLevel) errors.Add("reorderLevel", $"must be at most {MaxLevel:N0}");
        if (p.TargetLevel is < 0) errors.Add("targetLevel", "must be 0 or more");
    }

    private static void RequireId(string? id, string field, ValidationErrors errors)
    {
        if (string.IsNullOrWhiteSpace(id)) errors.Add(field, "is required");
        else if (id.Length > MaxIdLength) errors.Add(field, $"must be at most {MaxIdLength} characters");
        else if (id.Any(c => char.IsWhiteSpace(c) || c == '/')) errors.Add(field, "must not contain spaces or '/'");
        // the same rule as an order's ids: printable characters only (docs/API.md, "Text")
        else if (OrderParser.NotAllowedInIdentifier(id) is { } found)
            errors.Add(field, $"must be printable characters only, without '/' (found {found})");
    }

    private static void RequireName(string? name, ValidationErrors errors)
    {
        if (string.IsNullOrWhiteSpace(name)) errors.Add("name", "is required");
        else if (name.Length > MaxNameLength) errors.Add("name", $"must be at most {MaxNameLength} characters");
        else if (OrderParser.ControlOrLoneSurrogate(name) is { } at) errors.Add("name", $"must not hold control characters or lone surrogates (found {at})");
    }
}
