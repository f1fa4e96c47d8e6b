using System.Text.Json.Nodes;
using OrderActors.IntegrationTests.Support;
using Xunit.Abstractions;

namespace OrderActors.IntegrationTests;

/// <summary>
/// What operators and downstream systems do with delivery (docs/API.md "Delivery"): parked orders listed, retried and
/// archived, queues replayed, units paused and resumed, business progress reported; against real receiver processes.
/// </summary>
public class DeliveryOperationsTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_refused_order_is_parked_with_the_reason_its_neighbours_are_delivered_and_a_retry_after_the_fix_delivers_it()
    {
        var secret = WebhookDeliveryTests.NewSecret();
        await using var erp = await ReceiverProcess.StartAsync(secret, "--reject-order", "park-07");
        await using var node = await WebhookDeliveryTests.StartNodeAsync();
        await SetParkingWebhookAsync(node, erp.Webhook, secret);

        var ids = await PostPresaleAsync(node, "park", 40);
        var stats = await Poll.ForAsync(erp.StatsAsync, s => (int)s["delivered"]! >= 39, "the 39 orders not refused delivered", seconds: 60);
        var parked = await Poll.ForAsync(() => node.Http.GetJsonAsync("/api/admin/parked?unit=erp"), r => r.Body!.AsArray().Count >= 1, "one parked order");
        var item = Assert.Single(parked.Body!.AsArray())!;
        var queue = Expected.FirstQueue("park-07") % Expected.QueuesPerUnit;
        Assert.Equal(("park-07", 400, "parked", "erp", queue), ((string)item["orderId"]!, (int)item["status"]!, (string)item["state"]!,
            (string)item["unit"]!, (int)item["queue"]!));
        Assert.Equal($"erp:{queue}:{(long)item["seq"]!}", (string)item["deliveryId"]!);
        Assert.Contains("400", (string)item["error"]!);
        // every other order, its queue neighbours too, reached the receiver, each once
        Assert.Equal(ReceiverProcess.OrdersFor("erp", ids.Where(id => id != "park-07")), ReceiverProcess.Orders(stats));

        var view = (await node.Http.GetJsonAsync("/api/orders/park-07")).Body!;
        var inErp = view["units"]!.AsArray().Single()!;
        Assert.Equal("parked", (string)inErp["status"]!);
        Assert.Contains("400", (string)inErp["parkedReason"]!);
        Assert.Equal("processed", (string)view["status"]!);
        var delivery = await Poll.ForAsync(() => node.Http.GetJsonAsync("/api/admin/delivery"),
            r => r.Body!.AsArray().Where(q => (string)q!["unit"]! == "erp").All(q => (long)q!["lag"]! == 0), "no erp queue lags");
        Assert.Equal(1, (int)delivery.Body!.AsArray().Single(q => (string)q!["unit"]! == "erp" && (int)q["queue"]! == queue)!["parked"]!);

        // the receiver is fixed (here: a new one), and the operator retries the parked order
        await using var fixedErp = await ReceiverProcess.StartAsync(secret);
        var set = await Repo.OrderCtlAsync("--node", node.Url.ToString(), "delivery", "set", "erp", "--mode", "webhook", "--url", fixedErp.Webhook, "--secret", secret,
            "--on-failure", "park", "--timeout", "1s");
        Assert.True(set.ExitCode == 0, set.Err);
        var deliveryId = (string)item["deliveryId"]!;
        var retry = await Repo.OrderCtlAsync("--node", node.Url.ToString(), "parked", "retry", "erp", deliveryId);
        Assert.True(retry.ExitCode == 0, retry.Err);
        Assert.Contains($"1 sent again ({deliveryId})", retry.Out);
        var fixedStats = await Poll.ForAsync(fixedErp.StatsAsync, s => (int)s["delivered"]! >= 1, "the parked order delivered after the retry");
        Assert.Equal([$"erp:{queue}/park-07"], fixedStats["orders"]!.AsArray().Select(o => (string)o!));
        var after = await Poll.ForAsync(() => node.Http.GetJsonAsync("/api/orders/park-07"), r => (string)r.Body!["status"]! == "delivered",
            "the order view says delivered");
        Assert.True((int)after.Body!["units"]![0]!["attempts"]! >= 2, "attempts count the refused ones and the retry");
        var list = await Repo.OrderCtlAsync("--node", node.Url.ToString(), "parked", "list", "--unit", "erp");
        Assert.Equal(0, list.ExitCode);
        Assert.Contains("0 parked orders", list.Err);
        var again = await Repo.OrderCtlAsync("--node", node.Url.ToString(), "parked", "retry", "erp", deliveryId);
        Assert.Contains($"not parked: {deliveryId}", again.Out);
        var usage = await Repo.OrderCtlAsync("--node", node.Url.ToString(), "parked", "retry", "erp");
        Assert.Equal(2, usage.ExitCode); // neither ids nor --all
        output.WriteLine($"parked {deliveryId} after {(int)item["attempts"]!} attempt(s); delivered after the retry");
    }

    [Fact]
    public async Task Archive_sets_a_parked_order_aside_and_a_replay_delivers_a_queue_again_from_a_seq()
    {
        var secret = WebhookDeliveryTests.NewSecret();
        await using var erp = await ReceiverProcess.StartAsync(secret, "--reject-order", "arch-03");
        await using var node = await WebhookDeliveryTests.StartNodeAsync();
        await SetParkingWebhookAsync(node, erp.Webhook, secret);
        var ids = await PostPresaleAsync(node, "arch", 24);
        await Poll.ForAsync(erp.StatsAsync, s => (int)s["delivered"]! >= 23, "the 23 orders not refused delivered", seconds: 60);
        await Poll.ForAsync(() => node.Http.GetJsonAsync("/api/admin/parked?unit=erp"), r => r.Body!.AsArray().Count == 1, "one parked order");

        var archive = await node.Http.PostAsync("/api/admin/parked/archive", """{"unit":"erp"}""");
        Assert.Equal(200, archive.Code);
        Assert.Single(archive.Body!["applied"]!.AsArray());
        Assert.Empty((await node.Http.GetJsonAsync("/api/admin/parked?unit=erp")).Body!.AsArray());
        var archived = Assert.Single((await node.Http.GetJsonAsync("/api/admin/parked?archived=true")).Body!.AsArray())!;
        Assert.Equal(("arch-03", "archived"), ((string)archived["orderId"]!, (string)archived["state"]!));
        var inErp = (await node.Http.GetJsonAsync("/api/orders/arch-03")).Body!["units"]![0]!;
        Assert.Equal("parked", (string)inErp["status"]!);
        Assert.NotNull(inErp["archivedAt"]);

        // replay a queue that does not hold the refused order: every one of its orders comes again, same deliveryId
        var refusedQueue = Expected.FirstQueue("arch-03") % Expected.QueuesPerUnit;
        var queues = (await node.Http.GetJsonAsync("/api/admin/delivery")).Body!.AsArray()
            .Where(q => (string)q!["unit"]! == "erp" && (int)q["queue"]! != refusedQueue && (long)q["deliveredUpTo"]! > 0).ToList();
        var target = queues.First()!;
        var (k, upTo) = ((int)target["queue"]!, (long)target["deliveredUpTo"]!);
        var tooFar = await Repo.OrderCtlAsync("--node", node.Url.ToString(), "units", "replay", "erp", $"{k}", "--from", $"{upTo + 2}");
        Assert.Equal(1, tooFar.ExitCode);
        Assert.Contains("409", tooFar.Err);
        var before = (int)(await erp.StatsAsync())["duplicates"]!;
        var replay = await Repo.OrderCtlAsync("--node", node.Url.ToString(), "units", "replay", "erp", $"{k}", "--from", "1");
        Assert.True(replay.ExitCode == 0, replay.Err);
        var stats = await Poll.ForAsync(erp.StatsAsync, s => (int)s["duplicates"]! >= before + upTo, $"the {upTo} orders of erp queue {k} delivered again");
        Assert.Equal(before + upTo, (int)stats["duplicates"]!);
        Assert.Equal(23, (int)stats["delivered"]!); // nothing new: the receiver deduped every one by its deliveryId
        await Poll.UntilAsync(async () => (await node.Http.GetJsonAsync("/api/admin/delivery")).Body!.AsArray()
            .Single(q => (string)q!["unit"]! == "erp" && (int)q["queue"]! == k)!["deliveredUpTo"]!.GetValue<long>() == upTo, "the cursor back where it was");
        Assert.Equal(ids.Count, ids.Distinct().Count());
    }

    [Fact]
    public async Task Pause_holds_every_queue_of_a_unit_resume_delivers_and_a_410_pauses_it_until_its_settings_change()
    {
        var secret = WebhookDeliveryTests.NewSecret();
        await using var erp = await ReceiverProcess.StartAsync(secret);
        await using var node = await WebhookDeliveryTests.StartNodeAsync();
        await SetParkingWebhookAsync(node, erp.Webhook, secret);
        var pause = await Repo.OrderCtlAsync("--node", node.Url.ToString(), "delivery", "pause", "erp", "--reason", "ERP upgrade");
        Assert.True(pause.ExitCode == 0, pause.Err);
        Assert.Contains("paused (ERP upgrade)", pause.Out);
        var settings = (await node.Http.GetJsonAsync("/api/admin/units/erp/delivery")).Body!;
        Assert.Equal(("ERP upgrade", "operator"), ((string)settings["paused"]!["reason"]!, (string)settings["paused"]!["by"]!));

        await PostPresaleAsync(node, "pause", 20);
        // every order processed and waiting in a paused queue: then the receiver has none
        var held = await Poll.ForAsync(() => node.Http.GetJsonAsync("/api/admin/delivery"),
            r => ErpQueues(r).Sum(q => (long)q["lag"]!) == 20 && ErpQueues(r).All(q => (string?)q["paused"] == "ERP upgrade"), "20 orders held by the pause");
        Assert.Equal(0, (int)(await erp.StatsAsync())["delivered"]!);
        Assert.Contains(ErpQueues(held), q => q["lagSeconds"] is not null);
        var resume = await Repo.OrderCtlAsync("--node", node.Url.ToString(), "delivery", "resume", "erp");
        Assert.True(resume.ExitCode == 0, resume.Err);
        await Poll.ForAsync(erp.StatsAsync, s => (int)s["delivered"]! == 20, "the 20 held orders delivered after resume");

        // a receiver that answers 410 Gone pauses the unit (durably, on every queue) until its settings change
        await using var gone = await ReceiverProcess.StartAsync(secret, "--gone-after", "0");
        await SetParkingWebhookAsync(node, gone.Webhook, secret);
        await PostPresaleAsync(node, "gone", 8);
        var pausedByReceiver = await Poll.ForAsync(() => node.Http.GetJsonAsync("/api/admin/units/erp/delivery"), r => r.Body!["paused"] is not null,
            "the unit paused by the 410");
        Assert.Equal("receiver", (string)pausedByReceiver.Body!["paused"]!["by"]!);
        Assert.Contains("410", (string)pausedByReceiver.Body!["paused"]!["reason"]!);
        await SetParkingWebhookAsync(node, erp.Webhook, secret);
        Assert.Null((await node.Http.GetJsonAsync("/api/admin/units/erp/delivery")).Body!["paused"]);
        await Poll.ForAsync(erp.StatsAsync, s => (int)s["delivered"]! == 28, "the 8 orders delivered once the settings changed");
    }

    [Fact]
    public async Task A_units_rate_limit_paces_its_queues_requests()
    {
        var secret = WebhookDeliveryTests.NewSecret();
        await using var erp = await ReceiverProcess.StartAsync(secret);
        await using var node = await WebhookDeliveryTests.StartNodeAsync();
        // 20 orders/s for erp, shared by its 4 queues: 5 a second each, so at most 5 orders per request, a second apart
        Assert.Equal(200, (await node.Http.PutAsync("/api/admin/units/erp/delivery",
            $$"""{"mode":"webhook","url":"{{erp.Webhook}}","secrets":["{{secret}}"],"batch":100,"rateLimit":20}""")).Code);
        await PostPresaleAsync(node, "rate", 40);
        var stats = await Poll.ForAsync(erp.StatsAsync, s => (int)s["delivered"]! == 40, "the 40 orders delivered");
        var arrivals = stats["arrivals"]!.AsArray().Select(a => (long)a!).ToList();
        Assert.True((int)stats["requests"]! >= 8, $"{stats["requests"]} requests carried 40 orders at most 5 at a time");
        Assert.True(arrivals.Max() - arrivals.Min() >= 900, $"40 orders at 20/s arrived within {arrivals.Max() - arrivals.Min()} ms");
        output.WriteLine($"40 orders in {(int)stats["requests"]!} requests over {arrivals.Max() - arrivals.Min()} ms");
    }

    [Fact]
    public async Task Business_progress_reported_downstream_shows_in_the_order_view_and_bad_reports_get_clear_answers()
    {
        await using var node = await NodeProcess.StartAsync();
        Assert.Equal(202, (await node.Http.PostJsonAsync("/api/orders", Expected.Order("st-1", "B2B"))).Code);
        Assert.Equal(202, (await node.Http.PostJsonAsync("/api/orders", Expected.Order("st-2", "TRANSFER"))).Code);
        await Poll.UntilAsync(async () => (string)(await node.Http.GetJsonAsync("/api/orders/st-1")).Body!["status"]! == "processed", "st-1 processed");

        var shipped = await node.Http.PostAsync("/api/units/erp/orders/st-1/status",
            """{"status":"shipped","at":"2026-12-01T10:00:00Z","reference":"DHL 00340434161094015902","note":"two parcels"}""");
        Assert.Equal(200, shipped.Code);
        Assert.Single(shipped.Body!["history"]!.AsArray());
        var invoiced = await node.Http.PostAsync("/api/units/erp/orders/st-1/status", """{"status":"invoiced"}""");
        Assert.Equal(["shipped", "invoiced"], invoiced.Body!["history"]!.AsArray().Select(h => (string)h!["status"]!));

        var units = (await node.Http.GetJsonAsync("/api/orders/st-1")).Body!["units"]!.AsArray();
        var erpHistory = units.Single(u => (string)u!["unit"]! == "erp")!["history"]!.AsArray();
        Assert.Equal(("shipped", "2026-12-01T10:00:00.000Z", "DHL 00340434161094015902", "two parcels"),
            ((string)erpHistory[0]!["status"]!, (string)erpHistory[0]!["at"]!, (string)erpHistory[0]!["reference"]!, (string)erpHistory[0]!["note"]!));
        Assert.Null(units.Single(u => (string)u!["unit"]! == "wms")!["history"]);

        foreach (var (path, body, code, field) in new[]
                 {
                     ("/api/units/erp/orders/st-2/status", """{"status":"shipped"}""", 404, "orderId"), // routed to wms only
                     ("/api/units/erp/orders/nope/status", """{"status":"shipped"}""", 404, "orderId"),
                     ("/api/units/crm/orders/st-1/status", """{"status":"shipped"}""", 404, "unit"),
                     ("/api/units/erp/orders/st-1/status", """{"status":"Shipped!"}""", 400, "status"),
                     ("/api/units/erp/orders/st-1/status", """{"note":"no status"}""", 400, "status"),
                     ("/api/units/erp/orders/st-1/status", """{"status":"shipped","at":"yesterday"}""", 400, null),
                 })
        {
            var reply = await node.Http.PostAsync(path, body);
            Assert.True(reply.Code == code, $"{path} {body}: {reply}");
            Assert.Equal("application/problem+json", reply.ContentType);
            if (field is not null) Assert.NotNull(reply.Body!["errors"]![field]);
        }

        // pull: an operator's replay moves the committed cursor back; acks move it again
        var erpQueue = (int)units.Single(u => (string)u!["unit"]! == "erp")!["queue"]!;
        Assert.Equal(200, (await node.Http.PostAsync($"/api/units/erp/queues/{erpQueue}/ack", """{"upTo":1}""")).Code);
        var replay = await node.Http.PostAsync($"/api/admin/units/erp/queues/{erpQueue}/replay", """{"from":1}""");
        Assert.Equal((200, 0L), (replay.Code, (long)replay.Body!["deliveredUpTo"]!));
        Assert.Equal(400, (await node.Http.PostAsync($"/api/admin/units/erp/queues/{erpQueue}/replay", """{"from":0}""")).Code);
        var ack = await node.Http.PostAsync($"/api/units/erp/queues/{erpQueue}/ack", """{"upTo":1}""");
        Assert.Equal(1L, (long)ack.Body!["deliveredUpTo"]!);
    }

    private static IEnumerable<JsonNode> ErpQueues(Reply delivery) => delivery.Body!.AsArray().Where(q => (string)q!["unit"]! == "erp")!;

    private static async Task SetParkingWebhookAsync(NodeProcess node, string url, string secret)
    {
        var reply = await node.Http.PutAsync("/api/admin/units/erp/delivery",
            $$"""{"mode":"webhook","url":"{{url}}","secrets":["{{secret}}"],"batch":10,"timeout":"1s","onFailure":"park","maxAttempts":5}""");
        Assert.Equal(200, reply.Code);
    }

    private static async Task<List<string>> PostPresaleAsync(NodeProcess node, string prefix, int count)
    {
        var outcomes = new OrderOutcomes();
        var ids = Enumerable.Range(0, count).Select(i => $"{prefix}-{i:D2}").ToList();
        await outcomes.PostBatchAsync(node.Http, ids.Select(id => (id, "PRESALE")).ToList());
        await outcomes.ResolveAsync(node.Http, TimeSpan.FromSeconds(60));
        Assert.Equal(count, outcomes.Accepted);
        return ids;
    }
}
