namespace OrderActors.Domain.Orders;

/// <summary>Field → messages, in the order found; the <c>errors</c> member of a problem+json answer.</summary>
public sealed class ValidationErrors
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool IsEmpty => _errors.Count == 0;

    public void Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var list))
            _errors[field] = list = new List<string>();
        list.Add(message);
    }

    public void AddAll(ValidationErrors other)
    {
        foreach (var (field, messages) in other._errors)
            foreach (var message in messages) Add(field, message);
    }

    public IReadOnlyDictionary<string, string[]> ToDictionary() =>
        _errors.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray(), StringComparer.Ordinal);

    public string Summary() =>
        string.Join("; ", _errors.Select(kv => $"{kv.Key}: {string.Join(", ", kv.Value)}"));
}
