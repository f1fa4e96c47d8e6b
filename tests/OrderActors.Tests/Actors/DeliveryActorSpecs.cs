using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using Akka.Actor;
using Akka.TestKit;
using OrderActors.Actors.Delivery;
using OrderActors.Actors.Sharding;
using OrderActors.Actors.Units;
using OrderActors.Domain.Delivery;
using OrderActors.Domain.Health;
using OrderActors.Domain.Orders;
using OrderActors.Domain.Routing;
using OrderActors.Domain.Units;
using Xunit.Abstractions;
using static OrderActors.Actors.Delivery.DeliveryProtocol;

namespace OrderActors.Tests.Actors;

/// <summary>
/// The delivery entity on the real journal, pushing to a real HTTP receiver on 127.0.0.1: what it stores is what a
/// restart or a hand-off resumes from. A probe plays the unit queue (it answers the feed reads) and another the
/// settings entity.
/// </summary>
public class DeliveryActorSpecs(ITestOutputHelper output) : SqliteSpec(output)
{
    private static readonly DeliveryQueueId Queue = new(new UnitQueueAddress("wms", 0));
    private static readonly DateTimeOffset At = DateTimeOffset.Parse("2026-12-07T10:00:00Z");

    private DeliveryOptions Options(Receiver receiver, int storeEvery = 1) => new()
    {
        SnapshotEvery = 1000,
        MaxFeedWait = TimeSpan.FromSeconds(1),
        Defaults = new Dictionary<string, UnitDeliverySettings> { ["wms"] = Webhook(receiver.Url) },
        RetryFirst = TimeSpan.FromMilliseconds(50),
        RetryMax = TimeSpan.FromMilliseconds(200),
        MarksKept = 100,
        CursorStoreEvery = storeEvery,
        CursorStoreInterval = TimeSpan.FromMinutes(5),
        ConnectionIdleTimeout = TimeSpan.FromSeconds(4),
        ConnectionLifetime = TimeSpan.FromMinutes(2),
        FeedGrace = TimeSpan.FromSeconds(10),
        JournalRecheck = TimeSpan.FromMilliseconds(100),
        WakeInterval = TimeSpan.FromSeconds(5),
        WebhookDefaults = DeliveryOptions.From(TestData.Hocon).WebhookDefaults,
    };

    private static UnitDeliverySettings Webhook(string url) => new(DeliveryMode.Webhook, url, ["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"], Batch: 5,
        Timeout: TimeSpan.FromSeconds(5));

    private static FeedEntry Entry(long seq) =>
        new(seq, new AcceptedOrder(new Order($"o-{seq}", "B2C", null, null, [new OrderLine("1", 1, null)]), 0, seq, At, ""), At, At);

    private IActorRef Start(DeliveryOptions options, TestProbe units, TestProbe settings, JournalHealth? journal = null) =>
        Sys.ActorOf(DeliveryActor.PropsFor(Queue, options, 1, () => units.Ref, () => settings.Ref,
            WebhookRequest.Client(TimeSpan.FromSeconds(4), TimeSpan.FromMinutes(2)), journal ?? new JournalHealth()));

