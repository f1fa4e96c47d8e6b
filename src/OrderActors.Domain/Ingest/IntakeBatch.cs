using OrderActors.Domain.Orders;

namespace OrderActors.Domain.Ingest;

/// <summary>One order submitted to a first queue, with the fingerprint of the content the OMS sent and where it came in.</summary>
public sealed record Submission(Order Order, string Fingerprint, OrderOrigin? Origin = null);

/// <summary>
/// The submissions a first queue gathers into its next batch, and the decision on each when the batch closes, without
/// actors. Batches are stored while the next one fills, so orders accepted but not stored yet are remembered
/// (a resend meanwhile is judged against them) and offsets run on from the last one handed out.
/// </summary>
public sealed class IntakeBatch<TReplyTo>
{
    private readonly List<(IReadOnlyList<Submission> Orders, TReplyTo ReplyTo)> _waiting = new();
    private readonly Dictionary<string, string> _unstored = new(StringComparer.Ordinal);
    private long _nextOffset;

    /// <summary>Orders waiting in the batch (not decided yet).</summary>
    public int WaitingOrders { get; private set; }

    /// <summary>The latest routing version the waiting orders were checked against (the batch is routed by it or a later one).</summary>
    public int WaitingRoutingVersion { get; private set; } = 1;

    /// <summary>The offset the next accepted order gets.</summary>
    public long NextOffset => _nextOffset + 1;

    /// <summary>Closed batches whose event is being written.</summary>
    public int BeingStored { get; private set; }

    public bool IsEmpty => _waiting.Count == 0;

    /// <summary>After recovery: offsets continue from <paramref name="lastOffset"/>.</summary>
    public void ContinueFrom(long lastOffset) => _nextOffset = lastOffset;

    public void Add(IReadOnlyList<Submission> orders, TReplyTo replyTo, int routingVersion = 1)
    {
        _waiting.Add((orders, replyTo));
        WaitingOrders += orders.Count;
        WaitingRoutingVersion = Math.Max(WaitingRoutingVersion, routingVersion);
    }

    /// <summary>
    /// Closes the batch: decides every waiting order against <paramref name="ledger"/> and the orders not stored yet.
    /// Returns the new orders (to store as one event; then call <see cref="Stored"/>) and, per submission, its
    /// decisions, to answer once the event is stored. With <paramref name="routes"/> (whether the routing version the
    /// batch goes by takes a code), a new order whose code it does not take is refused rather than stored to go nowhere.
    /// </summary>
    public (List<AcceptedOrder> Accepted, List<(TReplyTo ReplyTo, IReadOnlyList<Submission> Orders, AdmitDecision[] Decisions)> Answers)
        Close(IngestLedger ledger, int queue, int maxPending, DateTimeOffset now, Func<string, bool>? routes = null)
    {
        var accepted = new List<AcceptedOrder>();
        var answers = new List<(TReplyTo, IReadOnlyList<Submission>, AdmitDecision[])>(_waiting.Count);
        foreach (var (orders, replyTo) in _waiting)
        {
            var decisions = new AdmitDecision[orders.Count];
            for (var i = 0; i < decisions.Length; i++)
            {
                var (order, fingerprint, origin) = orders[i];
                decisions[i] = ledger.Decide(order.OrderId, fingerprint, _unstored, maxPending);
                if (decisions[i] == AdmitDecision.Accept && routes is not null && !routes(order.BusinessCode))
                {
                    _unstored.Remove(order.OrderId);
                    decisions[i] = AdmitDecision.UnknownCode;
                }
                if (decisions[i] == AdmitDecision.Accept)
                    accepted.Add(new AcceptedOrder(order, queue, ++_nextOffset, now, fingerprint, origin));
            }
            answers.Add((replyTo, orders, decisions));
        }
        _waiting.Clear();
        WaitingOrders = 0;
        if (accepted.Count > 0) BeingStored++;
        return (accepted, answers);
    }

    /// <summary>
    /// The journal failed: the submissions still waiting, to be answered as not stored. The first queue stops after
    /// a failed write and recovers from its journal, so nothing else of this batch is kept.
    /// </summary>
    public List<(IReadOnlyList<Submission> Orders, TReplyTo ReplyTo)> Abandon()
    {
        var waiting = _waiting.ToList();
        _waiting.Clear();
        WaitingOrders = 0;
        return waiting;
    }

    /// <summary>The event of a closed batch is stored: its orders are now in the ledger.</summary>
    public void Stored(IReadOnlyList<AcceptedOrder> orders)
    {
        BeingStored--;
        foreach (var order in orders) _unstored.Remove(order.OrderId);
    }
}
