using System.Buffers;
using System.Runtime.Serialization;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using OrderActors.Actors.Serialization;
using OrderActors.Domain.Orders;
using OrderActors.Domain.Units;
using OrderActors.Tests.Serialization;

namespace OrderActors.Tests.Properties;

/// <summary>
/// The binary order codec (what the journals store and nodes send): whatever it writes it reads back exactly, and
/// bytes it did not write (damaged, truncated, foreign) raise <see cref="SerializationException"/> and nothing else.
/// </summary>
public class BinaryCodecProperties
{
    private static readonly Gen<DateTimeOffset> Timestamps =
        from seconds in Gen.Choose(0, int.MaxValue)
        from quarters in Gen.Choose(-14 * 4, 14 * 4)
        from ticks in Gen.Choose(0, 9_999_999)
        select new DateTimeOffset(1990, 1, 1, 0, 0, 0, TimeSpan.Zero).AddSeconds(seconds).AddTicks(ticks).ToOffset(TimeSpan.FromMinutes(quarters * 15));

    // what reaches the codec passed intake or the catalog, which refuse a lone surrogate; anything else may be in it
    private static readonly Gen<string> Text = Generators.HostileText.Select(s => s.Replace("\ud800", "").Replace("\udfff", ""));

    private static readonly Gen<OrderLine> Lines =
        from sku in Text
        from quantity in ArbMap.Default.GeneratorFor<int>()
        from price in Gen.OneOf(Gen.Constant<decimal?>(null), ArbMap.Default.GeneratorFor<decimal>().Select(d => (decimal?)d))
        from product in Gen.OneOf(Gen.Constant<ProductInfo?>(null), Text.Select(n => (ProductInfo?)new ProductInfo(n)))
        from maker in Gen.OneOf(Gen.Constant<ManufacturerInfo?>(null), Gen.Zip(Generators.Printable, Text).Select(m => (ManufacturerInfo?)new ManufacturerInfo(m.Item1, m.Item2)))
        select new OrderLine(sku, quantity, price, product, maker);

    private static readonly Gen<AcceptedOrder> Accepted =
        from id in Generators.Printable
        from code in Generators.Printable
        from customer in Gen.OneOf(Gen.Constant<string?>(null), Generators.Printable.Select(c => (string?)c))
        from placedAt in Gen.OneOf(Gen.Constant<DateTimeOffset?>(null), Timestamps.Select(t => (DateTimeOffset?)t))
        from lines in Lines.ListOf()
        from queue in Gen.Choose(0, 1023)
        from offset in Gen.Choose(0, int.MaxValue)
        from at in Timestamps
        from fingerprint in Generators.Printable
        select new AcceptedOrder(new Order(id, code, customer, placedAt, lines.ToList()), queue, offset, at, fingerprint);

    private static readonly Gen<List<FeedEntry>> Entries =
        (from seq in Gen.Choose(1, int.MaxValue)
         from order in Accepted
         from queued in Timestamps
         from processed in Gen.OneOf(Gen.Constant<DateTimeOffset?>(null), Timestamps.Select(t => (DateTimeOffset?)t))
         select new FeedEntry(seq, order, queued, processed)).ListOf().Select(l => l.ToList());

    private static byte[] Write(IReadOnlyList<FeedEntry> entries)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new BinaryCodec.Writer(buffer);
        writer.Byte(BinaryCodec.Version);
        writer.Entries(entries);
        return buffer.WrittenSpan.ToArray();
    }

    private static IReadOnlyList<FeedEntry> Read(byte[] bytes)
    {
        var reader = new BinaryCodec.Reader(bytes);
        reader.ExpectVersion("test");
        var entries = reader.Entries();
        reader.ExpectEnd("test");
        return entries;
    }

    [Property(MaxTest = 300)]
    public Property What_the_codec_writes_it_reads_back_exactly() =>
        Prop.ForAll(Entries.ToArbitrary(), entries =>
        {
            DeepEquality.AssertEqual(entries, Read(Write(entries)));
            return true;
        });

    [Property(MaxTest = 1000)]
    public Property Arbitrary_bytes_raise_only_SerializationException() =>
        Prop.ForAll(Generators.Bytes.Select(b => (byte[])[BinaryCodec.Version, .. b]).ToArbitrary(), RaisesOnlySerializationException);

    [Property(MaxTest = 300)]
    public Property A_written_payload_cut_short_or_hit_anywhere_raises_only_SerializationException() =>
        Prop.ForAll((from entries in Entries.Where(e => e.Count > 0)
                     from position in Gen.Choose(0, int.MaxValue)
                     from value in ArbMap.Default.GeneratorFor<byte>()
                     from cut in ArbMap.Default.GeneratorFor<bool>()
                     select (entries, position, value, cut)).ToArbitrary(), t =>
        {
            var bytes = Write(t.entries);
            var at = t.position % bytes.Length;
            if (t.cut) return Throws(bytes[..at]); // truncated: always refused
            bytes[at] = t.value; // one byte hit: read back as something, or refused, never another exception
            return RaisesOnlySerializationException(bytes);
        });

    private static bool Throws(byte[] bytes)
    {
        try
        {
            Read(bytes);
            return false;
        }
        catch (SerializationException)
        {
            return true;
        }
    }

    private static bool RaisesOnlySerializationException(byte[] bytes)
    {
        try
        {
            Read(bytes);
        }
        catch (SerializationException)
        {
        }
        return true; // any other exception escapes and fails the property with its type and message
    }
}
