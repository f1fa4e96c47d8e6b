using System.Buffers.Binary;
using System.Text;

namespace OrderActors.Domain.Ingest;

/// <summary>
/// The id index of one first queue: every order id it accepted, with the order's offset and a 64-bit content
/// fingerprint, in about 30 bytes per order and without one object per order (a dictionary of strings took ~100
/// bytes and a million objects for the GC to trace). Ids are appended in offset order and offsets are gapless from
/// 1, so entry <c>i</c> is the order at offset <c>i + 1</c> and offsets are not stored. Ids live as UTF-8 in
/// chunks of an arena (each prefixed with its length); an open-addressing table maps a hash to entries.
/// <see cref="Write"/> and <see cref="Read"/> give the compact bytes a snapshot carries.
/// </summary>
public sealed class OrderIdIndex
{
    /// <summary>The longest id in UTF-8 bytes (64 UTF-16 chars are at most 192 bytes): its length fits one byte.</summary>
    public const int MaxIdBytes = 255;

    private const int ChunkSize = 256 * 1024;
    private const int EmptySlot = 0;

    private readonly List<byte[]> _chunks = new();
    private int _chunkUsed = ChunkSize; // no chunk yet: the first id starts one
    private int[] _positions = new int[1024];     // per entry: chunk * ChunkSize + where its length byte is
    private int[] _hashes = new int[1024];        // per entry: its id's hash (resizing the table reads no ids)
    private ulong[] _fingerprints = new ulong[1024];
    private int[] _slots = new int[2048];         // entry + 1, or EmptySlot
    private int _count;

    public int Count => _count;

    /// <summary>The offset of the last entry (0 when empty).</summary>
    public long LastOffset => _count;

    /// <summary>The offset and fingerprint stored for <paramref name="orderId"/>, if it is in the index.</summary>
    public bool TryGet(string orderId, out long offset, out ulong fingerprint)
    {
        Span<byte> id = stackalloc byte[MaxIdBytes];
        var length = Encode(orderId, id);
        var entry = FindEntry(id[..length], Hash(id[..length]));
        (offset, fingerprint) = entry < 0 ? (0, 0) : (entry + 1L, _fingerprints[entry]);
        return entry >= 0;
    }

    public bool Contains(string orderId) => TryGet(orderId, out _, out _);

    /// <summary>Adds the order at offset <see cref="LastOffset"/> + 1; its id must not be in the index yet.</summary>
    public void Add(string orderId, ulong fingerprint)
    {
        Span<byte> id = stackalloc byte[MaxIdBytes];
        var length = Encode(orderId, id);
        Add(id[..length], fingerprint);
    }

    private void Add(ReadOnlySpan<byte> id, ulong fingerprint)
    {
        var hash = Hash(id);
        if (FindEntry(id, hash) >= 0) throw new InvalidOperationException($"order id '{Encoding.UTF8.GetString(id)}' is already in the index");
        if (_count == _positions.Length) ResizeEntries(_count * 2);
        if ((_count + 1) * 10L > _slots.Length * 7L) Rehash(_slots.Length * 2);

        if (_chunkUsed + 1 + id.Length > ChunkSize)
        {
            _chunks.Add(new byte[ChunkSize]);
            _chunkUsed = 0;
        }
        var chunk = _chunks[^1];
        chunk[_chunkUsed] = (byte)id.Length;
        id.CopyTo(chunk.AsSpan(_chunkUsed + 1));
        _positions[_count] = (_chunks.Count - 1) * ChunkSize + _chunkUsed;
        _chunkUsed += 1 + id.Length;
        _hashes[_count] = hash;
        _fingerprints[_count] = fingerprint;
        _slots[FreeSlot(hash)] = _count + 1;
        _count++;
    }

