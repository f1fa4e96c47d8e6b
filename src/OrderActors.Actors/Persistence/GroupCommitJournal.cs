using System.Collections.Immutable;
using System.Diagnostics;
using Akka.Actor;
using Akka.Configuration;
using Akka.Persistence;
using Akka.Persistence.Sql;
using Akka.Persistence.Sql.Journal;

namespace OrderActors.Actors.Persistence;

/// <summary>
/// Akka.Persistence.Sql's journal with group commit across entities. Every Persist of every entity is one call here;
/// Akka.Persistence.Sql writes a call at once when it is idle, so under light load each event was a transaction of
/// its own, and a transaction's fixed cost (an fsync on SQLite, a round trip on PostgreSQL, the SQL built for it)
/// dominated: under light load the node committed more often than it received orders (docs/performance.md).
/// Here the calls that arrive while a transaction is under way, or within <c>group-commit-interval</c> of the last
/// one's start, wait and go together as the next transaction; each caller gets its own results, in order. An idle
/// journal still writes a call at once, so a lone write waits for nothing.
/// Configured under the journal plugin: <c>group-commit-interval</c> (default 0: group only while a transaction is
/// under way) and <c>group-commit-max-events</c> (default: the plugin's <c>batch-size</c>).
/// </summary>
public class GroupCommitJournal : SqlWriteJournal
{
    private readonly TimeSpan _interval;
    private readonly int _maxEvents;
    private readonly int _maxInFlight;
    private readonly string _name;
    private readonly Queue<PendingWrite> _waiting = new();
    private int _inFlight;
    private bool _flushScheduled;
    private long _lastStart = long.MinValue;

    // The latest unfinished write of each persistence id: a sequence number read waits for it (the base class only
    // tracks the first persistence id of each call it gets, and a grouped call carries many).
    private readonly Dictionary<string, Task> _unfinished = new(StringComparer.Ordinal);

    public GroupCommitJournal(Config journalConfig) : base(journalConfig)
    {
        var config = journalConfig.WithFallback(SqlPersistence.DefaultJournalConfiguration); // as the base class reads it
        _interval = config.GetTimeSpan("group-commit-interval", TimeSpan.Zero, allowInfinite: false);
        _maxEvents = Math.Max(1, config.GetInt("group-commit-max-events", config.GetInt("batch-size", 100)));
        _maxInFlight = Math.Max(1, config.GetInt("parallelism", 1)); // as many groups in flight as the plugin has writers
        _name = Self.Path.Name[(Self.Path.Name.LastIndexOf('.') + 1)..];
    }

    /// <summary>The HOCON that makes journal plugin <paramref name="pluginPath"/> (e.g. <c>akka.persistence.journal.sql</c>) use this class.</summary>
    public static string ConfigFor(string pluginPath) =>
        $"{pluginPath}.class = \"{typeof(GroupCommitJournal).FullName}, {typeof(GroupCommitJournal).Assembly.GetName().Name}\"";

    // A caller's token is not passed on: its write shares a transaction with others. (The circuit breaker still
    // times each caller out on its own.)
    protected override Task<IImmutableList<Exception>> WriteMessagesAsync(IEnumerable<AtomicWrite> messages, CancellationToken cancellationToken)
    {
        var writes = messages as IReadOnlyList<AtomicWrite> ?? messages.ToList();
        var pending = new PendingWrite(writes);
        _waiting.Enqueue(pending);
        foreach (var write in writes) _unfinished[write.PersistenceId] = pending.Done.Task;
        ScheduleFlush();
        return pending.Done.Task;
    }

    public override Task<long> ReadHighestSequenceNrAsync(string persistenceId, long fromSequenceNr, CancellationToken cancellationToken)
    {
        if (!_unfinished.TryGetValue(persistenceId, out var write) || write.IsCompleted)
            return base.ReadHighestSequenceNrAsync(persistenceId, fromSequenceNr, cancellationToken);
        // read once the write is done, back on this actor (the base class's bookkeeping is not thread-safe)
        var read = new ReadAfterWrite(persistenceId, fromSequenceNr, cancellationToken);
        var self = Self;
        write.ContinueWith(_ => self.Tell(read), TaskScheduler.Default);
        return read.Result.Task;
    }

