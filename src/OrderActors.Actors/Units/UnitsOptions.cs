using Akka.Configuration;
using OrderActors.Actors.Configuration;
using OrderActors.Actors.Serialization;

namespace OrderActors.Actors.Units;

/// <summary>The unit queues' options, read from <c>orderactors.units</c> (defaults in <c>hocon/orderactors.hocon</c>).</summary>
public sealed record UnitsOptions
{
    /// <summary>At this many orders recorded and not processed, new deliveries are held until the backlog drains.</summary>
    public required int MaxBacklog { get; init; }
    /// <summary>How many processed orders stay in memory (older ones are read back from the journal).</summary>
    public required int RetainProcessed { get; init; }
    /// <summary>A snapshot every this many recorded orders, or up to twice as many (staggered per queue).</summary>
    public required int SnapshotEvery { get; init; }
    /// <summary>At most this many orders are processed as one batch.</summary>
    public required int ProcessBatchMax { get; init; }
    /// <summary>Stock moves no inventory partition confirmed within this time are sent again.</summary>
    public required TimeSpan StockMoveTimeout { get; init; }
    /// <summary>At most this many feed reads of one queue wait for new orders at once; past it a read is answered at once.</summary>
    public required int MaxFeedWaiters { get; init; }
    /// <summary>How often each node wakes every unit queue so that unfinished work resumes after a crash.</summary>
    public required TimeSpan WakeInterval { get; init; }
    /// <summary>Record orders as references to their first queue's events (binary format 3 on), not their bodies again.</summary>
    public bool StoreReferences { get; init; }
    /// <summary>The journal the first queues write to, where the bodies of orders recorded by reference are read (empty: the default journal).</summary>
    public string FirstQueueJournal { get; init; } = "";

    public static UnitsOptions From(Config config)
    {
        var root = HoconSection.Of(config, "orderactors");
        var units = root.Section("units");
        return new UnitsOptions
        {
            MaxBacklog = units.Int("max-backlog", 1),
            RetainProcessed = units.Int("retain-processed", 0),
            SnapshotEvery = units.Int("snapshot-every", 1),
            ProcessBatchMax = units.Int("process-batch-max", 1),
            StockMoveTimeout = units.Duration("stock-move-timeout", TimeSpan.FromMilliseconds(1)),
            MaxFeedWaiters = units.Int("max-feed-waiters", 1),
            WakeInterval = root.Duration("wake-interval", TimeSpan.FromMilliseconds(1)),
            StoreReferences = OrderActorsSerializer.BinaryFormat(config) >= BinaryCodec.ReferencesVersion,
            FirstQueueJournal = root.Section("ingest").String("journal-plugin"),
        };
    }
}
