using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace OrderActors.Bench;

/// <summary>
/// Orders built from the Northwind sample catalog: 1–5 lines of distinct products, product popularity
/// Zipf-distributed (s = 1), codes drawn by the mix weights. Deterministic for a seed.
/// </summary>
public sealed class OrderGenerator
{
    private readonly string[] _skus;
    private readonly double[] _skuCdf;
    private readonly string[] _codes;
    private readonly double[] _codeCdf;
    private readonly string _runId;
    private readonly int _seed;

    public OrderGenerator(string catalogJson, IReadOnlyDictionary<string, double> mix, int seed)
    {
        var catalog = JsonNode.Parse(catalogJson)!;
        _skus = catalog["products"]!.AsArray().Select(p => (string)p!["sku"]!).ToArray();
        var random = new Random(seed);
        random.Shuffle(_skus); // which product is popular is random, its popularity curve is Zipf
        _skuCdf = Cdf(_skus.Select((_, rank) => 1.0 / (rank + 1)));
        _codes = mix.Where(kv => kv.Value > 0).Select(kv => kv.Key).ToArray();
        _codeCdf = Cdf(_codes.Select(c => mix[c]));
        _runId = Guid.NewGuid().ToString("N")[..6];
        _seed = seed;
    }

    /// <summary>
    /// A generator seed for one order, the same in every process and run (HashCode.Combine is seeded per process, so
    /// a run could not be repeated): SplitMix64's finaliser over the seed, the order's index and a stream number.
    /// </summary>
    private static int Mix(int seed, int index, int stream)
    {
        var z = ((ulong)(uint)seed << 32 | (uint)index) + (ulong)stream * 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return (int)(z ^ (z >> 31));
    }

    public string OrderId(int index) => $"bench-{_runId}-{index}";

    public string CodeOf(int index) => _codes[Pick(_codeCdf, new Random(Mix(_seed, index, 1)).NextDouble())];

    /// <summary>Writes order <paramref name="index"/> as JSON.</summary>
    public void Write(Utf8JsonWriter json, int index)
    {
        var random = new Random(Mix(_seed, index, 0));
        json.WriteStartObject();
        json.WriteString("orderId", OrderId(index));
        json.WriteString("businessCode", CodeOf(index));
        json.WriteString("customerId", "BENCH");
        json.WriteStartArray("lines");
        Span<int> chosen = stackalloc int[5];
        var count = random.Next(1, 6);
        for (var line = 0; line < count; line++)
        {
            int product;
            do product = Pick(_skuCdf, random.NextDouble()); while (chosen[..line].Contains(product));
            chosen[line] = product;
            json.WriteStartObject();
            json.WriteString("sku", _skus[product]);
            json.WriteNumber("quantity", random.Next(1, 21));
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }

    /// <summary>The body of one request: the order with the one index given, or a JSON array of the orders with these indexes.</summary>
    public byte[] Body(IReadOnlyList<int> indexes, bool asArray)
    {
        var buffer = new ArrayBufferWriter<byte>(512 * indexes.Count);
        using (var json = new Utf8JsonWriter(buffer))
        {
            if (asArray) json.WriteStartArray();
            foreach (var i in indexes) Write(json, i);
            if (asArray) json.WriteEndArray();
        }
        return buffer.WrittenSpan.ToArray();
    }

    private static double[] Cdf(IEnumerable<double> weights)
    {
        var w = weights.ToArray();
        var total = w.Sum();
        var cdf = new double[w.Length];
        double running = 0;
        for (var i = 0; i < w.Length; i++) cdf[i] = (running += w[i]) / total;
        return cdf;
    }

    private static int Pick(double[] cdf, double u)
    {
        var i = Array.BinarySearch(cdf, u);
        return Math.Min(i < 0 ? ~i : i, cdf.Length - 1);
    }
}
