using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using OrderActors.IntegrationTests.Support;

namespace OrderActors.IntegrationTests;

/// <summary>A node with auth on, a producer key, and the state every bad input must leave as it was.</summary>
public sealed class GuardedNodeFixture : IAsyncLifetime
{
    public const string AdminToken = "bad-input-suite-admin-token";
    public NodeProcess Node { get; private set; } = null!;
    public string ProducerKey { get; private set; } = "";

    public async Task InitializeAsync()
    {
        Node = new NodeProcess(null, "--admin-token", AdminToken);
        await Node.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/admin/keys")
        {
            Content = new StringContent("""{"name": "oms", "role": "producer"}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", AdminToken);
        using var created = await Node.Http.SendAsync(request);
        ProducerKey = (string)JsonNode.Parse(await created.Content.ReadAsStringAsync())!["key"]!;

        // one order the erp unit has processed, for the calls that need one (downstream status)
        using var order = new HttpRequestMessage(HttpMethod.Post, "/api/orders")
        {
            Content = new StringContent("""{"orderId":"known-1","businessCode":"B2B","lines":[{"sku":"11","quantity":1}]}""", Encoding.UTF8, "application/json"),
        };
        order.Headers.Authorization = new AuthenticationHeaderValue("Bearer", AdminToken);
        using (var accepted = await Node.Http.SendAsync(order)) Assert.Equal(202, (int)accepted.StatusCode);
        await Poll.UntilAsync(async () =>
        {
            using var view = new HttpRequestMessage(HttpMethod.Get, "/api/orders/known-1");
            view.Headers.Authorization = new AuthenticationHeaderValue("Bearer", AdminToken);
            using var answer = await Node.Http.SendAsync(view);
            var units = JsonNode.Parse(await answer.Content.ReadAsStringAsync())?["units"]?.AsArray();
            return units is { Count: > 0 } && units.All(u => (string?)u!["status"] is "processed" or "delivered");
        }, "the known order processed in every unit");
    }

    public async Task DisposeAsync() => await Node.DisposeAsync();
}

/// <summary>
/// Bad input of every kind on every route (docs/API.md, "Errors" and "Text"), each a named class: the answer is the
/// documented 4xx (never a 5xx) as problem+json naming the field at fault, nothing anywhere is stored or changed
/// (queues, catalog, stock, keys, delivery settings, parked orders), and the node is still ready.
/// </summary>
public class BadInputTests(GuardedNodeFixture fixture) : IClassFixture<GuardedNodeFixture>
{
    private const string Token = GuardedNodeFixture.AdminToken;
    private const string Producer = "<producer>";

    /// <param name="Field">the key expected in <c>errors</c>; null where no single field is at fault (a 401, a 404)</param>
    /// <param name="ItemField">a batch: the answer is 200 and item 0 is refused naming this field</param>
    public sealed record Case(string Method, string Path, string? Body, int Status, string? Field,
        string? ContentType = "application/json", string? Bearer = Token, (string Name, string Value)[]? Headers = null, string? ItemField = null,
        byte[]? RawBody = null);

    private static string Order(string orderId = "\"bad-input\"", string code = "\"B2B\"", string lines = """[{"sku":"11","quantity":1}]""", string extra = "") =>
        $$"""{"orderId":{{orderId}},"businessCode":{{code}},"customerId":"c-1",{{extra}}"lines":{{lines}}}""";

    private static string Line(string sku = "\"11\"", string quantity = "1", string extra = "") => $$"""[{"sku":{{sku}},"quantity":{{quantity}}{{extra}}}]""";

    private static string Product(string name = "\"Tea\"", string price = "1", string manufacturer = "\"1\"", string extra = "") =>
        $$"""{"name":{{name}},"manufacturerId":{{manufacturer}},"unitPrice":{{price}}{{extra}}}""";

    public static readonly Dictionary<string, Case> Cases = new()
    {
        // --- intake: the body as bytes ---
        ["order: empty body"] = new("POST", "/api/orders", "", 400, null),
        ["order: whitespace only"] = new("POST", "/api/orders", "   \n ", 400, "body"),
        ["order: not JSON"] = new("POST", "/api/orders", "orderId=1&code=B2B", 400, "body"),
        ["order: truncated JSON"] = new("POST", "/api/orders", Order()[..40], 400, "body"),
        ["order: nested 100 deep"] = new("POST", "/api/orders", new string('[', 100) + new string(']', 100), 400, "body"),
        ["order: an array, not an object"] = new("POST", "/api/orders", "[1,2]", 400, ""),
        ["order: text/plain"] = new("POST", "/api/orders", Order(), 415, "Content-Type", ContentType: "text/plain"),
        ["order: no Content-Type"] = new("POST", "/api/orders", Order(), 415, "Content-Type", ContentType: null),
        ["order: charset iso-8859-1"] = new("POST", "/api/orders", Order(), 415, "Content-Type", ContentType: "application/json; charset=iso-8859-1"),
        ["order: charset utf-16"] = new("POST", "/api/orders", Order(), 415, "Content-Type", ContentType: "application/json; charset=utf-16"),
        ["order: gzip Content-Encoding"] = new("POST", "/api/orders", Order(), 415, "Content-Encoding", Headers: [("Content-Encoding", "gzip")]),
        ["order: body over 1 MiB"] = new("POST", "/api/orders", Order(extra: $"\"pad\":\"{new string('x', 1_100_000)}\","), 413, null),
        ["order: bytes that are not UTF-8 in orderId"] = new("POST", "/api/orders", null, 400, "orderId",
            RawBody: [.. Encoding.UTF8.GetBytes("{\"orderId\":\"bad"), 0xFF, 0xFE, .. Encoding.UTF8.GetBytes("\",\"businessCode\":\"B2B\",\"lines\":[{\"sku\":\"11\",\"quantity\":1}]}")]),
        ["order: overlong UTF-8 encoding of '/'"] = new("POST", "/api/orders", null, 400, "orderId",
            RawBody: [.. Encoding.UTF8.GetBytes("{\"orderId\":\"a"), 0xC0, 0xAF, .. Encoding.UTF8.GetBytes("\",\"businessCode\":\"B2B\",\"lines\":[{\"sku\":\"11\",\"quantity\":1}]}")]),
        // --- intake: ids and text ---
        ["orderId: lone surrogate"] = new("POST", "/api/orders", Order("\"a\\uD800b\""), 400, "orderId"),
        ["orderId: NUL"] = new("POST", "/api/orders", Order("\"a\\u0000b\""), 400, "orderId"),
        ["orderId: CR LF"] = new("POST", "/api/orders", Order("\"a\\r\\nb\""), 400, "orderId"),
        ["orderId: tab"] = new("POST", "/api/orders", Order("\"a\\tb\""), 400, "orderId"),
        ["orderId: bidi override U+202E"] = new("POST", "/api/orders", Order("\"a\\u202Eb\""), 400, "orderId"),
        ["orderId: zero-width space U+200B"] = new("POST", "/api/orders", Order("\"a\\u200Bb\""), 400, "orderId"),
        ["orderId: byte order mark U+FEFF"] = new("POST", "/api/orders", Order("\"\\uFEFFab\""), 400, "orderId"),
        ["orderId: line separator U+2028"] = new("POST", "/api/orders", Order("\"a\\u2028b\""), 400, "orderId"),
        ["orderId: slash"] = new("POST", "/api/orders", Order("\"a/b\""), 400, "orderId"),
        ["orderId: 65 characters"] = new("POST", "/api/orders", Order($"\"{new string('a', 65)}\""), 400, "orderId"),
        ["orderId: missing"] = new("POST", "/api/orders", """{"businessCode":"B2B","lines":[{"sku":"11","quantity":1}]}""", 400, "orderId"),
        ["orderId: a number"] = new("POST", "/api/orders", Order("42"), 400, "orderId"),
        ["orderId: empty"] = new("POST", "/api/orders", Order("\"\""), 400, "orderId"),
        ["orderId: whitespace"] = new("POST", "/api/orders", Order("\"   \""), 400, "orderId"),
        ["orderId: given twice"] = new("POST", "/api/orders", Order(extra: "\"orderId\":\"other\","), 400, "body"),
        ["customerId: lone surrogate"] = new("POST", "/api/orders", Order().Replace("\"c-1\"", "\"c\\uDC00\""), 400, "customerId"),
        ["businessCode: missing"] = new("POST", "/api/orders", """{"orderId":"bad-input","lines":[{"sku":"11","quantity":1}]}""", 400, "businessCode"),
        ["businessCode: unknown"] = new("POST", "/api/orders", Order(code: "\"NOPE\""), 422, "businessCode"),
        ["businessCode: an object"] = new("POST", "/api/orders", Order(code: "{}"), 400, "businessCode"),
        ["placedAt: without an offset"] = new("POST", "/api/orders", Order(extra: "\"placedAt\":\"1996-07-04T00:00:00\","), 400, "placedAt"),
        ["placedAt: not a time"] = new("POST", "/api/orders", Order(extra: "\"placedAt\":\"yesterday\","), 400, "placedAt"),
        ["placedAt: a number"] = new("POST", "/api/orders", Order(extra: "\"placedAt\":1700000000,"), 400, "placedAt"),
        // --- intake: lines ---
        ["lines: missing"] = new("POST", "/api/orders", """{"orderId":"bad-input","businessCode":"B2B"}""", 400, "lines"),
        ["lines: empty"] = new("POST", "/api/orders", Order(lines: "[]"), 400, "lines"),
        ["lines: not an array"] = new("POST", "/api/orders", Order(lines: "{}"), 400, "lines"),
        ["lines: 1,001"] = new("POST", "/api/orders", Order(lines: "[" + string.Join(",", Enumerable.Repeat("""{"sku":"11","quantity":1}""", 1001)) + "]"), 400, "lines"),
        ["lines: an item that is not an object"] = new("POST", "/api/orders", Order(lines: "[7]"), 400, "lines[0]"),
        ["quantity: 0"] = new("POST", "/api/orders", Order(lines: Line(quantity: "0")), 400, "lines[0].quantity"),
        ["quantity: negative"] = new("POST", "/api/orders", Order(lines: Line(quantity: "-3")), 400, "lines[0].quantity"),
        ["quantity: a string"] = new("POST", "/api/orders", Order(lines: Line(quantity: "\"5\"")), 400, "lines[0].quantity"),
        ["quantity: a fraction"] = new("POST", "/api/orders", Order(lines: Line(quantity: "1.5")), 400, "lines[0].quantity"),
        ["quantity: beyond 32 bits"] = new("POST", "/api/orders", Order(lines: Line(quantity: "99999999999")), 400, "lines[0].quantity"),
        ["quantity: 1e400"] = new("POST", "/api/orders", Order(lines: Line(quantity: "1e400")), 400, "lines[0].quantity"),
        ["unitPrice: negative"] = new("POST", "/api/orders", Order(lines: Line(extra: ",\"unitPrice\":-1")), 400, "lines[0].unitPrice"),
        ["unitPrice: a string"] = new("POST", "/api/orders", Order(lines: Line(extra: ",\"unitPrice\":\"1.00\"")), 400, "lines[0].unitPrice"),
        ["unitPrice: beyond decimal"] = new("POST", "/api/orders", Order(lines: Line(extra: ",\"unitPrice\":1e40")), 400, "lines[0].unitPrice"),
        ["sku: missing"] = new("POST", "/api/orders", Order(lines: """[{"quantity":1}]"""), 400, "lines[0].sku"),
        ["sku: NUL"] = new("POST", "/api/orders", Order(lines: Line(sku: "\"1\\u00001\"")), 400, "lines[0].sku"),
        ["sku: bidi override"] = new("POST", "/api/orders", Order(lines: Line(sku: "\"1\\u202E1\"")), 400, "lines[0].sku"),
        ["sku: unknown"] = new("POST", "/api/orders", Order(lines: Line(sku: "\"no-such-sku\"")), 422, "lines[0].sku"),
        // --- batch ---
        ["batch: not an array"] = new("POST", "/api/orders/batch", Order(), 400, "body"),
        ["batch: 1,001 orders"] = new("POST", "/api/orders/batch", "[" + string.Join(",", Enumerable.Range(0, 1001).Select(i => Order($"\"bad-b{i}\""))) + "]", 413, "body"),
        ["batch: not JSON"] = new("POST", "/api/orders/batch", "[{]", 400, "body"),
        ["batch: an item with a key given twice"] = new("POST", "/api/orders/batch", "[" + Order(extra: "\"orderId\":\"x\",") + "]", 200, null, ItemField: "orderId"),
        ["batch: an item with a lone surrogate"] = new("POST", "/api/orders/batch", "[" + Order("\"b\\uD800\"") + "]", 200, null, ItemField: "orderId"),
        ["batch: an item that is a string"] = new("POST", "/api/orders/batch", "[\"order\"]", 200, null, ItemField: ""),
        // --- order view and feeds ---
        ["view: an order never accepted"] = new("GET", "/api/orders/bad-input", null, 404, null),
        ["feed: after=abc"] = new("GET", "/api/units/erp/queues/0/orders?after=abc", null, 400, "after"),
        ["feed: after=-1"] = new("GET", "/api/units/erp/queues/0/orders?after=-1", null, 400, "after"),
        ["feed: queue=abc"] = new("GET", "/api/units/erp/queues/abc/orders", null, 404, "queue"),
        ["feed: queue out of range"] = new("GET", "/api/units/erp/queues/99/orders", null, 404, null),
        ["feed: unknown unit"] = new("GET", "/api/units/nope/queues/0/orders", null, 404, null),
        ["feed: limit=0"] = new("GET", "/api/units/erp/queues/0/orders?limit=0", null, 400, "limit"),
        ["feed: wait=forever"] = new("GET", "/api/units/erp/queues/0/orders?wait=forever", null, 400, "wait"),
        ["ack: upTo a string"] = new("POST", "/api/units/erp/queues/0/ack", """{"upTo":"5"}""", 400, "upTo"),
        ["ack: upTo beyond the queue"] = new("POST", "/api/units/erp/queues/0/ack", """{"upTo":999999}""", 409, "upTo"),
        ["ack: not JSON"] = new("POST", "/api/units/erp/queues/0/ack", "upTo=5", 400, "body"),
        ["status: not a lowercase word"] = new("POST", "/api/units/erp/orders/known-1/status", """{"status":"Shipped Now!"}""", 400, "status"),
        ["status: a note over 2,000 characters"] = new("POST", "/api/units/erp/orders/known-1/status", $$"""{"status":"shipped","note":"{{new string('n', 2001)}}"}""", 400, "note"),
        ["status: at without an offset"] = new("POST", "/api/units/erp/orders/known-1/status", """{"status":"shipped","at":"2026-01-01T00:00:00"}""", 400, "at"),
        ["status: an order the unit never had"] = new("POST", "/api/units/erp/orders/bad-input/status", """{"status":"shipped"}""", 404, null),
        // --- catalog ---
        ["product: sku with a bidi override"] = new("PUT", "/api/catalog/products/a%E2%80%AEb", Product(), 400, "sku"),
        ["product: sku with a zero-width space"] = new("PUT", "/api/catalog/products/a%E2%80%8Bb", Product(), 400, "sku"),
        ["product: name with a line break"] = new("PUT", "/api/catalog/products/bad-p1", Product(name: "\"Tea\\nhouse\""), 400, "name"),
        ["product: name with a lone surrogate"] = new("PUT", "/api/catalog/products/bad-p1", Product(name: "\"Tea\\uD800\""), 400, "name"),
        ["product: name missing"] = new("PUT", "/api/catalog/products/bad-p1", """{"manufacturerId":"1","unitPrice":1}""", 400, "name"),
        ["product: negative price"] = new("PUT", "/api/catalog/products/bad-p1", Product(price: "-1"), 400, "unitPrice"),
        ["product: price as a string"] = new("PUT", "/api/catalog/products/bad-p1", Product(price: "\"1\""), 400, "unitPrice"),
        ["product: unknown manufacturer"] = new("PUT", "/api/catalog/products/bad-p1", Product(manufacturer: "\"no-such\""), 400, "manufacturerId"),
        ["product: reorderLevel that would wrap its target"] = new("PUT", "/api/catalog/products/bad-p1", Product(extra: ",\"reorderLevel\":2000000000"), 400, "reorderLevel"),
        ["product: stockOnHand beyond 32 bits"] = new("PUT", "/api/catalog/products/bad-p1", Product(extra: ",\"stockOnHand\":99999999999"), 400, "stockOnHand"),
        ["product: a key given twice"] = new("PUT", "/api/catalog/products/bad-p1", Product(extra: ",\"name\":\"Other\""), 400, "body"),
        ["manufacturer: empty name"] = new("PUT", "/api/catalog/manufacturers/bad-m1", """{"name":""}""", 400, "name"),
        ["manufacturer: id with NUL"] = new("PUT", "/api/catalog/manufacturers/a%01b", """{"name":"M"}""", 400, "id"),
        ["import: CSV without a sku or id header"] = new("POST", "/api/catalog/import", "a,b\n1,2\n", 400, "line 1", ContentType: "text/csv"),
        ["import: CSV stockOnHand beyond 32 bits"] = new("POST", "/api/catalog/import", "sku,name,manufacturerId,unitPrice,stockOnHand\nbad-i1,Tea,1,1,99999999999\n", 400, "line 2", ContentType: "text/csv"),
        ["import: CSV unterminated quote"] = new("POST", "/api/catalog/import", "sku,name,manufacturerId,unitPrice\nbad-i1,\"Tea,1,1\n", 400, null, ContentType: "text/csv"),
        ["import: JSON with a key given twice"] = new("POST", "/api/catalog/import", """{"products":[{"sku":"bad-i1","sku":"bad-i2","name":"T","manufacturerId":"1","unitPrice":1}]}""", 400, null),
        ["import: JSON with a lone surrogate"] = new("POST", "/api/catalog/import", """{"products":[{"sku":"bad-i1","name":"T\uD800","manufacturerId":"1","unitPrice":1}]}""", 400, "line 1"),
        ["import: an XML body"] = new("POST", "/api/catalog/import", "<catalog/>", 415, "Content-Type", ContentType: "application/xml"),
        // --- inventory and reports ---
        ["receipt: quantity 0"] = new("POST", "/api/inventory/3/receipts", """{"quantity":0}""", 400, "quantity"),
        ["receipt: quantity a string"] = new("POST", "/api/inventory/3/receipts", """{"quantity":"5"}""", 400, "quantity"),
        ["receipt: quantity beyond the stock limit"] = new("POST", "/api/inventory/3/receipts", """{"quantity":9223372036854775807}""", 422, "quantity"),
        ["receipt: quantity beyond 64 bits"] = new("POST", "/api/inventory/3/receipts", """{"quantity":9223372036854775808}""", 400, "quantity"),
        ["receipt: unknown product"] = new("POST", "/api/inventory/no-such/receipts", """{"quantity":1}""", 404, null),
        ["count: beyond the stock limit"] = new("PUT", "/api/inventory/3/count", """{"onHand":-9223372036854775808}""", 422, "onHand"),
        ["count: missing"] = new("PUT", "/api/inventory/3/count", "{}", 400, "onHand"),
        ["report: format=xml"] = new("GET", "/api/reports/replenishment?format=xml", null, 400, "format"),
        // --- delivery ---
        ["delivery: unknown mode"] = new("PUT", "/api/admin/units/erp/delivery", """{"mode":"carrier-pigeon"}""", 400, "mode"),
        ["delivery: webhook without a URL"] = new("PUT", "/api/admin/units/erp/delivery", """{"mode":"webhook"}""", 400, "url"),
        ["delivery: webhook to a file URL"] = new("PUT", "/api/admin/units/erp/delivery", """{"mode":"webhook","url":"file:///etc/passwd"}""", 400, "url"),
        ["delivery: unknown unit"] = new("PUT", "/api/admin/units/nope/delivery", """{"mode":"pull"}""", 404, null),
        ["replay: from a string"] = new("POST", "/api/admin/units/erp/queues/0/replay", """{"from":"abc"}""", 400, "from"),
        ["replay: from 0"] = new("POST", "/api/admin/units/erp/queues/0/replay", """{"from":0}""", 400, "from"),
        ["parked retry: not JSON"] = new("POST", "/api/admin/parked/retry", "retry all", 400, "body"),
        // --- keys and auth ---
        ["keys: unknown role"] = new("POST", "/api/admin/keys", """{"name":"x","role":"root"}""", 400, "role"),
        ["keys: consumer without units"] = new("POST", "/api/admin/keys", """{"name":"x","role":"consumer"}""", 400, "units"),
        ["keys: name with a control character"] = new("POST", "/api/admin/keys", """{"name":"x\u0007","role":"producer"}""", 400, "name"),
        ["keys: revoke an unknown key"] = new("DELETE", "/api/admin/keys/nosuchkeyid0", null, 404, null),
        ["auth: no key"] = new("POST", "/api/orders", Order(), 401, null, Bearer: null),
        ["auth: a key that does not exist"] = new("POST", "/api/orders", Order(), 401, null, Bearer: "oak_abcdefghijkl_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"),
        ["auth: not a bearer scheme"] = new("GET", "/api/routing", null, 401, null, Bearer: null, Headers: [("Authorization", "Basic YWRtaW46YWRtaW4=")]),
        ["auth: a producer changing the catalog"] = new("PUT", "/api/catalog/products/bad-p1", Product(), 403, null, Bearer: Producer),
        ["auth: a producer creating a key"] = new("POST", "/api/admin/keys", """{"name":"x","role":"admin"}""", 403, null, Bearer: Producer),
        // --- cluster operations ---
        ["cluster leave: no address"] = new("POST", "/api/admin/cluster/leave", "{}", 400, "address"),
        ["cluster down: not an address"] = new("POST", "/api/admin/cluster/down", """{"address":"not-an-address"}""", 400, "address"),
        // --- HTTP itself ---
        ["http: a URL over 8 KiB"] = new("GET", "/api/orders/" + new string('a', 9000), null, 414, null),
        ["http: headers over 32 KiB"] = new("GET", "/api/routing", null, 431, null, Headers: [("X-Padding", new string('a', 40_000))]),
        ["http: an unknown route"] = new("GET", "/api/nothing-here", null, 404, null),
        ["http: a method the route does not take"] = new("DELETE", "/api/routing", null, 405, null),
    };

    public static TheoryData<string> Names => new(Cases.Keys);

    [Fact]
    public async Task A_client_that_goes_away_mid_request_is_no_error_of_the_node()
    {
        foreach (var path in new[] { "/api/orders", "/api/orders/batch", "/api/catalog/import", "/api/inventory/3/receipts" })
            foreach (var chunked in new[] { false, true })
            {
                using var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
                await socket.ConnectAsync(fixture.Node.Url.Host, fixture.Node.Url.Port);
                var head = $"POST {path} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {Token}\r\nContent-Type: application/json\r\n" +
                           (chunked ? "Transfer-Encoding: chunked\r\n\r\n5\r\n{\"ord\r\n" : "Content-Length: 100000\r\n\r\n{\"orderId\":");
                await socket.SendAsync(Encoding.ASCII.GetBytes(head));
                socket.Close(); // mid-body
            }
        // the node goes on answering, and nothing of it was logged as a failure
        await Poll.UntilAsync(async () => (await fixture.Node.Http.GetAsync("/healthz/ready")).IsSuccessStatusCode, "the node ready");
        var log = File.ReadAllText(fixture.Node.LogFile);
        Assert.DoesNotContain("fail:", log);
        Assert.DoesNotContain("Exception", log);
    }

    [Fact]
    public void The_suite_covers_at_least_60_classes_of_bad_input() => Assert.True(Cases.Count >= 60, $"{Cases.Count} classes");

    [Theory]
    [MemberData(nameof(Names))]
    public async Task Bad_input_gets_a_clear_4xx_stores_nothing_and_leaves_the_node_ready(string name)
    {
        var c = Cases[name];
        var before = await StateAsync();

        using var request = new HttpRequestMessage(new HttpMethod(c.Method), c.Path);
        if (c.Body is not null || c.RawBody is not null)
        {
            request.Content = new ByteArrayContent(c.RawBody ?? Encoding.UTF8.GetBytes(c.Body!));
            if (c.ContentType is not null) request.Content.Headers.TryAddWithoutValidation("Content-Type", c.ContentType);
        }
        var bearer = c.Bearer == Producer ? fixture.ProducerKey : c.Bearer;
        if (bearer is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        foreach (var (header, value) in c.Headers ?? [])
            if (!request.Headers.TryAddWithoutValidation(header, value)) request.Content!.Headers.TryAddWithoutValidation(header, value);
        using var response = await fixture.Node.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var status = (int)response.StatusCode;

        Assert.True(status < 500, $"{name}: {status} {text}");
        Assert.True(c.Status == status, $"{name}: expected {c.Status}, got {status} {text}");
        var body = JsonNode.Parse(text)!;
        if (c.ItemField is not null)
        {
            var item = body["results"]![0]!;
            Assert.Equal(400, (int)item["status"]!);
            AssertProblem(name, item["error"]!, 400, c.ItemField, "application/problem+json");
        }
        else AssertProblem(name, body, status, c.Field, response.Content.Headers.ContentType?.MediaType);

        Assert.Equal(before, await StateAsync());
        using var ready = await fixture.Node.Http.GetAsync("/healthz/ready");
        Assert.Equal(200, (int)ready.StatusCode);
    }

    private static void AssertProblem(string name, JsonNode problem, int status, string? field, string? contentType)
    {
        Assert.True(contentType == "application/problem+json", $"{name}: content type {contentType}");
        Assert.Equal(status, (int)problem["status"]!);
        Assert.False(string.IsNullOrWhiteSpace((string?)problem["title"]), name);
        Assert.False(string.IsNullOrWhiteSpace((string?)problem["detail"]), name);
        if (field is null) return;
        var errors = problem["errors"]?.AsObject();
        Assert.True(errors is not null && errors.ContainsKey(field), $"{name}: expected errors.{field} in {problem.ToJsonString()}");
    }

    /// <summary>Everything a bad input could have written, read as the admin: queues, catalog, stock, keys, delivery, parked orders.</summary>
    private async Task<string> StateAsync()
    {
        var parts = new StringBuilder();
        foreach (var path in new[]
                 {
                     "/api/admin/queues", "/api/catalog/products", "/api/catalog/manufacturers", "/api/inventory/3", "/api/admin/keys",
                     "/api/admin/delivery", "/api/admin/parked", "/api/orders/bad-input", "/api/orders/known-1", "/api/admin/cluster/members",
                 })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);
            using var response = await fixture.Node.Http.SendAsync(request);
            // what time alone moves (how long an unacknowledged order has waited) is no change
            var text = System.Text.RegularExpressions.Regex.Replace(await response.Content.ReadAsStringAsync(), "\"lagSeconds\":[0-9.]+", "");
            parts.Append(path).Append(' ').Append((int)response.StatusCode).Append(' ').AppendLine(text);
        }
        return parts.ToString();
    }
}
