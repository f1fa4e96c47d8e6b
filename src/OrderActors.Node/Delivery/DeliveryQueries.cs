using Akka.Actor;
using Akka.Hosting;
using OrderActors.Actors.Delivery;
using OrderActors.Actors.Units;
using OrderActors.Domain.Delivery;
using OrderActors.Domain.Routing;
using OrderActors.Domain.Units;
using OrderActors.Node.Http;
using OrderActors.Node.Units;

namespace OrderActors.Node.Delivery;

/// <summary>How far each unit queue's downstream system has confirmed its orders: a pull consumer's acks, and when an order was delivered.</summary>
public sealed class DeliveryQueries(IRequiredActor<DeliveryRegion> delivery, IRequiredActor<DeliverySettingsRegion> settings,
    IRequiredActor<UnitRegion> units, ApiOptions api)
{
    public async Task<DeliveryProtocol.UnitDelivery> GetSettingsAsync(string unit, CancellationToken ct) =>
        await (await settings.GetAsync(ct)).Ask<DeliveryProtocol.UnitDelivery>(new DeliveryProtocol.GetUnitDelivery(unit), api.AskTimeout, ct);

    /// <summary>Stores a unit's delivery settings; every node's delivery entities of that unit apply them.</summary>
    public async Task<DeliveryProtocol.UnitDelivery> SetSettingsAsync(string unit, UnitDeliverySettings value, CancellationToken ct) =>
        await (await settings.GetAsync(ct)).Ask<DeliveryProtocol.UnitDelivery>(new DeliveryProtocol.SetUnitDelivery(unit, value), api.AskTimeout, ct);

    /// <summary>What each of the given queues' delivery is doing.</summary>
    public async Task<IReadOnlyList<DeliveryProtocol.DeliveryStatus>> StatusAsync(IEnumerable<UnitQueueAddress> queues, CancellationToken ct)
    {
        var region = await delivery.GetAsync(ct);
        return await Task.WhenAll(queues.Select(q =>
            region.Ask<DeliveryProtocol.DeliveryStatus>(new DeliveryProtocol.GetDeliveryStatus(new DeliveryQueueId(q).EntityId), api.AskTimeout, ct)));
    }

    /// <summary>What every unit queue's delivery is doing (<c>GET /api/admin/delivery</c>): its cursor, its lag in orders and seconds, its attempts.</summary>
    /// <param name="queueStats">the queues' stats when the caller has read them already (else they are read here)</param>
    public async Task<List<QueueDeliveryView>> QueueViewsAsync(UnitQueries unitQueries, CancellationToken ct, IReadOnlyList<QueueView>? queueStats = null)
    {
        var queues = unitQueries.Routing.AllQueues().ToList();
        var statuses = await StatusAsync(queues, ct);
        var stats = (queueStats ?? await unitQueries.GetQueuesAsync(ct)).ToDictionary(q => q.Name);
        // the mode as stored (an entity that has just started may not have heard it yet)
        var modes = new Dictionary<string, DeliveryMode>(StringComparer.Ordinal);
        foreach (var u in unitQueries.Routing.Units) modes[u.Name] = (await GetSettingsAsync(u.Name, ct)).Settings.Mode;
        var now = DateTimeOffset.UtcNow;
        var views = await Task.WhenAll(queues.Zip(statuses, async (q, s) =>
        {
            var processed = stats.TryGetValue(q.EntityId, out var v) ? v.LastSeq - v.Depth : 0;
            var lag = Math.Max(0, processed - s.DeliveredUpTo);
            // how long the oldest order not yet delivered has waited since it was processed
            double? lagSeconds = lag > 0 && await NextProcessedAsync(q, s.DeliveredUpTo, ct) is { ProcessedAt: { } at }
                ? Math.Round(Math.Max(0, (now - at).TotalSeconds), 3)
                : lag > 0 ? null : 0;
            return new QueueDeliveryView(q.Unit, q.Queue, modes[q.Unit] == DeliveryMode.Webhook ? "webhook" : "pull", modes[q.Unit] == s.Mode,
                s.DeliveredUpTo, processed, lag, s.InFlightUpTo, s.Attempts, s.LastError, s.LastDeliveredAt, s.Paused, lagSeconds, s.Parked,
                s.NextAttemptAt);
        }));
        return views.ToList();
    }

    /// <summary>Stores a pull consumer's ack of every order up to <paramref name="upTo"/> (judged against what the queue has processed).</summary>
    public async Task<DeliveryProtocol.AckResult> AckAsync(UnitQueueAddress queue, long upTo, CancellationToken ct)
    {
        var unitRegion = await units.GetAsync(ct);
        var stats = await unitRegion.Ask<UnitProtocol.UnitQueueStats>(new UnitProtocol.GetUnitStats(queue.EntityId), api.AskTimeout, ct);
        var region = await delivery.GetAsync(ct);
        return await region.Ask<DeliveryProtocol.AckResult>(
            new DeliveryProtocol.Ack(new DeliveryQueueId(queue).EntityId, upTo, stats.ProcessedSeq), api.AskTimeout, ct);
    }

    /// <summary>Where the order at <paramref name="seq"/> of <paramref name="queue"/> stands downstream: delivered when, attempts, parked, progress.</summary>
    public async Task<DeliveryProtocol.Delivered> DeliveryOfAsync(UnitQueueAddress queue, long seq, CancellationToken ct) =>
        await Ask<DeliveryProtocol.Delivered>(new DeliveryProtocol.GetDelivered(Id(queue), seq), ct);

    /// <summary>Pauses (reason set) or resumes (null) a unit's webhook delivery on every node.</summary>
    public async Task<DeliveryProtocol.UnitDelivery> PauseAsync(string unit, string? reason, CancellationToken ct) =>
        await (await settings.GetAsync(ct)).Ask<DeliveryProtocol.UnitDelivery>(new DeliveryProtocol.PauseUnitDelivery(unit, reason), api.AskTimeout, ct);

    public async Task<IReadOnlyList<ParkedOrder>> ParkedAsync(UnitQueueAddress queue, ParkedFilter filter, CancellationToken ct) =>
        (await Ask<DeliveryProtocol.ParkedList>(new DeliveryProtocol.ListParked(Id(queue), filter), ct)).Orders;

    /// <summary>Sends parked orders of the queue again (null: all of them); the seqs it applied to.</summary>
    public async Task<IReadOnlyList<long>> RetryParkedAsync(UnitQueueAddress queue, IReadOnlyList<long>? seqs, CancellationToken ct) =>
        (await Ask<DeliveryProtocol.ParkedChanged>(new DeliveryProtocol.RetryParked(Id(queue), seqs), ct)).Seqs;

    /// <summary>Sets parked orders of the queue aside for good (null: all of them); the seqs it applied to.</summary>
    public async Task<IReadOnlyList<long>> ArchiveParkedAsync(UnitQueueAddress queue, IReadOnlyList<long>? seqs, CancellationToken ct) =>
        (await Ask<DeliveryProtocol.ParkedChanged>(new DeliveryProtocol.ArchiveParked(Id(queue), seqs), ct)).Seqs;

    public async Task<DeliveryProtocol.ReplayResult> ReplayAsync(UnitQueueAddress queue, long from, CancellationToken ct) =>
        await Ask<DeliveryProtocol.ReplayResult>(new DeliveryProtocol.Replay(Id(queue), from), ct);

    public async Task<DeliveryProtocol.StatusReported> ReportStatusAsync(UnitQueueAddress queue, long seq, BusinessStatus status, CancellationToken ct) =>
        await Ask<DeliveryProtocol.StatusReported>(new DeliveryProtocol.ReportStatus(Id(queue), seq, status), ct);

    /// <summary>The first order after <paramref name="after"/> the queue has processed (null: none), without waiting.</summary>
    public async Task<FeedEntry?> NextProcessedAsync(UnitQueueAddress queue, long after, CancellationToken ct)
    {
        var unitRegion = await units.GetAsync(ct);
        var page = await unitRegion.Ask<UnitProtocol.FeedPage>(new UnitProtocol.GetFeed(queue.EntityId, after, 1), api.AskTimeout, ct);
        return page.Entries.FirstOrDefault();
    }

    private static string Id(UnitQueueAddress queue) => new DeliveryQueueId(queue).EntityId;

    private async Task<T> Ask<T>(object message, CancellationToken ct) => await (await delivery.GetAsync(ct)).Ask<T>(message, api.AskTimeout, ct);
}
