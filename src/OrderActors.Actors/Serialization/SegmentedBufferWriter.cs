using System.Buffers;

namespace OrderActors.Actors.Serialization;

/// <summary>
/// An <see cref="IBufferWriter{T}"/> over pooled 64 kB segments, for payloads of unknown size that run to megabytes
/// (snapshots). Growing one contiguous buffer by doubling leaves a trail of large-object-heap arrays, and renting
/// one of the whole size from the shared pool keeps it there afterwards; segments stay below the large-object
/// threshold and go back to the pool. <see cref="ToArray"/> makes the one array of the exact size.
/// </summary>
public sealed class SegmentedBufferWriter : IBufferWriter<byte>, IDisposable
{
    private const int SegmentSize = 64 * 1024;
    private readonly List<(byte[] Segment, int Length)> _full = new();
    private byte[] _current = ArrayPool<byte>.Shared.Rent(SegmentSize);
    private int _used;

    public long WrittenCount { get; private set; }

    public void Advance(int count)
    {
        if (count < 0 || _used + count > _current.Length) throw new ArgumentOutOfRangeException(nameof(count));
        _used += count;
        WrittenCount += count;
    }

    public Memory<byte> GetMemory(int sizeHint = 0) => _current.AsMemory(Reserve(sizeHint));

    public Span<byte> GetSpan(int sizeHint = 0) => _current.AsSpan(Reserve(sizeHint));

    /// <summary>Makes room for at least <paramref name="sizeHint"/> bytes (at least one) and returns where they start.</summary>
    private int Reserve(int sizeHint)
    {
        var needed = Math.Max(1, sizeHint);
        if (_current.Length - _used >= needed) return _used;
        // the writer asks for room for its next token: start a new segment (big enough for it) and keep the full one
        if (_used > 0) _full.Add((_current, _used));
        else ArrayPool<byte>.Shared.Return(_current);
        _current = ArrayPool<byte>.Shared.Rent(Math.Max(SegmentSize, needed));
        _used = 0;
        return 0;
    }

    public byte[] ToArray()
    {
        var result = GC.AllocateUninitializedArray<byte>(checked((int)WrittenCount));
        var at = 0;
        foreach (var (segment, length) in _full)
        {
            segment.AsSpan(0, length).CopyTo(result.AsSpan(at));
            at += length;
        }
        _current.AsSpan(0, _used).CopyTo(result.AsSpan(at));
        return result;
    }

    public void Dispose()
    {
        foreach (var (segment, _) in _full) ArrayPool<byte>.Shared.Return(segment);
        _full.Clear();
        if (_current.Length > 0) ArrayPool<byte>.Shared.Return(_current);
        _current = [];
    }
}
