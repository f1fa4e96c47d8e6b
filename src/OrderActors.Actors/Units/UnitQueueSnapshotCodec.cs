using OrderActors.Actors.Serialization;
using OrderActors.Domain.Units;

namespace OrderActors.Actors.Units;

/// <summary>
/// A unit queue's snapshot in our binary form: its recent entries (<see cref="OrderCodec"/>) and its index of stored
/// events, written as differences between neighbours (a few bytes per event, where JSON took tens).
/// </summary>
public static class UnitQueueSnapshotCodec
{
    public static void UnitState(this ref BinaryCodec.Writer w, UnitQueueState state)
    {
        w.Signed(state.LastSeq);
        w.Signed(state.ProcessedSeq);
        w.NullableLong(state.InProgressFrom);
        w.NullableLong(state.InProgressTo);
        w.Signed(state.TailStart);
        w.Entries(state.Tail);
        w.Count(state.RecordedUpTo.Count);
        foreach (var (queue, upTo) in state.RecordedUpTo)
        {
            w.Count(queue);
            w.Signed(upTo);
        }
        w.Rising(state.EventFirstSeqs);
        w.Rising(state.EventSequenceNrs);
        w.Count(state.BySource.Count);
        foreach (var source in state.BySource)
        {
            w.Count(source.FirstQueue);
            w.Rising(source.FirstOffsets);
            w.Rising(source.LastOffsets);
            w.Rising(source.SequenceNrs);
        }
        w.Rising(state.Marks.Select(m => m.UpTo).ToList());
        foreach (var mark in state.Marks) w.Timestamp(mark.At);
    }

    public static UnitQueueState UnitState(this ref BinaryCodec.Reader r)
    {
        var (lastSeq, processedSeq, from, to, tailStart) = (r.Signed(), r.Signed(), r.NullableLong(), r.NullableLong(), r.Signed());
        var tail = r.Entries();
        var recordedUpTo = new Dictionary<int, long>();
        for (var n = r.Items(); n > 0; n--) recordedUpTo[r.Count()] = r.Signed();
        var (eventFirstSeqs, eventSequenceNrs) = (r.Rising(), r.Rising());
        var bySource = new SourceEvents[r.Items()];
        for (var i = 0; i < bySource.Length; i++) bySource[i] = new SourceEvents(r.Count(), r.Rising(), r.Rising(), r.Rising());
        var markUpTo = r.Rising();
        var marks = new ProcessedMark[markUpTo.Count];
        for (var i = 0; i < marks.Length; i++) marks[i] = new ProcessedMark(markUpTo[i], r.Timestamp());
        return new UnitQueueState(lastSeq, processedSeq, from, to, tailStart, tail, recordedUpTo, eventFirstSeqs, eventSequenceNrs, bySource, marks);
    }
}
