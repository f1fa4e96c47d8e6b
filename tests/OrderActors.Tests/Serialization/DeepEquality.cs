using System.Collections;
using System.Reflection;
using Xunit.Sdk;

namespace OrderActors.Tests.Serialization;

/// <summary>
/// Compares two values field by field (public properties, recursively), naming the path of the first difference:
/// lists element by element, dictionaries key by key, byte arrays byte by byte, and a <see cref="DateTimeOffset"/> by
/// its instant and its offset (its own equality ignores the offset). Records holding lists compare by reference, so
/// their own Equals cannot tell whether a value read back from stored bytes is the value that was stored.
/// </summary>
internal static class DeepEquality
{
    public static void AssertEqual(object? expected, object? actual, string path = "$")
    {
        if (expected is null || actual is null)
        {
            if (expected is not null || actual is not null) Fail(path, expected, actual);
            return;
        }
        var type = expected.GetType();
        // a list is a list whatever its class (an array written, a List read back); anything else must be the same type
        var bothLists = expected is IEnumerable and not string && actual is IEnumerable and not string && expected is not byte[];
        if (type != actual.GetType() && !bothLists)
            throw new XunitException($"{path}: expected a {type.Name}, got a {actual.GetType().Name}");

        switch (expected)
        {
            case DateTimeOffset e:
                var a = (DateTimeOffset)actual;
                if (e.UtcTicks != a.UtcTicks || e.Offset != a.Offset) Fail(path, e.ToString("O"), a.ToString("O"));
                return;
            case decimal e:
                // 14.0 and 14 are equal decimals but are stored differently: the stored form keeps the scale
                if (e != (decimal)actual || e.Scale != ((decimal)actual).Scale) Fail(path, e, actual);
                return;
            case string or bool or char or Enum or DateTime or TimeSpan or Guid:
            case var _ when type.IsPrimitive:
                if (!expected.Equals(actual)) Fail(path, expected, actual);
                return;
            case byte[] e:
                var bytes = (byte[])actual;
                if (!e.AsSpan().SequenceEqual(bytes)) throw new XunitException($"{path}: {e.Length} bytes expected, {bytes.Length} read, or they differ");
                return;
            case IDictionary e:
                var d = actual as IDictionary ?? throw new XunitException($"{path}: expected a dictionary, got a {actual.GetType().Name}");
                if (e.Count != d.Count) throw new XunitException($"{path}: {e.Count} entries expected, {d.Count} read");
                foreach (DictionaryEntry entry in e)
                {
                    if (!d.Contains(entry.Key)) throw new XunitException($"{path}: key {entry.Key} missing");
                    AssertEqual(entry.Value, d[entry.Key], $"{path}[{entry.Key}]");
                }
                return;
            case IEnumerable e:
                var (left, right) = (e.Cast<object?>().ToList(), ((IEnumerable)actual).Cast<object?>().ToList());
                if (left.Count != right.Count) throw new XunitException($"{path}: {left.Count} items expected, {right.Count} read");
                for (var i = 0; i < left.Count; i++) AssertEqual(left[i], right[i], $"{path}[{i}]");
                return;
        }

        var properties = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanRead && p.GetIndexParameters().Length == 0 && p.Name != "EqualityContract").ToList();
        // (a type without public properties, a marker such as StopEntity, is equal by its type alone)
        foreach (var property in properties)
            AssertEqual(property.GetValue(expected), property.GetValue(actual), $"{path}.{property.Name}");
    }

    private static void Fail(string path, object? expected, object? actual) =>
        throw new XunitException($"{path}: expected {expected ?? "null"}, read {actual ?? "null"}");
}
