using System.Collections.Immutable;
using Akka.Actor;
using Akka.Configuration;
using Akka.Persistence;
using Akka.Persistence.Journal;
using OrderActors.Actors.Ingest;
using OrderActors.Domain.Ingest;
using Xunit.Abstractions;
using static OrderActors.Actors.Ingest.IngestProtocol;

namespace OrderActors.Tests.Actors;

/// <summary>A first queue whose journal fails every write, as it does when the disk is full or the database is gone.</summary>
public class IngestJournalFailureSpecs(ITestOutputHelper output) : Akka.TestKit.Xunit2.TestKit(Config, output: output)
{
    // the journal's own failure messages carry the exception, which the message-serialization check cannot copy
    private static readonly Config Config = ConfigurationFactory.ParseString($$"""
        akka.actor.serialize-messages = off
        failing-journal {
          class = "{{typeof(FailingJournal).AssemblyQualifiedName}}"
          plugin-dispatcher = "akka.actor.default-dispatcher"
        }
        """).WithFallback(ActorSpecConfig.Config);

    [Fact]
    public void Every_order_submitted_when_a_write_fails_is_answered_unavailable_at_once_and_the_queue_starts_again_from_its_journal()
    {
        var router = CreateTestProbe();
        var options = TestData.Settings(TimeSpan.Zero) with { JournalPlugin = "failing-journal" };
        var ingest = Sys.ActorOf(IngestActor.PropsFor(FirstQueueId.Parse("ingest-0"), router, options));
        Watch(ingest);

        // the first submission is written at once; the next two wait for that write in the following batch
        ingest.Tell(new SubmitOrders("ingest-0", [IngestActorSpecs.Submit("a"), IngestActorSpecs.Submit("b")]));
        ingest.Tell(new SubmitOrders("ingest-0", [IngestActorSpecs.Submit("c")]));
        ingest.Tell(new SubmitOrders("ingest-0", [IngestActorSpecs.Submit("d")]));

        // answered well within the ask timeout (10 s), every order as not stored
        var replies = ReceiveN(3, TimeSpan.FromSeconds(2)).Cast<SubmitResults>().ToList();
        Assert.Equal(["a", "b", "c", "d"], replies.SelectMany(r => r.Outcomes).Select(o => o.OrderId).Order());
        Assert.All(replies.SelectMany(r => r.Outcomes), o => Assert.Equal(AdmitDecision.Unavailable, o.Decision));
        ExpectTerminated(ingest);
        router.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void A_submission_that_reaches_a_stopped_first_queue_is_answered_unavailable_at_once()
    {
        var answerer = Sys.ActorOf(UndeliveredSubmissions.Props());
        // it subscribes to the dead letters as it starts: once it answers, it is listening
        answerer.Tell(new Identify(1));
        ExpectMsg<ActorIdentity>();
        var stopped = Sys.ActorOf(IngestActor.PropsFor(FirstQueueId.Parse("ingest-3"), CreateTestProbe(), TestData.Settings(TimeSpan.Zero)));
        Watch(stopped);
        Sys.Stop(stopped);
        ExpectTerminated(stopped);

        stopped.Tell(new SubmitOrders("ingest-3", [IngestActorSpecs.Submit("e"), IngestActorSpecs.Submit("f")]));
        var reply = ExpectMsg<SubmitResults>(TimeSpan.FromSeconds(2));
        Assert.Equal(["e", "f"], reply.Outcomes.Select(o => o.OrderId));
        Assert.All(reply.Outcomes, o => Assert.Equal((AdmitDecision.Unavailable, 3), (o.Decision, o.FirstQueue)));
    }

    /// <summary>A journal that takes a moment to fail every write.</summary>
    public sealed class FailingJournal : MemoryJournal
    {
        protected override async Task<IImmutableList<Exception?>> WriteMessagesAsync(IEnumerable<AtomicWrite> messages, CancellationToken cancellationToken)
        {
            await Task.Delay(300, cancellationToken);
            throw new IOException("database or disk is full");
        }
    }
}
