using System.Globalization;
using System.Text;
using System.Text.Json;
using OrderActors.Domain.Orders;

namespace OrderActors.Domain.Catalog;

/// <summary>One refused row of an import: where it is and why.</summary>
public sealed record ImportError(int Line, string Field, string Reason);

public sealed record ImportResult(IReadOnlyList<Manufacturer> Manufacturers, IReadOnlyList<Product> Products, IReadOnlyList<ImportError> Errors)
{
    public bool IsValid => Errors.Count == 0;
}

/// <summary>
/// Reads a catalog import, validating every row before anything is imported. Two formats:
/// <list type="bullet">
/// <item>JSON: <c>{"manufacturers": [...], "products": [...]}</c> (either may be absent), or a bare array of products;</item>
/// <item>CSV with a header row: products (a <c>sku</c> column) or manufacturers (<c>id</c> and <c>name</c> columns).</item>
/// </list>
/// A product's manufacturer must be in the same import or already in the catalog. Errors carry the line number of
/// the row (CSV: the record's first line, the header being line 1; JSON: the line where the item's object opens).
/// </summary>
public static class CatalogImport
{
    public static ImportResult Parse(string text, bool isJson, CatalogSnapshot existing) =>
        isJson ? ParseJson(text, existing) : ParseCsv(text, existing);

    // --- JSON -------------------------------------------------------------------------------------

    private static ImportResult ParseJson(string text, CatalogSnapshot existing)
    {
        var errors = new List<ImportError>();
        JsonDocument document;
        try
        {
            // a key given twice is refused, as in every JSON body (docs/API.md, "Text")
            document = JsonDocument.Parse(text, new JsonDocumentOptions { AllowDuplicateProperties = false });
        }
        catch (JsonException e)
        {
            return new ImportResult([], [], [new ImportError((int)(e.LineNumber ?? 0) + 1, "body", $"is not well-formed JSON: {e.Message}")]);
        }
        catch (ArgumentException)
        {
            // text that is not Unicode (a lone surrogate) cannot be JSON
            return new ImportResult([], [], [new ImportError(1, "body", "is not valid text: it holds a lone surrogate")]);
        }

        using (document)
        {
            var lines = ItemLines(text);
            var root = document.RootElement;
            var rawManufacturers = new List<(int Line, Dictionary<string, string?> Fields)>();
            var rawProducts = new List<(int Line, Dictionary<string, string?> Fields)>();

            void Collect(JsonElement array, string key, List<(int, Dictionary<string, string?>)> into)
            {
                var index = 0;
                foreach (var item in array.EnumerateArray())
                {
                    var line = lines.TryGetValue((key, index), out var l) ? l : 0;
                    index++;
                    if (item.ValueKind != JsonValueKind.Object)
                    {
                        errors.Add(new ImportError(line, key, "each item must be a JSON object"));
                        continue;
                    }
                    var fields = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
                    string? refused = null;
                    foreach (var p in item.EnumerateObject())
                    {
                        // keys differing only in case are one field here (sku, SKU)
                        if (!fields.TryAdd(p.Name, p.Value.ValueKind switch
                        {
                            JsonValueKind.Null => null,
                            JsonValueKind.String => Text(p.Value),
                            _ => p.Value.GetRawText(),
                        }))
                            refused ??= $"'{p.Name}' is given twice (names are not case-sensitive)";
                        else if (p.Value.ValueKind == JsonValueKind.String && fields[p.Name] is null)
                            refused ??= $"'{p.Name}' is not valid text: it holds a lone surrogate";
                    }
                    if (refused is not null) errors.Add(new ImportError(line, key, refused));
                    else into.Add((line, fields));
                }
            }

            if (root.ValueKind == JsonValueKind.Array) Collect(root, "products", rawProducts);
            else if (root.ValueKind == JsonValueKind.Object)
            {
                foreach (var property in root.EnumerateObject())
                {
                    var key = property.Name.ToLowerInvariant();
                    if (key is not ("manufacturers" or "products"))
                        errors.Add(new ImportError(1, property.Name.Length > 0 ? property.Name : "\"\"", "unknown member: use \"manufacturers\" and \"products\""));
                    else if (property.Value.ValueKind != JsonValueKind.Array)
                        errors.Add(new ImportError(1, property.Name, "must be an array"));
                    else Collect(property.Value, key, key == "manufacturers" ? rawManufacturers : rawProducts);
                }
            }
            else errors.Add(new ImportError(1, "body", "must be an object {\"manufacturers\": [...], \"products\": [...]} or an array of products"));

            return Build(rawManufacturers, rawProducts, existing, errors);
        }
    }

