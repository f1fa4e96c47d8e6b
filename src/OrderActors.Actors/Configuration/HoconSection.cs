using System.Globalization;
using Akka.Configuration;

namespace OrderActors.Actors.Configuration;

/// <summary>
/// Reads a feature's options from HOCON. The files under <c>hocon/</c> are the one place a default is written: a key
/// that is missing or out of range stops the node at start, with a message naming the key, instead of being
/// silently replaced by a value written in code.
/// </summary>
public sealed class HoconSection
{
    private readonly Config _config;

    private HoconSection(Config config, string path)
    {
        _config = config;
        Path = path;
    }

    /// <summary>The section's full path, e.g. <c>orderactors.ingest</c>.</summary>
    public string Path { get; }

    public static HoconSection Of(Config config, string path) =>
        config.HasPath(path) ? new HoconSection(config.GetConfig(path), path) : throw Missing(path);

    public HoconSection Section(string key) =>
        _config.HasPath(key) ? new HoconSection(_config.GetConfig(key), KeyOf(key)) : throw Missing(KeyOf(key));

    public bool Has(string key) => _config.HasPath(key);

    public string KeyOf(string key) => $"{Path}.{key}";

    public Config Raw => _config;

    public int Int(string key, int min = int.MinValue, int max = int.MaxValue)
    {
        var text = Value(key);
        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
            throw Invalid(key, $"must be a whole number (got '{text}')");
        if (value < min || value > max)
            throw Invalid(key, max == int.MaxValue ? $"must be at least {min} (got {value})" : $"must be {min}–{max} (got {value})");
        return value;
    }

    /// <summary>A duration such as <c>5s</c> or <c>250ms</c>, at least <paramref name="min"/> (zero by default).</summary>
    public TimeSpan Duration(string key, TimeSpan? min = null)
    {
        Value(key);
        TimeSpan value;
        try
        {
            value = _config.GetTimeSpan(key, null, allowInfinite: false);
        }
        catch (Exception e) when (e is FormatException or ConfigurationException or OverflowException or ArgumentException)
        {
            throw Invalid(key, $"must be a duration such as 5s or 250ms (got '{_config.GetString(key)}')");
        }
        var least = min ?? TimeSpan.Zero;
        if (value < least) throw Invalid(key, $"must be at least {least.TotalMilliseconds:0.###} ms (got {value.TotalMilliseconds:0.###} ms)");
        return value;
    }

    public string String(string key) => Value(key);

    public bool Bool(string key) => Value(key).ToLowerInvariant() switch
    {
        "on" or "true" or "yes" => true,
        "off" or "false" or "no" => false,
        var other => throw Invalid(key, $"must be on or off (got '{other}')"),
    };

    public IReadOnlyList<string> StringList(string key)
    {
        if (!_config.HasPath(key)) throw Missing(KeyOf(key));
        return _config.GetStringList(key).ToList();
    }

    /// <summary>The names of the sub-sections (e.g. the units under <c>routing.units</c>), in ordinal order.</summary>
    public IReadOnlyList<string> Names() =>
        _config.AsEnumerable().Select(kv => kv.Key.Split('.')[0]).Distinct().Order(StringComparer.Ordinal).ToList();

    public ConfigurationException Invalid(string key, string reason) => new($"{KeyOf(key)} {reason}");

    private string Value(string key)
    {
        if (!_config.HasPath(key)) throw Missing(KeyOf(key));
        return _config.GetString(key) ?? throw Missing(KeyOf(key));
    }

    private static ConfigurationException Missing(string path) =>
        new($"the HOCON setting {path} is missing (the files under hocon/ set every default; restore it there or in --hocon)");
}
