using OrderActors.IntegrationTests.Support;
using Xunit.Abstractions;

namespace OrderActors.IntegrationTests;

/// <summary>The operator page in a real headless Chromium against a real node and a real webhook receiver.</summary>
public class OperatorPageTests(ITestOutputHelper output)
{
    [Fact]
    public async Task The_page_shows_the_numbers_change_a_paused_queue_and_a_parked_group_retried_to_a_real_receiver_and_opens_a_trace()
    {
        await using var node = await NodeProcess.StartAsync();
        var secret = WebhookDeliveryTests.NewSecret();
        await using var receiver = await ReceiverProcess.StartAsync(secret);
        using var browser = new Browser();
        browser.Open(node.Url);

        // orders posted: the page's numbers change without a reload
        var ids = Enumerable.Range(0, 20).Select(i => $"page-{i:D2}").ToList();
        foreach (var id in ids) Assert.Equal(202, (await node.Http.PostJsonAsync("/api/orders", Expected.Order(id, "B2C"))).Code);
        await Until(() => browser.Text("#accepted-total") == "20", "the page shows 20 accepted");
        Assert.Equal(422, (await node.Http.PostJsonAsync("/api/orders", Expected.Order("page-bad", "NOPE"))).Code);
        await Until(() => browser.Count("tr.rejection") == 1 && browser.Text("tr.rejection").Contains("page-bad"), "the rejected order listed");

        // erp pushes to the receiver, then is paused: its row is highlighted; more orders wait in its queues
        Assert.Equal(200, (await node.Http.PutAsync("/api/admin/units/erp/delivery", Webhook(receiver.Webhook, secret))).Code);
        await Until(async () => (await receiver.StatsAsync())["orders"]!.AsArray().Count(o => ((string)o!).StartsWith("erp:")) == 20, "erp's 20 delivered");
        Assert.Equal(200, (await node.Http.PostAsync("/api/admin/units/erp/delivery/pause", """{"reason":"maintenance window"}""")).Code);
        foreach (var id in Enumerable.Range(0, 10).Select(i => $"page-late-{i}"))
            Assert.Equal(202, (await node.Http.PostJsonAsync("/api/orders", Expected.Order(id, "PRESALE"))).Code);
        await Until(() => browser.Count("tr.unit-row.paused[data-unit='erp']") == 1, "erp's row highlighted as paused");
        await Until(() => browser.Count("tr.unit-row[data-unit='erp'] td.level-2") > 0, "erp's waiting queues in the hot colour");
        Assert.Equal(0, browser.Count("tr.unit-row.paused[data-unit='wms']"));
        output.WriteLine(browser.Screenshot("operator-page-paused"));

        // wms pushes to an address where nothing listens, parking after one attempt: its 20 orders are one parked group
        var (deadPort, _) = LoopbackPorts.TwoFree();
        Assert.Equal(200, (await node.Http.PutAsync("/api/admin/units/wms/delivery",
            Webhook($"http://127.0.0.1:{deadPort}/webhook", secret, ""","onFailure":"park","maxAttempts":1"""))).Code);
        await Until(() => browser.Count("tr.parked-group[data-unit='wms']") == 1 && browser.Attribute("tr.parked-group[data-unit='wms']", "data-count") == "20", "wms's 20 orders parked in one group", 60);
        output.WriteLine(browser.Screenshot("operator-page-parked", "#parked"));

        // the receiver is back (the unit's url set to it): the group retried from the page reaches it
        Assert.Equal(200, (await node.Http.PutAsync("/api/admin/units/wms/delivery", Webhook(receiver.Webhook, secret, ""","onFailure":"park","maxAttempts":1"""))).Code);
        browser.Click("tr.parked-group[data-unit='wms'] button.retry-group");
        await Until(async () => (await receiver.StatsAsync())["orders"]!.AsArray().Count(o => ((string)o!).StartsWith("wms:")) == 20,
            "wms's 20 orders delivered to the receiver after the retry", 60);
        await Until(() => browser.Count("tr.parked-group") == 0 && browser.Text("#parked-total") == "0", "no parked group left");
        Assert.Equal(ReceiverProcess.OrdersFor("wms", ids), ReceiverProcess.Orders(await receiver.StatsAsync()).Where(o => o.StartsWith("wms:")).ToList());

        // a trace opened by search
        browser.Type("#search", ids[3]);
        browser.Click("#search-go");
        await Until(() => browser.Text("#trace-units tr[data-unit='wms'] .status") == "delivered", "the order's view: delivered at wms");
        Assert.Equal("delivered", browser.Text("#trace-units tr[data-unit='erp'] .status"));
        output.WriteLine(browser.Screenshot("operator-page-trace", "#trace-panel"));

        // usable on a phone: nothing wider than the screen but the tables' own scrolling
        browser.Resize(390, 844);
        await Until(() => Convert.ToInt64(browser.Script("return window.innerWidth")) <= 400, "the window at phone width");
        await Until(() => Convert.ToBoolean(browser.Script("return document.documentElement.scrollWidth <= document.documentElement.clientWidth")),
            "no sideways scrolling at 390 px");
        output.WriteLine(browser.Screenshot("operator-page-phone"));
    }

    [Fact]
    public async Task With_auth_on_the_page_asks_for_a_key_and_keeps_it_for_the_tab()
    {
        const string token = "page-admin-token-for-the-test";
        await using var node = await NodeProcess.StartAsync(null, "--admin-token", token);
        using var browser = new Browser();
        browser.Open(node.Url); // the page itself needs no key
        await Until(() => Convert.ToBoolean(browser.Script("return document.getElementById('key-dialog').open")), "the page asks for a key");
        Assert.Equal("–", browser.Text("#accepted-total"));
        browser.Type("#key-input", token);
        browser.Click("#key-form button[type=submit]");
        await Until(() => browser.Text("#accepted-total") == "0", "with the key the page shows the node's numbers");
        Assert.Equal(token, browser.Script("return sessionStorage.getItem('orderactors.key')"));
        Assert.Null(browser.Script("return localStorage.getItem('orderactors.key')")); // the tab only
    }

    private static string Webhook(string url, string secret, string more = "") =>
        $$"""{"mode":"webhook","url":"{{url}}","secrets":["{{secret}}"],"batch":10,"timeout":"2s"{{more}}}""";

    private static Task Until(Func<bool> condition, string what, int seconds = 30) => Poll.UntilAsync(() => Task.FromResult(condition()), what, seconds);

    private static Task Until(Func<Task<bool>> condition, string what, int seconds = 30) => Poll.UntilAsync(condition, what, seconds);
}
