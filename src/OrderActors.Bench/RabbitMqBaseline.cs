using OrderActors.Harness;
using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Akka.Configuration;
using OrderActors.Actors.Routing;
using OrderActors.Domain.Orders;
using OrderActors.Domain.Routing;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using RabbitMQ.Client.Exceptions;

namespace OrderActors.Bench;

/// <summary>
/// The same job done with RabbitMQ, for a side-by-side figure on the same machine (<c>--baseline rabbitmq</c>):
/// the OMS publishes each order, persistent, to a durable direct exchange with publisher confirms (a confirm is the
/// broker's "accepted"); the exchange routes it by code and first queue to a durable queue per unit queue, bound
/// from our <c>hocon/routing.hocon</c> as the router routes (first queue k to queue k mod n of every unit of the
/// code); one consumer per unit queue reads each order (parses its JSON) and acknowledges it (manual ack).
/// It does less than a node: no validation, no catalog enrichment, no inventory, no order state to query.
/// </summary>
public sealed class RabbitMqBaseline : IOrderSink
{
    public const string Exchange = "orderactors-bench";
    private const string QueuePrefix = "orderactors-bench.";

    private readonly IConnection _publishing;
    private readonly IConnection _consuming;
    private readonly OrderGenerator _generator;
    private readonly int _firstQueues;
    private readonly ConcurrentBag<IChannel> _channels = new();
    private readonly List<IChannel> _consumers = [];

    private RabbitMqBaseline(IConnection publishing, IConnection consuming, OrderGenerator generator, int firstQueues)
    {
        _publishing = publishing;
        _consuming = consuming;
        _generator = generator;
        _firstQueues = firstQueues;
    }

    /// <summary>The routing table the node would use, read from the repository's <c>hocon/routing.hocon</c>.</summary>
    public static RoutingTable LoadRouting() =>
        RoutingOptions.From(ConfigurationFactory.ParseString(File.ReadAllText(Path.Combine(Repo.Root, "hocon", "routing.hocon")))).Table;

    /// <summary>The routing table in the shape of <c>GET /api/routing</c>, for the <see cref="OrderTracker"/>.</summary>
    public static JsonNode RoutingJson(RoutingTable routing) => new JsonObject
    {
        ["units"] = new JsonObject(routing.Units.Select(u => KeyValuePair.Create<string, JsonNode?>(u.Name, new JsonObject
        {
            ["queues"] = u.Queues,
            ["codes"] = new JsonArray(u.Codes.Select(c => (JsonNode)JsonValue.Create(c)!).ToArray()),
        }))),
    };

    /// <summary>Connects, declares the exchange and empty durable queues with their bindings, and starts the consumers.</summary>
    public static async Task<RabbitMqBaseline> StartAsync(Uri amqp, OrderGenerator generator, RoutingTable routing, OrderTracker tracker,
        int prefetch, TextWriter log)
    {
        var factory = new ConnectionFactory { Uri = amqp, ClientProvidedName = "orderactors-bench" };
        var publishing = await factory.CreateConnectionAsync("orderactors-bench-publish");
        var consuming = await factory.CreateConnectionAsync("orderactors-bench-consume");
        const int firstQueues = 4; // as the node's orderactors.ingest.queues default
        var baseline = new RabbitMqBaseline(publishing, consuming, generator, firstQueues);

        await using (var setup = await publishing.CreateChannelAsync())
        {
            await setup.ExchangeDeclareAsync(Exchange, ExchangeType.Direct, durable: true, autoDelete: false);
            foreach (var unit in routing.Units)
                for (var q = 0; q < unit.Queues; q++)
                {
                    var queue = QueueName(unit.Name, q);
                    await setup.QueueDeleteAsync(queue); // every run starts from empty queues
                    await setup.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false);
                    foreach (var code in unit.Codes)
                        for (var k = q; k < Math.Max(firstQueues, unit.Queues); k += unit.Queues)
                            await setup.QueueBindAsync(queue, Exchange, RoutingKey(code, k));
                }
        }
        log.WriteLine($"RabbitMQ {amqp.Host}:{amqp.Port}: exchange '{Exchange}', {routing.Units.Sum(u => u.Queues)} durable queues bound from routing.hocon");

        var unitIndex = tracker.Units.Select((u, i) => (u.Unit, i)).ToDictionary(x => x.Unit, x => x.i);
        foreach (var unit in routing.Units)
            for (var q = 0; q < unit.Queues; q++)
                baseline._consumers.Add(await ConsumeAsync(consuming, QueueName(unit.Name, q), unitIndex[unit.Name], tracker, prefetch));
        return baseline;
    }

    private static string QueueName(string unit, int queue) => $"{QueuePrefix}{unit}-{queue}";
    private static string RoutingKey(string code, int firstQueue) => $"{code}.{firstQueue}";

    private static async Task<IChannel> ConsumeAsync(IConnection connection, string queue, int unitIndex, OrderTracker tracker, int prefetch)
    {
        var channel = await connection.CreateChannelAsync();
        await channel.BasicQosAsync(0, (ushort)prefetch, global: false);
        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += async (_, delivery) =>
        {
            // "processing": read the order, as a unit's system would, and record it
            using (var order = JsonDocument.Parse(delivery.Body))
            {
                var acceptedAt = new DateTimeOffset((long)delivery.BasicProperties.Headers!["accepted-at"]!, TimeSpan.Zero);
                tracker.Record(unitIndex, order.RootElement.GetProperty("orderId").GetString()!, acceptedAt, DateTimeOffset.UtcNow);
            }
            await channel.BasicAckAsync(delivery.DeliveryTag, multiple: false);
        };
        await channel.BasicConsumeAsync(queue, autoAck: false, consumer);
        return channel;
    }

    public async Task SendAsync(IReadOnlyList<int> indexes, LoadCounters counters)
    {
        if (!_channels.TryTake(out var channel))
            channel = await _publishing.CreateChannelAsync(new CreateChannelOptions(
                publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true,
                outstandingPublisherConfirmationsRateLimiter: new ThrottlingRateLimiter(4096)));
        try
        {
            // A batch is published at once and each order counts as accepted when its confirm arrives.
            await Task.WhenAll(indexes.Select(async index =>
            {
                var body = _generator.Body([index], asArray: false);
                var orderId = _generator.OrderId(index);
                var properties = new BasicProperties
                {
                    Persistent = true,
                    MessageId = orderId,
                    ContentType = "application/json",
                    Headers = new Dictionary<string, object?> { ["accepted-at"] = DateTimeOffset.UtcNow.UtcTicks },
                };
                try
                {
                    await channel.BasicPublishAsync(Exchange, RoutingKey(_generator.CodeOf(index), QueueAssignment.FirstQueue(orderId, _firstQueues)),
                        mandatory: true, properties, body);
                    counters.Count(index, 202);
                }
                catch (PublishException e)
                {
                    counters.Refused(e.IsReturn ? "unroutable" : "nack", 1);
                }
            }));
        }
        finally
        {
            _channels.Add(channel);
        }
    }

    /// <summary>Resident and peak resident memory of the broker process on this machine, in MB (NaN if it is elsewhere).</summary>
    public static Func<(double RssMb, double PeakMb)> BrokerMemory(Uri amqp) =>
        ProcessMemory.ListeningOn(amqp.Port) is { } pid ? () => ProcessMemory.Read(pid) : () => (double.NaN, double.NaN);

    public async ValueTask DisposeAsync()
    {
        foreach (var channel in _consumers.Concat(_channels)) await channel.DisposeAsync();
        await _publishing.DisposeAsync();
        await _consuming.DisposeAsync();
    }
}
