using System.Diagnostics.Metrics;
using Akka.Actor;
using OrderActors.Actors.Telemetry;

namespace OrderActors.Actors.Persistence;

/// <summary>
/// What the journals measure (meter <c>OrderActors.Persistence</c>): each transaction's time and its size in events, per
/// journal (<c>ingest</c>: the first queues'; <c>sql</c>: every other entity's). Fed by the journals' own
/// <see cref="GroupCommitJournal.GroupCommitDone"/> on the event stream (a journal is made by Akka, not by the host).
/// </summary>
public sealed class JournalMetrics
{
    public const string MeterName = "OrderActors.Persistence";

    private readonly Histogram<double> _duration;
    private readonly Histogram<int> _events;
    private readonly Counter<long> _failures;

    public JournalMetrics(IMeterFactory? meters = null)
    {
        var meter = FeatureMeter.Create(meters, MeterName);
        _duration = meter.CreateHistogram("orderactors.journal.write.duration", "s",
            "How long a journal transaction took (a group commit of many entities' writes), per journal", advice: Buckets.Seconds);
        _events = meter.CreateHistogram("orderactors.journal.write.events", "{event}",
            "Events a journal transaction carried (the group commit's size), per journal", advice: Buckets.Counts);
        _failures = meter.CreateCounter<long>("orderactors.journal.write.failures", "{transaction}", "Journal transactions that failed, per journal");
    }

    public void Written(GroupCommitJournal.GroupCommitDone done)
    {
        var journal = new KeyValuePair<string, object?>("journal", done.Journal);
        _duration.Record(done.Took.TotalSeconds, journal);
        _events.Record(done.Events, journal);
        if (done.Failed) _failures.Add(1, journal);
    }

    /// <summary>The actor that listens to the journals' transactions on the event stream and records them.</summary>
    public Props Listener() => Props.Create(() => new JournalListener(this));

    private sealed class JournalListener : ReceiveActor
    {
        public JournalListener(JournalMetrics metrics) => Receive<GroupCommitJournal.GroupCommitDone>(metrics.Written);

        protected override void PreStart() => Context.System.EventStream.Subscribe(Self, typeof(GroupCommitJournal.GroupCommitDone));
    }
}
