using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.Serialization;
using System.Text;
using OrderActors.Domain.Orders;
using OrderActors.Domain.Units;

namespace OrderActors.Actors.Serialization;

/// <summary>
/// The compact binary form of the messages that carry whole orders: the first queues' <c>OrdersAccepted</c>, the unit
/// queues' <c>OrdersQueued</c> and snapshots, and the deliveries between them. An order is stored once per first queue and once per
/// unit queue, so its size is most of what the journals write: in JSON every line repeats its property names (about
/// 650 bytes for a 3-line enriched order), here it is values only (about 40% of that), and writing it is a straight
/// copy. Each payload starts with a format version byte, so the form can evolve while old events stay readable.
/// <para>Encoding: unsigned LEB128 varints for counts, offsets and lengths; zigzag varints for quantities; strings as
/// varint UTF-8 length (+1, so that 0 is null) then the bytes; timestamps as UTC ticks (8 bytes) plus the offset in
/// minutes (varint, zigzag); decimals as their four 32-bit parts.</para>
/// </summary>
public static class OrderBinaryCodec
{
    public const byte Version = 1;

    // --- writing --------------------------------------------------------------------------------

    public ref struct Writer(IBufferWriter<byte> output)
    {
        private readonly IBufferWriter<byte> _output = output;

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

        public void Order(Order order)
        {
            String(order.OrderId);
            String(order.BusinessCode);
            String(order.CustomerId);
            Timestamp(order.PlacedAt);
            Count(order.Lines.Count);
            foreach (var line in order.Lines)
            {
                String(line.Sku);
                Signed(line.Quantity);
                Decimal(line.UnitPrice);
                String(line.Product?.Name);
                Byte(line.Manufacturer is null ? (byte)0 : (byte)1);
                if (line.Manufacturer is { } m)
                {
                    String(m.Id);
                    String(m.Name);
                }
            }
        }

        public void Accepted(AcceptedOrder order)
        {
            Order(order.Order);
            Count(order.FirstQueue);
            VarLong((ulong)order.Offset);
            Timestamp(order.AcceptedAt);
            String(order.Fingerprint);
        }

        public void Accepted(IReadOnlyList<AcceptedOrder> orders)
        {
            Count(orders.Count);
            foreach (var order in orders) Accepted(order);
        }

        public void Entries(IReadOnlyList<FeedEntry> entries)
        {
            Count(entries.Count);
            foreach (var entry in entries)
            {
                VarLong((ulong)entry.Seq);
                Accepted(entry.Order);
                Timestamp(entry.QueuedAt);
                Timestamp(entry.ProcessedAt);
            }
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

        /// <summary>A unit queue's snapshot: its recent orders and its index of stored events (a few bytes per event).</summary>
        public void UnitState(UnitQueueState state)
        {
            Signed(state.LastSeq);
            Signed(state.ProcessedSeq);
            NullableLong(state.InProgressFrom);
            NullableLong(state.InProgressTo);
            Signed(state.TailStart);
            Entries(state.Tail);
            Count(state.RecordedUpTo.Count);
            foreach (var (queue, upTo) in state.RecordedUpTo)
            {
                Count(queue);
                Signed(upTo);
            }
            Rising(state.EventFirstSeqs);
            Rising(state.EventSequenceNrs);
            Count(state.BySource.Count);
            foreach (var source in state.BySource)
            {
                Count(source.FirstQueue);
                Rising(source.FirstOffsets);
                Rising(source.LastOffsets);
                Rising(source.SequenceNrs);
            }
            Rising(state.Marks.Select(m => m.UpTo).ToList());
            foreach (var mark in state.Marks) Timestamp(mark.At);
        }
    }

    // --- reading --------------------------------------------------------------------------------

    public ref struct Reader(ReadOnlySpan<byte> input)
    {
        private ReadOnlySpan<byte> _input = input;

        public bool AtEnd => _input.IsEmpty;

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
            var offset = TimeSpan.FromMinutes(Signed());
            return new DateTimeOffset(ticks + offset.Ticks, offset);
        }

        public DateTimeOffset? NullableTimestamp() => Byte() == 0 ? null : Timestamp();

        public decimal? NullableDecimal()
        {
            if (Byte() == 0) return null;
            var bytes = Take(16);
            Span<int> parts = stackalloc int[4];
            for (var i = 0; i < 4; i++) parts[i] = BinaryPrimitives.ReadInt32LittleEndian(bytes[(i * 4)..]);
            return new decimal(parts);
        }

        public Order Order()
        {
            var orderId = String();
            var code = String();
            var customer = NullableString();
            var placedAt = NullableTimestamp();
            var lines = new OrderLine[Items()];
            for (var i = 0; i < lines.Length; i++)
            {
                var sku = String();
                var quantity = checked((int)Signed());
                var price = NullableDecimal();
                var product = NullableString() is { } name ? new ProductInfo(name) : null;
                var manufacturer = Byte() == 0 ? null : new ManufacturerInfo(String(), String());
                lines[i] = new OrderLine(sku, quantity, price, product, manufacturer);
            }
            return new Order(orderId, code, customer, placedAt, lines);
        }

        public AcceptedOrder Accepted() =>
            new(Order(), Count(), (long)VarLong(), Timestamp(), String());

        public IReadOnlyList<AcceptedOrder> AcceptedList()
        {
            var orders = new AcceptedOrder[Items()];
            for (var i = 0; i < orders.Length; i++) orders[i] = Accepted();
            return orders;
        }

        public IReadOnlyList<FeedEntry> Entries()
        {
            var entries = new FeedEntry[Items()];
            for (var i = 0; i < entries.Length; i++)
                entries[i] = new FeedEntry((long)VarLong(), Accepted(), Timestamp(), NullableTimestamp());
            return entries;
        }

        public IReadOnlyList<long> Rising()
        {
            var values = new long[Items()];
            long previous = 0;
            for (var i = 0; i < values.Length; i++) values[i] = previous += Signed();
            return values;
        }

        public long? NullableLong() => Byte() == 0 ? null : Signed();

        public UnitQueueState UnitState()
        {
            var (lastSeq, processedSeq, from, to, tailStart) = (Signed(), Signed(), NullableLong(), NullableLong(), Signed());
            var tail = Entries();
            var recordedUpTo = new Dictionary<int, long>();
            for (var n = Items(); n > 0; n--) recordedUpTo[Count()] = Signed();
            var (eventFirstSeqs, eventSequenceNrs) = (Rising(), Rising());
            var bySource = new SourceEvents[Items()];
            for (var i = 0; i < bySource.Length; i++) bySource[i] = new SourceEvents(Count(), Rising(), Rising(), Rising());
            var markUpTo = Rising();
            var marks = new ProcessedMark[markUpTo.Count];
            for (var i = 0; i < marks.Length; i++) marks[i] = new ProcessedMark(markUpTo[i], Timestamp());
            return new UnitQueueState(lastSeq, processedSeq, from, to, tailStart, tail, recordedUpTo, eventFirstSeqs, eventSequenceNrs, bySource, marks);
        }

        /// <summary>Checks the format version byte at the start of a payload.</summary>
        public void ExpectVersion(string manifest)
        {
            var version = Byte();
            if (version != OrderBinaryCodec.Version)
                throw new SerializationException($"manifest '{manifest}': order payload format {version} is newer than this node reads ({OrderBinaryCodec.Version})");
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