    private static string? Text(JsonElement value)
    {
        try { return value.GetString(); }
        catch (InvalidOperationException) { return null; } // an escaped lone surrogate
    }

    /// <summary>The line on which each item of the top-level arrays opens, keyed by (array, index).</summary>
    private static Dictionary<(string, int), int> ItemLines(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var newlines = new List<long>();
        for (var i = 0; i < bytes.Length; i++) if (bytes[i] == (byte)'\n') newlines.Add(i);
        int LineOf(long offset)
        {
            var index = newlines.BinarySearch(offset);
            return (index < 0 ? ~index : index) + 1;
        }

        var result = new Dictionary<(string, int), int>();
        var reader = new Utf8JsonReader(bytes);
        string? array = null;
        var index = 0;
        var rootIsArray = false;
        while (reader.Read())
        {
            if (reader.CurrentDepth == 0 && reader.TokenType == JsonTokenType.StartArray) { rootIsArray = true; array = "products"; index = 0; }
            else if (!rootIsArray && reader.CurrentDepth == 1 && reader.TokenType == JsonTokenType.PropertyName)
            {
                array = reader.GetString()!.ToLowerInvariant();
                index = 0;
            }
            else if (array is not null && reader.CurrentDepth == (rootIsArray ? 1 : 2) && reader.TokenType is not (JsonTokenType.EndArray or JsonTokenType.EndObject))
            {
                result[(array, index++)] = LineOf(reader.TokenStartIndex);
                if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray) reader.Skip();
            }
        }
        return result;
    }

    // --- CSV --------------------------------------------------------------------------------------

    private static ImportResult ParseCsv(string text, CatalogSnapshot existing)
    {
        var errors = new List<ImportError>();
        var records = ReadCsv(text, errors);
        if (records.Count == 0)
            return new ImportResult([], [], errors.Count > 0 ? errors : [new ImportError(1, "body", "is empty: a header row is required")]);

        var header = records[0].Fields.Select(h => h.Trim()).ToList();
        var isProducts = header.Contains("sku", StringComparer.OrdinalIgnoreCase);
        var isManufacturers = !isProducts && header.Contains("id", StringComparer.OrdinalIgnoreCase) && header.Contains("name", StringComparer.OrdinalIgnoreCase);
        if (!isProducts && !isManufacturers)
            return new ImportResult([], [], [new ImportError(1, "header",
                "must name the columns: products need sku,name,manufacturerId,unitPrice,...; manufacturers need id,name,...")]);

        var rows = new List<(int Line, Dictionary<string, string?> Fields)>();
        foreach (var (line, fields) in records.Skip(1))
        {
            if (fields.Count == 1 && string.IsNullOrWhiteSpace(fields[0])) continue; // blank line
            if (fields.Count != header.Count)
            {
                errors.Add(new ImportError(line, "row", $"has {fields.Count} fields; the header has {header.Count}"));
                continue;
            }
            rows.Add((line, header.Zip(fields).ToDictionary(p => p.First, p => (string?)p.Second, StringComparer.OrdinalIgnoreCase)));
        }
        return isProducts ? Build([], rows, existing, errors) : Build(rows, [], existing, errors);
    }

    private static List<(int Line, List<string> Fields)> ReadCsv(string text, List<ImportError> errors)
    {
        var records = new List<(int, List<string>)>();
        var fields = new List<string>();
        var field = new StringBuilder();
        int line = 1, recordLine = 1, i = 0;
        var quoted = false;
        while (i < text.Length)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"') { field.Append('"'); i += 2; continue; }
                if (c == '"') { quoted = false; i++; continue; }
                if (c == '\n') line++;
                field.Append(c);
                i++;
                continue;
            }
            switch (c)
            {
                case '"' when field.Length == 0: quoted = true; break;
                case ',': fields.Add(field.ToString()); field.Clear(); break;
                case '\r': break;
                case '\n':
                    fields.Add(field.ToString()); field.Clear();
                    records.Add((recordLine, fields));
                    fields = new List<string>();
                    line++;
                    recordLine = line;
                    break;
                default: field.Append(c); break;
            }
            i++;
        }
        if (quoted) errors.Add(new ImportError(recordLine, "row", "has a quoted field that is never closed"));
        if (field.Length > 0 || fields.Count > 0)
        {
            fields.Add(field.ToString());
            records.Add((recordLine, fields));
        }
        return records;
    }

    // --- rows to entries --------------------------------------------------------------------------

    private static ImportResult Build(
        List<(int Line, Dictionary<string, string?> Fields)> rawManufacturers,
        List<(int Line, Dictionary<string, string?> Fields)> rawProducts,
        CatalogSnapshot existing, List<ImportError> errors)
    {
        var manufacturers = new List<Manufacturer>();
        var seenManufacturers = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (line, fields) in rawManufacturers)
        {
            var rowErrors = new ValidationErrors();
            var m = new Manufacturer(Text(fields, "id") ?? "", Text(fields, "name") ?? "",
                Text(fields, "country"), Text(fields, "contact"), Text(fields, "phone"));
            CatalogValidator.Validate(m, rowErrors);
            if (m.Id.Length > 0 && !seenManufacturers.TryAdd(m.Id, line))
                rowErrors.Add("id", $"'{m.Id}' is already on line {seenManufacturers[m.Id]}");
            Report(line, rowErrors, errors);
            if (rowErrors.IsEmpty) manufacturers.Add(m);
        }

        var products = new List<Product>();
        var seenProducts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (line, fields) in rawProducts)
        {
            var rowErrors = new ValidationErrors();
            var p = new Product(
                Text(fields, "sku") ?? "", Text(fields, "name") ?? "", Text(fields, "manufacturerId") ?? "",
                Number(fields, "unitPrice", rowErrors, required: true) ?? 0m,
                (int)(Number(fields, "stockOnHand", rowErrors, whole: true) ?? 0),
                (int)(Number(fields, "onOrder", rowErrors, whole: true) ?? 0),
                (int)(Number(fields, "reorderLevel", rowErrors, whole: true) ?? 0),
                Number(fields, "targetLevel", rowErrors, whole: true) is { } t ? (int)t : null,
                Bool(fields, "discontinued", rowErrors));
            CatalogValidator.Validate(p, id => seenManufacturers.ContainsKey(id) || existing.Manufacturers.ContainsKey(id), rowErrors);
            if (p.Sku.Length > 0 && !seenProducts.TryAdd(p.Sku, line))
                rowErrors.Add("sku", $"'{p.Sku}' is already on line {seenProducts[p.Sku]}");
            Report(line, rowErrors, errors);
            if (rowErrors.IsEmpty) products.Add(p);
        }

        return errors.Count > 0
            ? new ImportResult([], [], errors.OrderBy(e => e.Line).ToList())
            : new ImportResult(manufacturers, products, []);
    }

    private static void Report(int line, ValidationErrors rowErrors, List<ImportError> errors)
    {
        foreach (var (field, messages) in rowErrors.ToDictionary())
            foreach (var message in messages)
                errors.Add(new ImportError(line, field, message));
    }

    private static string? Text(Dictionary<string, string?> fields, string name) =>
        fields.TryGetValue(name, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

    private static decimal? Number(Dictionary<string, string?> fields, string name, ValidationErrors errors, bool required = false, bool whole = false)
    {
        var text = Text(fields, name);
        if (text is null)
        {
            if (required) errors.Add(name, "is required");
            return null;
        }
        if (!decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
        {
            errors.Add(name, $"must be a number (got '{text}')");
            return null;
        }
        if (whole && (value != decimal.Truncate(value) || value is > int.MaxValue or < int.MinValue))
        {
            errors.Add(name, $"must be a whole number (got '{text}')");
            return null;
        }
        return value;
    }

    private static bool Bool(Dictionary<string, string?> fields, string name, ValidationErrors errors) =>
        Text(fields, name)?.ToLowerInvariant() switch
        {
            null or "false" or "0" or "no" => false,
            "true" or "1" or "yes" => true,
            var other => Fail(name, $"must be true or false (got '{other}')", errors),
        };

    private static bool Fail(string field, string message, ValidationErrors errors)
    {
        errors.Add(field, message);
        return false;
    }
}
