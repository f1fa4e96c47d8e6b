namespace OrderActors.Domain.Ingest;

/// <summary>
/// A first queue's journal event that stored a batch of accepted orders: the orders from offset
/// <paramref name="FirstOffset"/> on (up to the next batch's first offset), under journal sequence number
/// <paramref name="SequenceNr"/> of that first queue. A hand-off names the batches of its orders so that a unit queue can
/// record each order as a reference to where its body is stored, instead of storing the body again.
/// </summary>
public readonly record struct StoredBatch(long FirstOffset, long SequenceNr)
{
    /// <summary>The sequence number of the batch that holds <paramref name="offset"/> among <paramref name="batches"/> (in offset order), or null when they do not cover it.</summary>
    public static long? Holding(IReadOnlyList<StoredBatch> batches, long offset)
    {
        for (var i = batches.Count - 1; i >= 0; i--)
            if (batches[i].FirstOffset <= offset) return batches[i].SequenceNr;
        return null;
    }
}
