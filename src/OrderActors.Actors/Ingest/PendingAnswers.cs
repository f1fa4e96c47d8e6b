using Akka.Actor;
using OrderActors.Domain.Ingest;
using static OrderActors.Actors.Ingest.IngestProtocol;

namespace OrderActors.Actors.Ingest;

/// <summary>
/// The answers of a first queue's batches being stored, oldest first: each batch's submitters are answered when its
/// write is stored (the journal calls back in the order the writes were made), or every one as not stored when the
/// journal fails a write.
/// </summary>
public sealed class PendingAnswers(int queue)
{
    private readonly Queue<List<(IActorRef ReplyTo, SubmitResults Results)>> _batches = new();

    /// <summary>Queues the answers of a closed batch (<see cref="IntakeBatch{TReplyTo}.Close"/>), to be sent once it is stored.</summary>
    public void Add(IReadOnlyList<(IActorRef ReplyTo, IReadOnlyList<Submission> Orders, AdmitDecision[] Decisions)> answers)
    {
        var replies = new List<(IActorRef ReplyTo, SubmitResults Results)>(answers.Count);
        foreach (var (replyTo, orders, decisions) in answers)
        {
            var outcomes = new SubmitOutcome[orders.Count];
            for (var i = 0; i < outcomes.Length; i++) outcomes[i] = new SubmitOutcome(orders[i].Order.OrderId, decisions[i], queue);
            replies.Add((replyTo, new SubmitResults(outcomes)));
        }
        _batches.Enqueue(replies);
    }

    /// <summary>The oldest batch is stored: answers its submitters.</summary>
    public void AnswerOldest()
    {
        foreach (var (replyTo, results) in _batches.Dequeue()) replyTo.Tell(results);
    }

    /// <summary>
    /// The journal failed a write: answers every batch being stored, and the submissions still <paramref name="waiting"/>,
    /// as not stored (throttled ones keep their answer); how many orders were answered.
    /// </summary>
    public int AnswerUnstored(IEnumerable<(IReadOnlyList<Submission> Orders, IActorRef ReplyTo)> waiting)
    {
        var orders = 0;
        while (_batches.TryDequeue(out var replies))
            foreach (var (replyTo, results) in replies)
            {
                replyTo.Tell(new SubmitResults(results.Outcomes.Select(o => o.Decision == AdmitDecision.Throttled ? o : o with { Decision = AdmitDecision.Unavailable }).ToList()));
                orders += results.Outcomes.Count;
            }
        foreach (var (submitted, replyTo) in waiting)
        {
            replyTo.Tell(SubmitResults.NotStored(submitted, queue));
            orders += submitted.Count;
        }
        return orders;
    }
}
