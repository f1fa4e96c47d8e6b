using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.Serialization;
using System.Text;

namespace OrderActors.Actors.Serialization;

/// <summary>
/// The primitives of our compact binary form (used for the messages that carry whole orders, see
/// <see cref="OrderCodec"/>): unsigned LEB128 varints for counts, offsets and lengths; zigzag varints for quantities
/// and signed numbers; strings as varint UTF-8 length (+1, so that 0 is null) then the bytes; timestamps as UTC ticks
/// (8 bytes) plus the offset in minutes (zigzag varint); decimals as their four 32-bit parts. Each payload starts
/// with a format version byte, so the form can evolve while old events stay readable; a reader refuses a damaged
/// payload (a count or length beyond the bytes left, truncation, trailing bytes) before allocating for it.
/// </summary>
public static class BinaryCodec
{
    /// <summary>
    /// The newest format, the one written unless told otherwise: 2 adds each accepted order's origin (the receiving
    /// node and the OMS's <c>traceparent</c>); 3 adds the stored batches a hand-off names, and with it the unit queues'
    /// events that record orders by reference; 4 adds the routing version a hand-off was routed by, which each unit
    /// queue entry keeps. Every format up to it is read.
    /// </summary>
    public const byte Version = 4;

    /// <summary>The first format whose unit queues record orders by reference (see <c>OrderRefsQueued</c>).</summary>
    public const byte ReferencesVersion = 3;

    /// <summary>The first format that carries routing versions (read as version 1, the configured table, before it).</summary>
    public const byte RoutingVersionsVersion = 4;

    /// <summary>The first format, without the orders' origin.</summary>
    public const byte FirstVersion = 1;

    // --- writing --------------------------------------------------------------------------------

    /// <param name="version">the format to write (<see cref="FirstVersion"/>…<see cref="Version"/>): an older one leaves out what it did not have</param>
    public ref struct Writer(IBufferWriter<byte> output, byte version = Version)
    {
        private readonly IBufferWriter<byte> _output = output;

        /// <summary>The format being written.</summary>
        public readonly byte Version = version;

        public void Byte(byte value)
        {
            _output.GetSpan(1)[0] = value;
            _output.Advance(1);
        }

        public void VarLong(ulong value)
        {
            var span = _output.GetSpan(10);
            var i = 0;
            while (value >= 0x80)
            {
                span[i++] = (byte)(value | 0x80);
                value >>= 7;
            }
            span[i++] = (byte)value;
            _output.Advance(i);
        }

        public void Count(int value) => VarLong((ulong)value);

        public void Signed(long value) => VarLong((ulong)((value << 1) ^ (value >> 63)));

        public void String(string? value)
        {
            if (value is null)
            {
                VarLong(0);
                return;
            }
            var length = Encoding.UTF8.GetByteCount(value);
            VarLong((ulong)length + 1);
            Encoding.UTF8.GetBytes(value, _output.GetSpan(length));
            _output.Advance(length);
        }

        public void Timestamp(DateTimeOffset value)
        {
            BinaryPrimitives.WriteInt64LittleEndian(_output.GetSpan(8), value.UtcTicks);
            _output.Advance(8);
            Signed((long)value.Offset.TotalMinutes);
        }

        public void Timestamp(DateTimeOffset? value)
        {
            Byte(value.HasValue ? (byte)1 : (byte)0);
            if (value is { } v) Timestamp(v);
        }

        public void Decimal(decimal? value)
        {
            Byte(value.HasValue ? (byte)1 : (byte)0);
            if (value is not { } d) return;
            Span<int> parts = stackalloc int[4];
            decimal.GetBits(d, parts);
            var span = _output.GetSpan(16);
            for (var i = 0; i < 4; i++) BinaryPrimitives.WriteInt32LittleEndian(span[(i * 4)..], parts[i]);
            _output.Advance(16);
        }

        /// <summary>A rising list of numbers (sequence numbers, offsets) as the differences between neighbours.</summary>
        public void Rising(IReadOnlyList<long> values)
        {
            Count(values.Count);
            long previous = 0;
            foreach (var value in values)
            {
                Signed(value - previous);
                previous = value;
            }
        }

        public void NullableLong(long? value)
        {
            Byte(value.HasValue ? (byte)1 : (byte)0);
            if (value is { } v) Signed(v);
        }

    }

    // --- reading --------------------------------------------------------------------------------

