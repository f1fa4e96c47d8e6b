using Akka.Actor;
using Akka.Configuration;
using Akka.Persistence;
using Akka.Serialization;
using OrderActors.Actors.Persistence;
using Xunit.Abstractions;

namespace OrderActors.Tests.Actors;

/// <summary>
/// The group-commit journal over a real SQLite file: writes of many entities that share transactions are each
/// acknowledged, stored in order and recovered; a write rejected inside a group fails only its own entity.
/// </summary>
public sealed class GroupCommitJournalSpecs(ITestOutputHelper output) : SqliteSpec(output, ConfigFor)
{
    private static Config ConfigFor(string file) => ConfigurationFactory.ParseString($$"""
        akka.loglevel = WARNING
        akka.persistence.journal.plugin = "akka.persistence.journal.grouped"
        akka.persistence.snapshot-store.plugin = "akka.persistence.snapshot-store.inmem"
        akka.persistence.journal.grouped {
          plugin-id = "akka.persistence.journal.grouped"
          connection-string = "Data Source={{file}}"
          provider-name = "SQLite.MS"
          auto-initialize = true
          parallelism = 1
          batch-size = 100
          # long enough that the writes sent together below share transactions
          group-commit-interval = 100ms
        }
        akka.actor.serializers.refusing = "{{typeof(RefusingSerializer).AssemblyQualifiedName}}"
        akka.actor.serialization-bindings { "{{typeof(Unwritable).AssemblyQualifiedName}}" = refusing }
        """).WithFallback(ConfigurationFactory.ParseString(GroupCommitJournal.ConfigFor("akka.persistence.journal.grouped")));

    [Fact]
    public void Writes_of_many_entities_that_share_transactions_are_each_acknowledged_and_recovered_in_order()
    {
        const int entities = 12, events = 25;
        var transactions = CreateTestProbe();
        Sys.EventStream.Subscribe(transactions, typeof(GroupCommitJournal.GroupCommitted));
        var actors = Enumerable.Range(0, entities).Select(i => Sys.ActorOf(Props.Create(() => new Recorder($"e-{i}")))).ToList();
        for (var n = 0; n < events; n++)
            foreach (var actor in actors)
                actor.Tell($"event-{n}");
        var acks = ReceiveN(entities * events, TimeSpan.FromSeconds(30)).Cast<Stored>().ToList();
        foreach (var group in acks.GroupBy(a => a.PersistenceId))
            Assert.Equal(Enumerable.Range(1, events).Select(n => (long)n), group.Select(a => a.SequenceNr));

        // the writes went in shared transactions: fewer transactions than writes, several entities in one
        var committed = new List<GroupCommitJournal.GroupCommitted>();
        while (committed.Sum(c => c.Writes) < entities * events)
            committed.Add(transactions.ExpectMsg<GroupCommitJournal.GroupCommitted>(TimeSpan.FromSeconds(10)));
        Assert.Equal(entities * events, committed.Sum(c => c.Events));
        Assert.True(committed.Count < entities * events / 4, $"{entities * events} writes took {committed.Count} transactions");
        Assert.Contains(committed, c => c.Entities > 1);

        foreach (var actor in actors) Watch(actor).Tell(PoisonPill.Instance);
        var stopped = ReceiveN(entities, TimeSpan.FromSeconds(10)).Cast<Terminated>().Select(t => t.ActorRef);
        Assert.Equal(actors.ToHashSet(), stopped.ToHashSet()); // in any order

        for (var i = 0; i < entities; i++)
        {
            var id = $"e-{i}";
            Sys.ActorOf(Props.Create(() => new Recorder(id))).Tell(Recorder.Report);
            var recovered = ExpectMsg<Recovered>(TimeSpan.FromSeconds(10));
            Assert.Equal(id, recovered.PersistenceId);
            Assert.Equal(Enumerable.Range(0, events).Select(n => $"event-{n}"), recovered.Events);
            Assert.Equal(events, recovered.LastSequenceNr);
        }
    }

    [Fact]
    public void A_write_rejected_inside_a_group_fails_only_its_own_entity()
    {
        var first = Sys.ActorOf(Props.Create(() => new Recorder("first")));
        var refused = Sys.ActorOf(Props.Create(() => new Recorder("refused")));
        var other = Sys.ActorOf(Props.Create(() => new Recorder("other")));
        first.Tell("opens a transaction");
        refused.Tell(new Unwritable());
        other.Tell("shares the next transaction");

        var answers = ReceiveN(3, TimeSpan.FromSeconds(10));
        Assert.Contains(answers, a => a is Stored { PersistenceId: "first" });
        Assert.Contains(answers, a => a is Stored { PersistenceId: "other", SequenceNr: 1 });
        Assert.Contains(answers, a => a is Rejected { PersistenceId: "refused" });

        refused.Tell("after the rejection");
        Assert.Equal("refused", ExpectMsg<Stored>().PersistenceId);
    }

    private sealed record ReportRecovered;

    private sealed record Stored(string PersistenceId, long SequenceNr);

    private sealed record Rejected(string PersistenceId);

    private sealed record Recovered(string PersistenceId, IReadOnlyList<string> Events, long LastSequenceNr);

    public sealed class Unwritable;

    /// <summary>A serializer that refuses every object: its events are rejected by the journal.</summary>
    public sealed class RefusingSerializer(ExtendedActorSystem system) : Serializer(system)
    {
        public override int Identifier => 4799;
        public override bool IncludeManifest => false;
        public override byte[] ToBinary(object obj) => throw new InvalidOperationException("this event cannot be written");
        public override object FromBinary(byte[] bytes, Type? type) => throw new InvalidOperationException("never written");
    }

    private sealed class Recorder : ReceivePersistentActor
    {
        public static readonly object Report = new ReportRecovered();
        private readonly List<string> _events = new();
        private IActorRef _rejectionTo = ActorRefs.Nobody;

        public Recorder(string persistenceId)
        {
            PersistenceId = persistenceId;
            Recover<string>(e => _events.Add(e));
            Command<ReportRecovered>(_ => Sender.Tell(new Recovered(PersistenceId, _events.ToList(), LastSequenceNr)));
            Command<string>(c =>
            {
                var replyTo = Sender;
                Persist(c, e =>
                {
                    _events.Add(e);
                    replyTo.Tell(new Stored(PersistenceId, LastSequenceNr));
                });
            });
            Command<Unwritable>(u =>
            {
                var replyTo = _rejectionTo = Sender;
                Persist(u, _ => replyTo.Tell(new Stored(PersistenceId, LastSequenceNr)));
            });
        }

        public override string PersistenceId { get; }

        protected override void OnPersistRejected(Exception cause, object @event, long sequenceNr)
        {
            base.OnPersistRejected(cause, @event, sequenceNr);
            _rejectionTo.Tell(new Rejected(PersistenceId));
        }
    }
}