    /// <summary>The UTF-8 bytes of entry <paramref name="entry"/>'s id.</summary>
    private ReadOnlySpan<byte> IdOf(int entry)
    {
        var position = _positions[entry];
        var chunk = _chunks[position / ChunkSize];
        var at = position % ChunkSize;
        return chunk.AsSpan(at + 1, chunk[at]);
    }

    private int FindEntry(ReadOnlySpan<byte> id, int hash)
    {
        var mask = _slots.Length - 1;
        for (var slot = hash & mask; ; slot = (slot + 1) & mask)
        {
            var value = _slots[slot];
            if (value == EmptySlot) return -1;
            var entry = value - 1;
            if (_hashes[entry] == hash && IdOf(entry).SequenceEqual(id)) return entry;
        }
    }

    private int FreeSlot(int hash)
    {
        var mask = _slots.Length - 1;
        var slot = hash & mask;
        while (_slots[slot] != EmptySlot) slot = (slot + 1) & mask;
        return slot;
    }

    private void Rehash(int size)
    {
        _slots = new int[size];
        for (var entry = 0; entry < _count; entry++) _slots[FreeSlot(_hashes[entry])] = entry + 1;
    }

    /// <summary>
    /// Ids of one first queue share their FNV-1a residue (that is how they were assigned to it), so the table's
    /// hash is a different one: <see cref="HashCode"/>, seeded per process (hashes are never stored).
    /// </summary>
    private static int Hash(ReadOnlySpan<byte> id)
    {
        var hash = new HashCode();
        hash.AddBytes(id);
        return hash.ToHashCode();
    }

    private static int Encode(string orderId, Span<byte> into)
    {
        if (!Encoding.UTF8.TryGetBytes(orderId, into, out var length))
            throw new ArgumentException($"order id is longer than {MaxIdBytes} UTF-8 bytes", nameof(orderId));
        return length;
    }

    // --- the compact form a snapshot carries: count, then per entry its fingerprint (8 bytes) and its id (length + UTF-8)

    /// <summary>The index as bytes (see <see cref="Read"/>): about 20 bytes per order.</summary>
    public byte[] Write()
    {
        long size = 4;
        for (var entry = 0; entry < _count; entry++) size += 8 + 1 + IdOf(entry).Length;
        var bytes = new byte[size];
        BinaryPrimitives.WriteInt32LittleEndian(bytes, _count);
        var at = 4;
        for (var entry = 0; entry < _count; entry++)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(at), _fingerprints[entry]);
            var id = IdOf(entry);
            bytes[at + 8] = (byte)id.Length;
            id.CopyTo(bytes.AsSpan(at + 9));
            at += 9 + id.Length;
        }
        return bytes;
    }

    /// <summary>An index from the bytes <see cref="Write"/> made.</summary>
    public static OrderIdIndex Read(ReadOnlySpan<byte> bytes)
    {
        var index = new OrderIdIndex();
        var count = BinaryPrimitives.ReadInt32LittleEndian(bytes);
        index.Reserve(count);
        var at = 4;
        for (var i = 0; i < count; i++)
        {
            var fingerprint = BinaryPrimitives.ReadUInt64LittleEndian(bytes[at..]);
            var length = bytes[at + 8];
            index.Add(bytes.Slice(at + 9, length), fingerprint);
            at += 9 + length;
        }
        if (at != bytes.Length) throw new FormatException($"the order id index has {bytes.Length - at} bytes past its {count} entries");
        return index;
    }

    /// <summary>Sizes the index for <paramref name="count"/> entries at once (a restore knows how many).</summary>
    public void Reserve(int count)
    {
        if (count <= _positions.Length) return;
        ResizeEntries(count);
        var slots = _slots.Length;
        while (count * 10L > slots * 7L) slots *= 2;
        if (slots != _slots.Length) Rehash(slots);
    }

    private void ResizeEntries(int size)
    {
        Array.Resize(ref _positions, size);
        Array.Resize(ref _hashes, size);
        Array.Resize(ref _fingerprints, size);
    }
}