    public ref struct Reader(ReadOnlySpan<byte> input)
    {
        private ReadOnlySpan<byte> _input = input;

        /// <summary>The payload's format, once <see cref="ExpectVersion"/> has read it.</summary>
        public byte Version { get; private set; } = BinaryCodec.Version;

        public byte Byte()
        {
            if (_input.IsEmpty) throw Truncated();
            var value = _input[0];
            _input = _input[1..];
            return value;
        }

        public ulong VarLong()
        {
            ulong value = 0;
            for (var shift = 0; shift < 64; shift += 7)
            {
                var b = Byte();
                value |= (ulong)(b & 0x7F) << shift;
                if (b < 0x80) return value;
            }
            throw new SerializationException("malformed varint in an order payload");
        }

        public int Count()
        {
            var value = VarLong();
            return value <= int.MaxValue ? (int)value : throw new SerializationException($"count {value} out of range in an order payload");
        }

        /// <summary>
        /// The number of items in a list that follows. Each item takes at least a byte, so a count beyond the bytes
        /// left is damage, and is refused before anything is allocated for it.
        /// </summary>
        public int Items()
        {
            var count = Count();
            return count <= _input.Length
                ? count
                : throw new SerializationException($"a list of {count} items in an order payload with {_input.Length} bytes left (damaged)");
        }

        public long Signed()
        {
            var raw = VarLong();
            return (long)(raw >> 1) ^ -(long)(raw & 1);
        }

        public string? NullableString()
        {
            var length = VarLong();
            if (length == 0) return null;
            if (length - 1 > (ulong)_input.Length) throw Truncated();
            var bytes = Take((int)(length - 1));
            return Encoding.UTF8.GetString(bytes);
        }

        public string String() => NullableString() ?? throw new SerializationException("a required string is null in an order payload");

        public DateTimeOffset Timestamp()
        {
            var ticks = BinaryPrimitives.ReadInt64LittleEndian(Take(8));
            var minutes = Signed();
            // what the writer can write: an offset of at most ±14 h, a UTC time DateTimeOffset can hold
            if (minutes is < -14 * 60 or > 14 * 60 || ticks < DateTimeOffset.MinValue.UtcTicks || ticks > DateTimeOffset.MaxValue.UtcTicks)
                throw new SerializationException($"a timestamp out of range in an order payload (ticks {ticks}, offset {minutes} min)");
            var offset = TimeSpan.FromMinutes(minutes);
            var local = ticks + offset.Ticks;
            if (local < DateTime.MinValue.Ticks || local > DateTime.MaxValue.Ticks)
                throw new SerializationException($"a timestamp out of range in an order payload (ticks {ticks}, offset {minutes} min)");
            return new DateTimeOffset(local, offset);
        }

        /// <summary>A signed value that must fit an int (a quantity).</summary>
        public int Int()
        {
            var value = Signed();
            return value is >= int.MinValue and <= int.MaxValue ? (int)value : throw new SerializationException($"{value} out of range for an int in an order payload");
        }

        public DateTimeOffset? NullableTimestamp() => Byte() == 0 ? null : Timestamp();

        public decimal? NullableDecimal()
        {
            if (Byte() == 0) return null;
            var bytes = Take(16);
            Span<int> parts = stackalloc int[4];
            for (var i = 0; i < 4; i++) parts[i] = BinaryPrimitives.ReadInt32LittleEndian(bytes[(i * 4)..]);
            // the flags word holds only a sign bit and a scale of 0–28; anything else is not a decimal
            if ((parts[3] & 0x7F00FFFF) != 0 || ((parts[3] >> 16) & 0xFF) > 28)
                throw new SerializationException("a decimal with invalid flags in an order payload");
            return new decimal(parts);
        }

        public IReadOnlyList<long> Rising()
        {
            var values = new long[Items()];
            long previous = 0;
            for (var i = 0; i < values.Length; i++) values[i] = previous += Signed();
            return values;
        }

        public long? NullableLong() => Byte() == 0 ? null : Signed();

        /// <summary>Reads the format version byte at the start of a payload: one this node reads.</summary>
        public void ExpectVersion(string manifest)
        {
            var version = Byte();
            if (version > BinaryCodec.Version)
                throw new SerializationException($"manifest '{manifest}': order payload format {version} is newer than this node reads ({BinaryCodec.Version})");
            if (version < FirstVersion)
                throw new SerializationException($"manifest '{manifest}': order payload format {version} is not a format of ours");
            Version = version;
        }

        /// <summary>Throws unless the whole payload was read (a payload with trailing bytes is not what it claims to be).</summary>
        public void ExpectEnd(string manifest)
        {
            if (!_input.IsEmpty) throw new SerializationException($"manifest '{manifest}': {_input.Length} bytes left over in an order payload");
        }

        private ReadOnlySpan<byte> Take(int count)
        {
            if (_input.Length < count) throw Truncated();
            var taken = _input[..count];
            _input = _input[count..];
            return taken;
        }

        private static SerializationException Truncated() => new("an order payload ends early (truncated or not in this format)");
    }
}
