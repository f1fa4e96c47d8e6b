using OrderActors.Domain.Ingest;

namespace OrderActors.Tests.Domain;

public class OrderIdIndexTests
{
    [Fact]
    public void Ids_map_to_their_offsets_in_the_order_added_across_table_growth_and_arena_chunks()
    {
        var index = new OrderIdIndex();
        // 300,000 ids of ~12 bytes fill several 256 kB chunks and resize the table many times
        for (var i = 1; i <= 300_000; i++) index.Add($"SO-{i:D9}", (ulong)i * 31);
        Assert.Equal(300_000, index.Count);
        Assert.Equal(300_000, index.LastOffset);
        foreach (var i in new[] { 1, 2, 21_845, 150_000, 300_000 })
        {
            Assert.True(index.TryGet($"SO-{i:D9}", out var offset, out var fingerprint));
            Assert.Equal((i, (ulong)i * 31), (offset, fingerprint));
        }
        Assert.False(index.Contains("SO-000300001"));
        Assert.False(index.Contains("so-000000001")); // ordinal, as order ids are
    }

    [Fact]
    public void Ids_of_one_first_queue_all_share_their_queue_hash_residue_and_are_all_found()
    {
        // the ids a first queue holds have the same FNV-1a residue (that is how they reached it): the index hashes
        // them with another function, so they spread over its table
        var ids = Enumerable.Range(0, 200_000).Select(i => $"order-{i}")
            .Where(id => OrderActors.Domain.Orders.QueueAssignment.Fnv1a(id) % 4 == 1).ToList();
        var index = new OrderIdIndex();
        foreach (var id in ids) index.Add(id, 1);
        Assert.All(ids, id => Assert.True(index.Contains(id)));
        Assert.Equal(ids.Count, index.Count);
    }

    [Fact]
    public void An_id_is_added_once_and_long_or_non_ascii_ids_are_kept_exactly()
    {
        var index = new OrderIdIndex();
        var longest = new string('\u20AC', 64); // 64 chars of 3 UTF-8 bytes each
        index.Add("Bestellung-Größe-1", 7);
        index.Add(longest, 8);
        index.Add("", 9);
        Assert.Throws<InvalidOperationException>(() => index.Add("Bestellung-Größe-1", 7));
        Assert.True(index.TryGet(longest, out var offset, out _));
        Assert.Equal(2, offset);
        Assert.True(index.TryGet("", out offset, out _));
        Assert.Equal(3, offset);
        Assert.False(index.Contains("Bestellung-Grosse-1"));
    }

    [Fact]
    public void The_compact_bytes_restore_the_same_index()
    {
        var index = new OrderIdIndex();
        for (var i = 1; i <= 40_000; i++) index.Add($"id-{i}-\u00e9", ulong.MaxValue - (ulong)i);
        var bytes = index.Write();
        Assert.InRange(bytes.Length, 40_000 * 9, 40_000 * 25); // ~20 bytes per order

        var restored = OrderIdIndex.Read(bytes);
        Assert.Equal(index.Count, restored.Count);
        Assert.True(restored.TryGet("id-39999-\u00e9", out var offset, out var fingerprint));
        Assert.Equal((39_999L, ulong.MaxValue - 39_999), (offset, fingerprint));
        restored.Add("next", 1);
        Assert.Equal(40_001, restored.LastOffset);
        Assert.Throws<FormatException>(() => OrderIdIndex.Read([.. bytes, 0]));
    }
}
