using Akka.Actor;
using Akka.Hosting;
using OrderActors.Actors.Delivery;
using OrderActors.Actors.Units;
using OrderActors.Domain.Delivery;
using OrderActors.Domain.Routing;
using OrderActors.Node.Http;

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

    /// <summary>Stores a pull consumer's ack of every order up to <paramref name="upTo"/> (judged against what the queue has processed).</summary>
    public async Task<DeliveryProtocol.AckResult> AckAsync(UnitQueueAddress queue, long upTo, CancellationToken ct)
    {
        var unitRegion = await units.GetAsync(ct);
        var stats = await unitRegion.Ask<UnitProtocol.UnitQueueStats>(new UnitProtocol.GetUnitStats(queue.EntityId), api.AskTimeout, ct);
        var region = await delivery.GetAsync(ct);
        return await region.Ask<DeliveryProtocol.AckResult>(
            new DeliveryProtocol.Ack(new DeliveryQueueId(queue).EntityId, upTo, stats.ProcessedSeq), api.AskTimeout, ct);
    }

    /// <summary>When the order at <paramref name="seq"/> of <paramref name="queue"/> was delivered (null: not yet).</summary>
    public async Task<DateTimeOffset?> DeliveredAtAsync(UnitQueueAddress queue, long seq, CancellationToken ct)
    {
        var region = await delivery.GetAsync(ct);
        var reply = await region.Ask<DeliveryProtocol.Delivered>(
            new DeliveryProtocol.GetDelivered(new DeliveryQueueId(queue).EntityId, seq), api.AskTimeout, ct);
        return reply.At;
    }
}