    protected override bool ReceivePluginInternal(object message)
    {
        switch (message)
        {
            case FlushWrites:
                _flushScheduled = false;
                Flush();
                return true;
            case ReadAfterWrite read:
                base.ReadHighestSequenceNrAsync(read.PersistenceId, read.FromSequenceNr, read.CancellationToken).ContinueWith(t =>
                {
                    if (t.IsCompletedSuccessfully) read.Result.TrySetResult(t.Result);
                    else read.Result.TrySetException(t.Exception?.InnerException ?? new OperationCanceledException());
                }, TaskScheduler.Default);
                return true;
            case GroupWritten written:
                _inFlight--;
                Context.System.EventStream.Publish(new GroupCommitDone(_name, written.Events, Stopwatch.GetElapsedTime(written.Started), written.Failed));
                foreach (var pending in written.Group)
                    foreach (var write in pending.Writes)
                        if (_unfinished.TryGetValue(write.PersistenceId, out var latest) && latest == pending.Done.Task)
                            _unfinished.Remove(write.PersistenceId);
                ScheduleFlush();
                return true;
            default:
                return base.ReceivePluginInternal(message);
        }
    }

    /// <summary>Starts the next transaction now, or once the interval since the last one's start has passed.</summary>
    private void ScheduleFlush()
    {
        if (_waiting.Count == 0 || _inFlight >= _maxInFlight || _flushScheduled) return;
        var wait = _lastStart == long.MinValue ? TimeSpan.Zero : _interval - Stopwatch.GetElapsedTime(_lastStart);
        if (wait <= TimeSpan.Zero)
        {
            Flush();
            return;
        }
        // Akka's scheduler ticks every 10 ms; a .NET timer keeps sub-tick intervals.
        _flushScheduled = true;
        var self = Self;
        _ = Task.Delay(wait).ContinueWith(_ => self.Tell(FlushWrites.Instance), TaskScheduler.Default);
    }

    private void Flush()
    {
        if (_waiting.Count == 0 || _inFlight >= _maxInFlight) return;
        var group = new List<PendingWrite>();
        var combined = new List<AtomicWrite>();
        var events = 0;
        while (_waiting.Count > 0 && (group.Count == 0 || events + _waiting.Peek().Events <= _maxEvents))
        {
            var pending = _waiting.Dequeue();
            group.Add(pending);
            combined.AddRange(pending.Writes);
            events += pending.Events;
        }

        _inFlight++;
        _lastStart = Stopwatch.GetTimestamp();
        // one transaction: what it carries, for whoever watches the journal (tests, telemetry)
        Context.System.EventStream.Publish(new GroupCommitted(combined.Count, combined.Select(w => w.PersistenceId).Distinct().Count(), events));
        Task<IImmutableList<Exception>> written;
        try
        {
            written = base.WriteMessagesAsync(combined, CancellationToken.None);
        }
        catch (Exception e)
        {
            written = Task.FromException<IImmutableList<Exception>>(e);
        }
        var (self, started) = (Self, _lastStart);
        written.ContinueWith(t =>
        {
            Complete(group, t);
            self.Tell(new GroupWritten(group, events, started, !t.IsCompletedSuccessfully));
        }, TaskContinuationOptions.ExecuteSynchronously);
    }

    /// <summary>Hands each caller its share of the transaction's outcome: its own rejections, or the failure of all.</summary>
    private static void Complete(List<PendingWrite> group, Task<IImmutableList<Exception>> written)
    {
        if (written.IsFaulted || written.IsCanceled)
        {
            var error = written.Exception?.InnerExceptions.Count == 1
                ? written.Exception.InnerExceptions[0]
                : written.Exception ?? (Exception)new OperationCanceledException("the journal write was cancelled");
            foreach (var pending in group) pending.Done.TrySetException(error);
            return;
        }
        var results = written.Result;
        var offset = 0;
        foreach (var pending in group)
        {
            pending.Done.TrySetResult(results is null ? null! : results.Skip(offset).Take(pending.Writes.Count).ToImmutableList());
            offset += pending.Writes.Count;
        }
    }

    /// <summary>Published on the event stream for each transaction: the writes (Persist calls) it carries, of how many entities, and their events.</summary>
    public sealed record GroupCommitted(int Writes, int Entities, int Events);

    /// <summary>Published on the event stream when a transaction is over: the journal's name (its plugin id's last segment), its events, how long it took, whether it failed.</summary>
    public sealed record GroupCommitDone(string Journal, int Events, TimeSpan Took, bool Failed);

    private sealed class PendingWrite(IReadOnlyList<AtomicWrite> writes)
    {
        public IReadOnlyList<AtomicWrite> Writes { get; } = writes;
        public int Events { get; } = writes.Sum(w => w.Size);
        public TaskCompletionSource<IImmutableList<Exception>> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private sealed class FlushWrites
    {
        public static readonly FlushWrites Instance = new();
    }

    private sealed record GroupWritten(List<PendingWrite> Group, int Events, long Started, bool Failed);

    private sealed record ReadAfterWrite(string PersistenceId, long FromSequenceNr, CancellationToken CancellationToken)
    {
        public TaskCompletionSource<long> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
