using Akka.Configuration;
using OrderActors.Actors.Configuration;

namespace OrderActors.Actors.Ingest;

/// <summary>The first queues' options, read from <c>orderactors.ingest</c> (defaults in <c>hocon/orderactors.hocon</c>).</summary>
public sealed record IngestOptions
{
    /// <summary>Number of first queues; an order goes to FNV-1a(orderId) mod this.</summary>
    public required int Queues { get; init; }
    /// <summary>Zero: adaptive (group commit). Positive: each batch is held open this long.</summary>
    public required TimeSpan BatchWindow { get; init; }
    public required int BatchMaxOrders { get; init; }
    /// <summary>At most this many orders go to the router in one delivery.</summary>
    public required int DeliveryBatchMax { get; init; }
    /// <summary>A delivery not confirmed by every target unit queue within this time is sent again.</summary>
    public required TimeSpan DeliveryTimeout { get; init; }
    /// <summary>Back-pressure: a first queue holding this many orders not yet handed on answers new ones 429.</summary>
    public required int MaxPending { get; init; }
    /// <summary>How many delivered orders stay in memory (older ones are read back from the journal).</summary>
    public required int RetainDelivered { get; init; }
    /// <summary>The least number of orders between two snapshots.</summary>
    public required int SnapshotEvery { get; init; }
    /// <summary>The delivery marker is stored once per this many confirmed orders...</summary>
    public required int MarkerEvery { get; init; }
    /// <summary>...and this long after delivery caught up.</summary>
    public required TimeSpan MarkerIdle { get; init; }
    /// <summary>How long a request waits for its first queue to store its orders before it is answered 503.</summary>
    public required TimeSpan SubmitTimeout { get; init; }
    /// <summary>How often each node wakes every first queue so that unfinished work resumes after a crash.</summary>
    public required TimeSpan WakeInterval { get; init; }
    /// <summary>A node lets at most this many full batches wait for one first queue; past it new orders for that queue are answered 429.</summary>
    public required int MaxWaitingBatches { get; init; }
    /// <summary>A first queue that throttled orders counts as full on a node this long (then requests may try it again).</summary>
    public required TimeSpan FullFor { get; init; }
    /// <summary>The first queues' own journal and snapshot store (empty: the default ones).</summary>
    public required string JournalPlugin { get; init; }
    public required string SnapshotPlugin { get; init; }

    public static IngestOptions From(Config config)
    {
        var root = HoconSection.Of(config, "orderactors");
        var ingest = root.Section("ingest");
        var options = new IngestOptions
        {
            Queues = ingest.Int("queues", 1, 1024),
            BatchWindow = ingest.Duration("batch-window"),
            BatchMaxOrders = ingest.Int("batch-max-orders", 1),
            DeliveryBatchMax = ingest.Int("delivery-batch-max", 1),
            DeliveryTimeout = ingest.Duration("delivery-timeout", TimeSpan.FromMilliseconds(1)),
            SubmitTimeout = ingest.Duration("submit-timeout", TimeSpan.FromMilliseconds(1)),
            MaxPending = ingest.Int("max-pending", 1),
            RetainDelivered = ingest.Int("retain-delivered", 0),
            SnapshotEvery = ingest.Int("snapshot-every", 1),
            MarkerEvery = ingest.Int("marker-every", 1),
            MarkerIdle = ingest.Duration("marker-idle"),
            WakeInterval = root.Duration("wake-interval", TimeSpan.FromMilliseconds(1)),
            MaxWaitingBatches = ingest.Int("max-waiting-batches", 1),
            FullFor = ingest.Duration("full-for", TimeSpan.FromMilliseconds(1)),
            JournalPlugin = ingest.String("journal-plugin"),
            SnapshotPlugin = ingest.String("snapshot-plugin"),
        };
        if (options.MaxPending < options.BatchMaxOrders)
            throw ingest.Invalid("max-pending", $"({options.MaxPending}) must be at least batch-max-orders ({options.BatchMaxOrders})");
        return options;
    }
}
