using System.Net.Http.Headers;
using Xunit.Abstractions;
using System.Text.Json;
using OrderActors.Harness;
using OrderActors.IntegrationTests.Support;

namespace OrderActors.IntegrationTests;

/// <summary>Keys and roles on a real node with an admin token (auth on): made with orderctl, checked on every kind of route.</summary>
public class ApiKeyTests(ITestOutputHelper output)
{
    private const string AdminToken = "t0ken-for-the-test";

    [Fact]
    public async Task Failed_authentications_past_the_limit_are_answered_429_with_retry_after_a_valid_key_still_passes_and_the_log_stays_short()
    {
        var hocon = Path.Combine(Path.GetTempPath(), $"orderactors-authfail-{Guid.NewGuid():N}.hocon");
        await File.WriteAllTextAsync(hocon, "orderactors.security { failed-auth-limit = 5, failed-auth-window = 30s }");
        await using var node = new NodeProcess(null, "--admin-token", AdminToken, "--hocon", hocon);
        await node.StartAsync();
        var wrong = With(node, "oak_abcdefghijkl_not-a-real-key");

        var codes = new List<int>();
        Reply? last = null;
        for (var i = 0; i < 200; i++) codes.Add((last = await wrong.GetJsonAsync("/api/routing")).Code);
        Assert.Equal(Enumerable.Repeat(401, 5).Concat(Enumerable.Repeat(429, 195)), codes);
        Assert.Equal("application/problem+json", last!.ContentType);
        var retryAfter = last.Response.Headers.RetryAfter!.Delta!.Value;
        Assert.InRange(retryAfter, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30));
        Assert.Equal(429, (await node.Http.GetJsonAsync("/api/routing")).Code); // no key at all is a failure too
        Assert.Equal(200, (await With(node, AdminToken).GetJsonAsync("/api/routing")).Code); // a valid key still passes

