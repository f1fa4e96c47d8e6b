namespace OrderActors.Domain.Queues;

/// <summary>
/// The recent end of a queue, kept in memory, and an index of the journal events that stored all of it: one row
/// per event, its first position and its journal sequence number, in position order. Items older than
/// <see cref="Start"/> are no longer held; the index names the event to read them back from. A first queue keeps
/// its pending orders and the latest delivered ones this way, a unit queue its unprocessed and latest processed
/// entries.
/// </summary>
public sealed class RetainedTail<T>
{
    private readonly List<T> _items = new();
    private readonly List<(long FirstPosition, long SequenceNr)> _events = new();

    /// <summary>The position of the oldest item held (positions start at 1).</summary>
    public long Start { get; private set; } = 1;

    public int Count => _items.Count;

    public IReadOnlyList<T> Items => _items;

    /// <summary>One row per stored event, in position order.</summary>
    public IReadOnlyList<(long FirstPosition, long SequenceNr)> Events => _events;

    public T this[long position]
    {
        get => _items[Index(position)];
        set => _items[Index(position)] = value;
    }

    public void Add(T item) => _items.Add(item);

    /// <summary>Indexes the event that stored the items from <paramref name="firstPosition"/> on.</summary>
    public void AddEvent(long firstPosition, long sequenceNr) => _events.Add((firstPosition, sequenceNr));

    /// <summary>The row of the last event whose first position is at or before <paramref name="position"/> (-1: none).</summary>
    public int EventAt(long position) => _events.FindLastIndex(e => e.FirstPosition <= position);

    /// <summary>The items from <paramref name="from"/> on, <paramref name="count"/> of them (all held).</summary>
    public List<T> Range(long from, int count) => _items.GetRange(Index(from), count);

    /// <summary>
    /// Lets go of the items up to <paramref name="releasedUpTo"/> (delivered, processed) except the latest
    /// <paramref name="retain"/> of them; in chunks, since each drop shifts the whole list.
    /// </summary>
    public void Trim(long releasedUpTo, int retain)
    {
        var drop = (int)(releasedUpTo - Start + 1 - retain);
        if (drop < Math.Max(64, retain / 4)) return;
        _items.RemoveRange(0, drop);
        Start += drop;
    }

    /// <summary>The row of the event stored with journal sequence number <paramref name="sequenceNr"/> (-1: none).</summary>
    public int EventStoredAs(long sequenceNr) => _events.FindIndex(e => e.SequenceNr == sequenceNr);

    /// <summary>Restores what a snapshot holds.</summary>
    public void Restore(long start, IEnumerable<T> items, IEnumerable<(long FirstPosition, long SequenceNr)> events)
    {
        Start = start;
        _items.AddRange(items);
        _events.AddRange(events);
    }

    private int Index(long position) => (int)(position - Start);
}

/// <summary>
/// How many items go in one message that may cross the network: a delivery or a feed page is bounded by its order
/// lines (Akka.Remote drops a frame over its size), whatever its order count.
/// </summary>
public static class LinePage
{
    /// <summary>
    /// How many of the <paramref name="available"/> items from <paramref name="start"/> on fit: past the first item, at
    /// most <paramref name="maxLines"/> lines in all (a first item larger than that still goes, alone).
    /// </summary>
    public static int Count<T>(IReadOnlyList<T> items, int start, int available, int maxLines, Func<T, int> linesOf)
    {
        var count = 0;
        var lines = 0;
        while (count < available)
        {
            lines += linesOf(items[start + count]);
            if (count > 0 && lines > maxLines) break;
            count++;
        }
        return count;
    }
}