    /// <summary>Answers the entity's feed reads from orders 1..<paramref name="last"/> until <paramref name="until"/> holds.</summary>
    private void ServeFeed(TestProbe units, long last, Func<bool> until)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!until())
        {
            Assert.True(DateTime.UtcNow < deadline, "the entity did not finish within 20 s");
            if (units.ReceiveOne(TimeSpan.FromMilliseconds(200)) is not UnitProtocol.GetFeed read) continue;
            var entries = Enumerable.Range(1, (int)last).Select(i => Entry(i)).Where(e => e.Seq > read.After).Take(read.Limit).ToList();
            units.Reply(new UnitProtocol.FeedPage(Queue.EntityId, entries, last, last));
        }
    }

    private DeliveryStatus Status(IActorRef entity)
    {
        entity.Tell(new GetDeliveryStatus(Queue.EntityId), TestActor);
        return ExpectMsg<DeliveryStatus>();
    }

    private static void AnswerSettings(TestProbe settings, UnitDeliverySettings current, long version = 0) =>
        settings.Reply(new UnitDelivery("wms", current, version));

    [Fact]
    public void A_stored_ack_tells_the_unit_queue_how_far_its_orders_are_delivered()
    {
        using var receiver = new Receiver();
        var (units, settings) = (CreateTestProbe(), CreateTestProbe());
        var entity = Start(Options(receiver), units, settings);
        settings.ExpectMsg<GetUnitDelivery>();
        AnswerSettings(settings, UnitDeliverySettings.Pull);
        entity.Tell(new Ack(Queue.EntityId, 5, 9), TestActor);
        Assert.Equal(5, ExpectMsg<AckResult>().DeliveredUpTo);
        Assert.Equal(new UnitProtocol.DeliveryProgress(Queue.Queue.EntityId, 5), units.ExpectMsg<UnitProtocol.DeliveryProgress>());
        entity.Tell(new Ack(Queue.EntityId, 5, 9), TestActor); // a repeated ack stores nothing and tells nothing
        ExpectMsg<AckResult>();
        units.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
    }

    [Fact]
    public void After_a_restart_the_push_resumes_from_the_stored_cursor_and_sends_nothing_twice()
    {
        using var receiver = new Receiver();
        var (units, settings) = (CreateTestProbe(), CreateTestProbe());
        units.IgnoreMessages<UnitProtocol.DeliveryProgress>(); // the cursor told to the unit queue (for its gauges) is not a read
        var options = Options(receiver);
        var entity = Start(options, units, settings);
        settings.ExpectMsg<GetUnitDelivery>();
        AnswerSettings(settings, Webhook(receiver.Url));
        ServeFeed(units, 12, () => receiver.Orders.Count == 12);
        AwaitAssert(() => Assert.Equal(12, Status(entity).DeliveredUpTo));
        // a stored report follows the confirmations into the journal: once it is answered, they are stored too
        entity.Tell(new ReportStatus(Queue.EntityId, 1, new BusinessStatus("picked", At, null, null, At)));
        ExpectMsg<StatusReported>();
        StopAndWait(entity); // not a hand-off: what was stored is all that survives

        var again = Start(options, units, settings);
        settings.ExpectMsg<GetUnitDelivery>();
        AnswerSettings(settings, Webhook(receiver.Url));
        Assert.Equal(12, units.ExpectMsg<UnitProtocol.GetFeed>().After);
        ServeFeed(units, 15, () => receiver.Orders.Count == 15);
        Assert.Equal(Enumerable.Range(1, 15).Select(i => $"wms:0:{i}"), receiver.Orders);
        Assert.Equal(15, Status(again).DeliveredUpTo);
    }

    [Fact]
    public void A_hand_off_stores_the_confirmations_not_stored_yet_so_the_next_incarnation_sends_none_of_them_again()
    {
        using var receiver = new Receiver();
        var (units, settings) = (CreateTestProbe(), CreateTestProbe());
        units.IgnoreMessages<UnitProtocol.DeliveryProgress>(); // the cursor told to the unit queue (for its gauges) is not a read
        var options = Options(receiver, storeEvery: 10_000); // confirmations wait in memory (their interval is 5 min)
        var entity = Start(options, units, settings);
        settings.ExpectMsg<GetUnitDelivery>();
        AnswerSettings(settings, Webhook(receiver.Url));
        ServeFeed(units, 9, () => receiver.Orders.Count == 9);
        AwaitAssert(() => Assert.Equal(9, Status(entity).DeliveredUpTo));

        Watch(entity);
        entity.Tell(StopEntity.Instance); // sharding's hand-off stop message
        ExpectTerminated(entity);
        var again = Start(options, units, settings);
        settings.ExpectMsg<GetUnitDelivery>();
        AnswerSettings(settings, Webhook(receiver.Url));
        Assert.Equal(9, units.ExpectMsg<UnitProtocol.GetFeed>().After);
        Assert.Equal(9, Status(again).DeliveredUpTo);
        Assert.Equal(Enumerable.Range(1, 9).Select(i => $"wms:0:{i}"), receiver.Orders); // each once
    }

    [Fact]
    public void Every_failed_attempt_is_stored_with_its_status_error_and_time_and_kept_across_a_restart()
    {
        using var receiver = new Receiver { Status = HttpStatusCode.ServiceUnavailable };
        var (units, settings) = (CreateTestProbe(), CreateTestProbe());
        units.IgnoreMessages<UnitProtocol.DeliveryProgress>();
        var options = Options(receiver);
        var entity = Start(options, units, settings);
        settings.ExpectMsg<GetUnitDelivery>();
        AnswerSettings(settings, Webhook(receiver.Url));
        var read = units.ExpectMsg<UnitProtocol.GetFeed>();
        units.Reply(new UnitProtocol.FeedPage(Queue.EntityId, [Entry(1), Entry(2)], 2, 2));
        AwaitCondition(() => receiver.Requests >= 3, TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(20)); // retried (block)

        IReadOnlyList<FailedAttempt> FailedOf(IActorRef e)
        {
            e.Tell(new GetDelivered(Queue.EntityId, 2), TestActor);
            return ExpectMsg<Delivered>().Failed ?? [];
        }
        AwaitAssert(() => Assert.True(FailedOf(entity).Count >= 3));
        var failed = FailedOf(entity);
        Assert.All(failed, a => Assert.Equal((1L, 2L, 503, "503 Service Unavailable"), (a.FromSeq, a.ToSeq, a.Status, a.Error)));
        Assert.All(failed, a => Assert.InRange(a.DurationMs, 0, 5_000));
        Assert.Equal(failed.Select(a => a.At).Order(), failed.Select(a => a.At));

        StopAndWait(entity);
        var again = Start(options, units, settings);
        settings.ExpectMsg<GetUnitDelivery>();
        var kept = FailedOf(again);
        Assert.True(kept.Count >= failed.Count, $"{kept.Count} attempts after the restart, {failed.Count} before");
        Assert.Equal(failed, kept.Take(failed.Count));
        Assert.Equal(0, read.After);
    }

    [Fact]
    public void An_order_is_shown_delivered_once_its_confirmation_is_stored_so_a_crash_never_takes_it_back()
    {
        using var receiver = new Receiver();
        var (units, settings) = (CreateTestProbe(), CreateTestProbe());
        units.IgnoreMessages<UnitProtocol.DeliveryProgress>(); // the cursor told to the unit queue (for its gauges) is not a read
        var options = Options(receiver, storeEvery: 10_000); // confirmations wait in memory (their interval is 5 min)
        var entity = Start(options, units, settings);
        settings.ExpectMsg<GetUnitDelivery>();
        AnswerSettings(settings, Webhook(receiver.Url));
        ServeFeed(units, 4, () => receiver.Orders.Count == 4);
        AwaitAssert(() => Assert.Equal(4, Status(entity).DeliveredUpTo)); // the queue moved on at once
        entity.Tell(new GetDelivered(Queue.EntityId, 2), TestActor);
        var unstored = ExpectMsg<Delivered>();
        Assert.Null(unstored.At); // confirmed, not stored: not shown delivered (a crash now sends it again)
        Assert.Equal(1, unstored.Attempts);

        // a stored report follows the confirmations into the journal: once it is answered, they are stored and shown
        entity.Tell(new ReportStatus(Queue.EntityId, 1, new BusinessStatus("picked", At, null, null, At)));
        ExpectMsg<StatusReported>();
        entity.Tell(new GetDelivered(Queue.EntityId, 2), TestActor);
        Assert.NotNull(ExpectMsg<Delivered>().At);
    }

    [Fact]
    public void A_settings_change_while_a_request_is_on_its_way_sends_its_retry_to_the_new_url_and_a_switch_to_pull_stops_pushing()
    {
        using var failing = new Receiver { Status = HttpStatusCode.ServiceUnavailable, Delay = TimeSpan.FromSeconds(1) };
        using var good = new Receiver();
        var (units, settings) = (CreateTestProbe(), CreateTestProbe());
        units.IgnoreMessages<UnitProtocol.DeliveryProgress>(); // the cursor told to the unit queue (for its gauges) is not a read
        var entity = Start(Options(failing), units, settings);
        settings.ExpectMsg<GetUnitDelivery>();
        AnswerSettings(settings, Webhook(failing.Url));
        var read = units.ExpectMsg<UnitProtocol.GetFeed>();
        units.Reply(new UnitProtocol.FeedPage(Queue.EntityId, [Entry(1), Entry(2)], 2, 2));
        AwaitCondition(() => failing.Requests >= 1, TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(20)); // on its way: answered after 1 s

        entity.Tell(new UnitDelivery("wms", Webhook(good.Url), 1)); // as the settings topic publishes it
        ServeFeed(units, 2, () => good.Orders.Count == 2);
        Assert.Equal(1, failing.Requests); // its 503 came; the retry went to the new url, the same batch under its id
        Assert.Equal(["wms:0:1-2"], good.WebhookIds);
        AwaitAssert(() => Assert.Equal(2, Status(entity).DeliveredUpTo));

        entity.Tell(new UnitDelivery("wms", UnitDeliverySettings.Pull, 2));
        AwaitAssert(() => Assert.Equal(DeliveryMode.Pull, Status(entity).Mode));
        // a long-poll answered now finds the queue in pull mode: nothing is sent, no read follows
        if (units.ReceiveOne(TimeSpan.FromMilliseconds(500)) is UnitProtocol.GetFeed)
            units.Reply(new UnitProtocol.FeedPage(Queue.EntityId, [Entry(3)], 3, 3));
        units.ExpectNoMsg(TimeSpan.FromMilliseconds(500));
        Assert.Equal(1, good.Requests);
        Assert.Equal(0, read.After);
    }

    /// <summary>A webhook receiver on 127.0.0.1 that answers <see cref="Status"/> after <see cref="Delay"/>, recording each order's deliveryId.</summary>
    private sealed class Receiver : IDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly ConcurrentQueue<string> _orders = new();
        private readonly ConcurrentQueue<string> _ids = new();
        private int _requests;

        public Receiver()
        {
            var free = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
            free.Start();
            var port = ((IPEndPoint)free.LocalEndpoint).Port;
            free.Stop();
            Url = $"http://127.0.0.1:{port}/hook/";
            _listener.Prefixes.Add(Url);
            _listener.Start();
            _ = Task.Run(ServeAsync);
        }

        public string Url { get; }
        public HttpStatusCode Status { get; init; } = HttpStatusCode.OK;
        public TimeSpan Delay { get; init; }
        public int Requests => _requests;
        public IReadOnlyList<string> Orders => _orders.ToList();
        public IReadOnlyList<string> WebhookIds => _ids.ToList();

        private async Task ServeAsync()
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try { context = await _listener.GetContextAsync(); }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException) { return; }
                Interlocked.Increment(ref _requests);
                await Task.Delay(Delay);
                if (Status == HttpStatusCode.OK)
                {
                    _ids.Enqueue(context.Request.Headers["webhook-id"]!);
                    var body = JsonNode.Parse(context.Request.InputStream)!;
                    foreach (var order in body["orders"]!.AsArray()) _orders.Enqueue((string)order!["deliveryId"]!);
                }
                context.Response.StatusCode = (int)Status;
                context.Response.Close();
            }
        }

        public void Dispose() => _listener.Close();
    }
}