        // two lines for 201 failures: the first, and the moment the address was throttled
        var lines = File.ReadAllLines(node.LogFile).Where(l => l.Contains("failed authentication", StringComparison.OrdinalIgnoreCase)).ToList();
        output.WriteLine(string.Join("\n", lines));
        Assert.Equal(2, lines.Count);
        Assert.Contains("failed authentication from 127.0.0.1", lines[0]);
        Assert.Contains("answered 429", lines[1]);
        Assert.DoesNotContain("not-a-real-key", File.ReadAllText(node.LogFile));
    }

    [Fact]
    public async Task Every_route_answers_only_the_roles_it_is_for_and_a_revoked_key_stops_working()
    {
        await using var node = new NodeProcess(null, "--admin-token", AdminToken);
        await node.StartAsync();
        var url = node.Http.BaseAddress!.ToString();

        // no key: 401 problem+json with a Bearer challenge; health probes answer without one
        var anonymous = await node.Http.PostJsonAsync("/api/orders", Expected.Order("sec-1", "B2B"));
        Assert.Equal((401, "application/problem+json"), (anonymous.Code, anonymous.ContentType));
        Assert.Equal("Bearer", anonymous.Response.Headers.WwwAuthenticate.ToString());
        Assert.Equal(401, (await node.Http.GetJsonAsync("/api/routing")).Code);
        Assert.Equal(401, (await With(node, "oak_abcdefghijkl_not-a-real-key").GetJsonAsync("/api/routing")).Code);
        Assert.Equal(200, (await node.Http.GetJsonAsync("/healthz/ready")).Code);

        async Task<string> Create(params string[] args)
        {
            var (code, stdout, stderr) = await Repo.OrderCtlAsync(["--node", url, "--token", AdminToken, "keys", "create", .. args]);
            output.WriteLine($"keys create {string.Join(' ', args)}: {code} {stderr}");
            Assert.Equal(0, code);
            Assert.Contains("shown this once", stderr);
            return stdout.Trim();
        }
        var producer = With(node, await Create("oms", "--role", "producer"));
        var erp = With(node, await Create("erp-reader", "--role", "consumer", "--units", "erp"));
        var ops = With(node, await Create("ops", "--role", "operator"));
        var admin = With(node, AdminToken);

        // producer: posts orders and reads their views, nothing else
        Assert.Equal(202, (await producer.PostJsonAsync("/api/orders", Expected.Order("sec-1", "B2B"))).Code); // B2B goes to erp and wms
        var forbidden = await producer.GetJsonAsync("/api/catalog/products");
        Assert.Equal((403, "application/problem+json"), (forbidden.Code, forbidden.ContentType));
        Assert.Contains("'oms'", (string)forbidden.Body!["detail"]!);
        Assert.Equal(403, (await producer.GetJsonAsync("/api/units/erp/queues/0/orders")).Code);
        Assert.Equal(403, (await producer.GetJsonAsync("/api/admin/keys")).Code);
        await Poll.UntilAsync(async () => (await admin.GetJsonAsync("/api/orders/sec-1")).Body?["units"]?.AsArray().Count == 2, "sec-1 queued in erp and wms");
        Assert.Equal(200, (await producer.GetJsonAsync("/api/orders/sec-1")).Code);

        // consumer of erp: its unit's feeds, and the order's view as far as it goes to erp
        Assert.Equal(200, (await erp.GetJsonAsync("/api/units/erp/queues/0/orders")).Code);
        var otherUnit = await erp.GetJsonAsync("/api/units/wms/queues/0/orders");
        Assert.Equal(403, otherUnit.Code);
        Assert.Contains("may not use unit 'wms'", (string)otherUnit.Body!["detail"]!);
        var view = (await erp.GetJsonAsync("/api/orders/sec-1")).Body!;
        Assert.Equal(["erp"], view["units"]!.AsArray().Select(u => (string)u!["unit"]!));
        Assert.Equal(403, (await erp.PostJsonAsync("/api/orders", Expected.Order("sec-2", "B2B"))).Code);

        // operator: catalog, inventory, delivery; no orders posted, no keys
        Assert.Equal(200, (await ops.GetJsonAsync("/api/catalog/products")).Code);
        Assert.Equal(200, (await ops.GetJsonAsync("/api/admin/delivery")).Code);
        Assert.Equal(200, (await ops.GetJsonAsync("/api/orders/sec-1")).Code);
        Assert.Equal(403, (await ops.PostJsonAsync("/api/orders", Expected.Order("sec-3", "B2B"))).Code);
        Assert.Equal(403, (await ops.GetJsonAsync("/api/admin/cluster/members")).Code);

        // the list has no secrets; a bad key request is refused naming the field
        var list = await Repo.OrderCtlAsync("--node", url, "--token", AdminToken, "--json", "keys", "list");
        Assert.Equal(0, list.ExitCode);
        var keys = JsonDocument.Parse(list.Out).RootElement.EnumerateArray().ToList();
        Assert.Equal(["erp-reader", "oms", "ops"], keys.Select(k => k.GetProperty("name").GetString()).Order());
        Assert.DoesNotContain("oak_", list.Out);
        var bad = await admin.PostAsync("/api/admin/keys", """{"name": "reader", "role": "consumer"}""");
        Assert.Equal((400, "units"), (bad.Code, bad.Body!["errors"]!.AsObject().Single().Key));

        // revoked: the key stops working (the node that revoked it at once; every other within the sync interval)
        var oms = keys.Single(k => k.GetProperty("name").GetString() == "oms").GetProperty("id").GetString()!;
        Assert.Equal(0, (await Repo.OrderCtlAsync("--node", url, "--token", AdminToken, "keys", "revoke", oms)).ExitCode);
        await Poll.UntilAsync(async () => (await producer.PostJsonAsync("/api/orders", Expected.Order("sec-4", "B2B"))).Code == 401, "the revoked key refused", 5);
        Assert.Equal(1, (await Repo.OrderCtlAsync("--node", url, "--token", AdminToken, "keys", "revoke", "nosuchkeyid0")).ExitCode);
        Assert.Equal(401, (await producer.GetJsonAsync("/api/orders/sec-1")).Code);
        Assert.Equal(200, (await erp.GetJsonAsync("/api/units/erp/queues/0/orders")).Code); // the others still work
    }

    [Fact]
    public async Task A_key_past_its_rate_limit_gets_429_with_Retry_After_and_other_keys_are_not_held_back()
    {
        var hocon = Path.GetTempFileName();
        await File.WriteAllTextAsync(hocon, "orderactors.security.requests-per-second = 5");
        try
        {
            await using var node = new NodeProcess(null, "--admin-token", AdminToken, "--hocon", hocon);
            await node.StartAsync();
            var admin = With(node, AdminToken);
            async Task<HttpClient> Key(string name)
            {
                var created = await admin.PostAsync("/api/admin/keys", $$"""{"name": "{{name}}", "role": "producer"}""");
                Assert.Equal(201, created.Code);
                return With(node, (string)created.Body!["key"]!);
            }
            var busy = await Key("busy");
            var quiet = await Key("quiet");

            var started = DateTime.UtcNow;
            var answers = new List<Reply>();
            for (var i = 0; i < 30; i++) answers.Add(await busy.GetJsonAsync("/api/routing"));
            var seconds = (DateTime.UtcNow - started).TotalSeconds;

            Assert.All(answers, a => Assert.Contains(a.Code, new[] { 200, 429 }));
            var refused = answers.Where(a => a.Code == 429).ToList();
            Assert.NotEmpty(refused);
            Assert.All(refused, r => Assert.Equal(("application/problem+json", "1"), (r.ContentType, r.Response.Headers.RetryAfter?.ToString())));
            Assert.Contains("'busy'", (string)refused[0].Body!["detail"]!);
            // a bucket of 5, refilled by 5 each second
            Assert.InRange(answers.Count(a => a.Code == 200), 5, 5 * (1 + (int)Math.Ceiling(seconds)));
            Assert.Equal(200, (await quiet.GetJsonAsync("/api/routing")).Code);
        }
        finally
        {
            File.Delete(hocon);
        }
    }

    /// <summary>
    /// Every route of docs/API.md, and who may call it: P producer, C the erp consumer, O operator (admin may call all).
    /// Allowed is any answer but 401 and 403 (a request with an empty body is then refused for what it lacks).
    /// </summary>
    private static readonly (string Method, string Path, string Allowed)[] RoleTable =
    [
        ("GET", "/healthz/ready", "PCO"),
        ("POST", "/api/orders", "P"),
        ("POST", "/api/orders/", "P"),
        ("POST", "/api/orders/batch", "P"),
        ("GET", "/api/orders/10248", "PCO"),
        ("GET", "/api/routing", "PCO"),
        ("GET", "/api/units", "PCO"),
        ("GET", "/api/units/erp/queues/0/orders", "CO"),
        ("GET", "/api/units/wms/queues/0/orders", "O"),
        ("POST", "/api/units/erp/queues/0/ack", "C"),
        ("POST", "/api/units/wms/queues/0/ack", ""),
        ("POST", "/api/units/erp/orders/10248/status", "C"),
        ("GET", "/api/catalog/products", "O"),
        ("PUT", "/api/catalog/products/11", "O"),
        ("POST", "/api/catalog/import", "O"),
        ("GET", "/api/inventory/11", "O"),
        ("POST", "/api/inventory/11/receipts", "O"),
        ("PUT", "/api/inventory/11/count", "O"),
        ("GET", "/api/reports/replenishment", "O"),
        ("GET", "/api/admin/delivery", "O"),
        ("PUT", "/api/admin/units/erp/delivery", "O"),
        ("POST", "/api/admin/units/erp/delivery/pause", "O"),
        ("POST", "/api/admin/units/erp/queues/2/replay", "O"),
        ("GET", "/api/admin/parked", "O"),
        ("POST", "/api/admin/parked/retry", "O"),
        ("GET", "/api/admin/keys", ""),
        ("POST", "/api/admin/keys", ""),
        ("DELETE", "/api/admin/keys/abc", ""),
        ("GET", "/api/admin/cluster/members", ""),
        ("POST", "/api/admin/cluster/leave", ""),
        ("GET", "/api/admin/sharding", ""),
        ("GET", "/api/admin/queues", ""),
        ("GET", "/api/something-new", ""),
        ("DELETE", "/api/orders/10248", ""),
        ("GET", "/", "PCO"),
    ];

    [Fact]
    public async Task Each_route_answers_the_roles_it_is_for_and_admin_every_one()
    {
        await using var node = new NodeProcess(null, "--admin-token", AdminToken);
        await node.StartAsync();
        var admin = With(node, AdminToken);
        async Task<HttpClient> Key(string body)
        {
            var created = await admin.PostAsync("/api/admin/keys", body);
            Assert.Equal(201, created.Code);
            return With(node, (string)created.Body!["key"]!);
        }
        var callers = new (char Letter, HttpClient Http)[]
        {
            ('P', await Key("""{"name": "oms", "role": "producer"}""")),
            ('C', await Key("""{"name": "erp-reader", "role": "consumer", "units": ["erp"]}""")),
            ('O', await Key("""{"name": "ops", "role": "operator"}""")),
            ('A', admin),
        };
        var wrong = new List<string>();
        var answered = 0;
        foreach (var (method, path, allowed) in RoleTable)
            foreach (var (letter, http) in callers)
            {
                using var request = new HttpRequestMessage(new HttpMethod(method), path);
                if (method is not ("GET" or "DELETE")) request.Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json");
                using var response = await http.SendAsync(request);
                answered++;
                var passed = (int)response.StatusCode is not (401 or 403);
                if (passed != (letter == 'A' || allowed.Contains(letter)))
                    wrong.Add($"{method} {path} for {letter}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            }
        Assert.Equal(RoleTable.Length * callers.Length, answered);
        Assert.Empty(wrong);
    }

    /// <summary>The node's own table of its routes (<c>--routes</c>, read from its endpoint data source): every endpoint declares what it needs.</summary>
    [Fact]
    public async Task Every_endpoint_declares_a_policy_or_that_it_needs_no_key()
    {
        var dataDir = Path.Combine(Path.GetTempPath(), $"orderactors-routes-{Guid.NewGuid():N}");
        try
        {
            var (code, stdout, stderr) = await Repo.RunAsync(Repo.Built("OrderActors.Node", "OrderActors.Node.dll"), "--routes", "--data-dir", dataDir);
            output.WriteLine(stdout + stderr);
            Assert.Equal(0, code);
            var routes = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToList();
            Assert.True(routes.Count >= RoleTable.Length, $"{routes.Count} routes listed");
            Assert.All(routes, r => Assert.True(r.Length == 3 && r[2] != "undeclared", $"{string.Join(' ', r)}: no policy and not anonymous"));
            // no key for the health probes, the API's description (the OpenAPI document and the docs page with its assets) and
            // the operator page's own files (the page asks for a key for what it shows)
            Assert.Equal(["/", "/docs/favicon.svg", "/docs/scalar.aspnetcore.js", "/docs/scalar.js", "/docs/{documentName?}", "/healthz/live", "/healthz/ready",
                "/openapi/{documentName}.json", "/page/{file}"], routes.Where(r => r[2] == "nothing").Select(r => r[1]).Order(StringComparer.Ordinal));
        }
        finally
        {
            if (Directory.Exists(dataDir)) Directory.Delete(dataDir, recursive: true);
        }
    }

    private static HttpClient With(NodeProcess node, string key)
    {
        var http = new HttpClient { BaseAddress = node.Http.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return http;
    }
}
