using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using OrderActors.IntegrationTests.Support;

namespace OrderActors.IntegrationTests;

public sealed class NodeFixture : IAsyncLifetime
{
    public NodeProcess Node { get; private set; } = null!;
    public async Task InitializeAsync() => Node = await NodeProcess.StartAsync();
    public async Task DisposeAsync() => await Node.DisposeAsync();
}

/// <summary>Every status code of API.md's intake, over real HTTP against a real node.</summary>
public class IntakeContractTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    private HttpClient Http => fixture.Node.Http;

    private static string Id() => "t-" + Guid.NewGuid().ToString("N")[..12];

    internal static void AssertProblem(Reply reply, int status, string? field = null, string? reason = null)
    {
        Assert.True(status == reply.Code, $"expected {status}, got {reply}");
        Assert.Equal("application/problem+json", reply.ContentType);
        Assert.Equal(status, (int)reply.Body!["status"]!);
        Assert.False(string.IsNullOrWhiteSpace((string?)reply.Body["title"]));
        Assert.False(string.IsNullOrWhiteSpace((string?)reply.Body["detail"]));
        if (field is null) return;
        var messages = reply.Body["errors"]?[field]?.AsArray().Select(m => (string)m!).ToList();
        Assert.True(messages is { Count: > 0 }, $"expected errors.{field} in {reply}");
        if (reason is not null) Assert.Contains(messages, m => m.Contains(reason));
    }

    [Fact]
    public async Task An_order_is_accepted_once_repeated_idempotently_and_refused_with_other_content()
    {
        var id = Id();
        var order = Expected.Order(id, "B2B");

        var accepted = await Http.PostJsonAsync("/api/orders", order);
        Assert.Equal(HttpStatusCode.Accepted, accepted.Status);
        Assert.Equal(id, (string)accepted.Body!["orderId"]!);
        Assert.Equal("accepted", (string)accepted.Body["status"]!);
        Assert.Equal(Expected.FirstQueue(id), (int)accepted.Body["firstQueue"]!);

        var again = await Http.PostJsonAsync("/api/orders", order);
        Assert.Equal(HttpStatusCode.OK, again.Status);
        Assert.Equal(id, (string)again.Body!["orderId"]!);
        Assert.Equal("B2B", (string)again.Body["businessCode"]!);
        Assert.Equal(2, again.Body["units"]!.AsArray().Count);

        var changed = await Http.PostJsonAsync("/api/orders", Expected.Order(id, "B2B", seed: 1));
        AssertProblem(changed, 409, "orderId");
    }

    [Fact]
    public async Task The_order_view_shows_status_per_unit_queue_affinity_and_seq()
    {
        var id = Id();
        Assert.Equal(202, (await Http.PostJsonAsync("/api/orders", Expected.Order(id, "RETURN"))).Code);

        JsonNode view = null!;
        await Poll.UntilAsync(async () =>
        {
            var reply = await Http.GetJsonAsync($"/api/orders/{id}");
            view = reply.Body!;
            return reply.Code == 200 && (string)view["status"]! == "processed";
        }, $"order {id} processed");

        var firstQueue = Expected.FirstQueue(id);
        Assert.Equal(firstQueue, (int)view["firstQueue"]!);
        Assert.EndsWith("Z", (string)view["acceptedAt"]!);
        var units = view["units"]!.AsArray();
        Assert.Equal(["erp", "wms"], units.Select(u => (string)u!["unit"]!));
        Assert.All(units, u =>
        {
            Assert.Equal(firstQueue % 4, (int)u!["queue"]!);
            Assert.Equal("processed", (string)u["status"]!);
            Assert.True((long)u["seq"]! >= 1);
            Assert.NotNull(u["at"]);
        });
        Assert.NotEmpty(view["lines"]!.AsArray());
    }

    [Fact]
    public async Task An_unknown_order_is_404() =>
        AssertProblem(await Http.GetJsonAsync("/api/orders/never-sent"), 404);

    [Fact]
    public async Task Malformed_json_is_400() =>
        AssertProblem(await Http.PostAsync("/api/orders", """{ "orderId": "x", """), 400, "body", "not well-formed JSON");

    [Fact]
    public async Task An_invalid_field_is_400_naming_the_field_and_the_reason()
    {
        var reply = await Http.PostAsync("/api/orders",
            """{ "orderId": "v1", "businessCode": "B2C", "lines": [ { "sku": "11", "quantity": 0 } ] }""");
        AssertProblem(reply, 400, "lines[0].quantity", "greater than 0");
    }

    [Fact]
    public async Task A_body_that_is_not_json_is_415() =>
        AssertProblem(await Http.PostAsync("/api/orders", "orderId=1", "text/plain"), 415);

    [Fact]
    public async Task A_body_over_one_mebibyte_is_413()
    {
        var padding = new string('x', 1024 * 1024);
        AssertProblem(await Http.PostAsync("/api/orders", $$"""{ "orderId": "big", "pad": "{{padding}}" }"""), 413);
    }

    [Fact]
    public async Task A_chunked_body_without_content_length_is_read_whole_and_over_the_limit_is_413()
    {
        var order = JsonSerializer.Serialize(Expected.Order(Id(), "B2C"));
        Assert.Equal(202, (await Http.PostChunkedAsync("/api/orders", order)).Code);

        var padding = new string('x', 1024 * 1024);
        AssertProblem(await Http.PostChunkedAsync("/api/orders", "{ \"orderId\": \"big\", \"pad\": \"" + padding + "\" }"), 413);
    }

    [Fact]
    public async Task An_unknown_business_code_is_422_listing_the_known_ones()
    {
        var reply = await Http.PostJsonAsync("/api/orders", Expected.Order(Id(), "WHOLESALE"));
        AssertProblem(reply, 422, "businessCode", "known codes");
        foreach (var code in Expected.Codes) Assert.Contains(code, (string)reply.Body!["detail"]!);
    }

    [Fact]
    public async Task A_batch_judges_each_order_alone()
    {
        var fresh = Id();
        var existing = Id();
        Assert.Equal(202, (await Http.PostJsonAsync("/api/orders", Expected.Order(existing, "B2C"))).Code);

        var batch = new object[]
        {
            Expected.Order(fresh, "TRANSFER"),
            Expected.Order(existing, "B2C"),
            Expected.Order(existing, "B2C", seed: 9),
            Expected.Order(Id(), "NOPE"),
            new { orderId = Id(), businessCode = "B2C", lines = Array.Empty<object>() },
        };
        var reply = await Http.PostJsonAsync("/api/orders/batch", batch);

        Assert.Equal(200, reply.Code);
        Assert.Equal(1, (int)reply.Body!["accepted"]!);
        Assert.Equal(1, (int)reply.Body["duplicates"]!);
        Assert.Equal(3, (int)reply.Body["rejected"]!);
        var results = reply.Body["results"]!.AsArray();
        Assert.Equal([0, 1, 2, 3, 4], results.Select(r => (int)r!["index"]!));
        Assert.Equal([202, 200, 409, 422, 400], results.Select(r => (int)r!["status"]!));
        Assert.Equal(Expected.FirstQueue(fresh), (int)results[0]!["firstQueue"]!);
        Assert.Equal("lines", results[4]!["error"]!["errors"]!.AsObject().Single().Key);
    }

    [Fact]
    public async Task Text_that_is_not_printable_or_not_text_is_400_naming_the_field_and_in_a_batch_fails_only_its_item()
    {
        string Body(string idJson) => $$"""{ "orderId": {{idJson}}, "businessCode": "B2C", "lines": [ { "sku": "11", "quantity": 1 } ] }""";
        // a lone surrogate (it was a 500), NUL (could not be read back), '/' (could not be looked up), a bidi override
        AssertProblem(await Http.PostAsync("/api/orders", Body("\"x\\uD800\"")), 400, "orderId", "lone surrogate");
        AssertProblem(await Http.PostAsync("/api/orders", Body("\"a\\u0000b\"")), 400, "orderId", "U+0000");
        AssertProblem(await Http.PostAsync("/api/orders", Body("\"10248/1\"")), 400, "orderId", "'/'");
        AssertProblem(await Http.PostAsync("/api/orders", Body("\"abc\\u202Efdp\"")), 400, "orderId", "U+202E");

        var good = Id();
        var batch = $"[{Body(JsonSerializer.Serialize(good))}, {Body("\"y\\uDC00\"")}]";
        var reply = await Http.PostAsync("/api/orders/batch", batch);
        Assert.Equal(200, reply.Code);
        Assert.Equal([202, 400], reply.Body!["results"]!.AsArray().Select(r => (int)r!["status"]!));
        Assert.Equal(200, (await Http.GetJsonAsync($"/api/orders/{good}")).Code); // the good item is stored
    }

    [Fact]
    public async Task A_key_given_twice_is_400_and_a_compressed_body_is_415()
    {
        var id = Id();
        AssertProblem(await Http.PostAsync("/api/orders",
            $$"""{ "orderId": "{{id}}", "orderId": "{{id}}-2", "businessCode": "B2C", "lines": [ { "sku": "11", "quantity": 1 } ] }"""), 400, "body", "orderId");
        Assert.Equal(404, (await Http.GetJsonAsync($"/api/orders/{id}")).Code);

        using var content = new ByteArrayContent([0x1f, 0x8b, 0x08, 0, 0, 0, 0, 0]);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        content.Headers.ContentEncoding.Add("gzip");
        using var response = await Http.PostAsync("/api/orders", content);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Content-Encoding", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_placed_at_without_an_offset_is_400()
    {
        var reply = await Http.PostAsync("/api/orders",
            $$"""{ "orderId": "{{Id()}}", "businessCode": "B2C", "placedAt": "1996-07-04T00:00:00", "lines": [ { "sku": "11", "quantity": 1 } ] }""");
        AssertProblem(reply, 400, "placedAt", "offset");
    }

    [Fact]
    public async Task A_batch_over_1000_orders_is_413()
    {
        var orders = Enumerable.Range(0, 1001).Select(i => Expected.Order($"big-{i}", "B2C")).ToArray();
        AssertProblem(await Http.PostJsonAsync("/api/orders/batch", orders), 413);
        Assert.Equal(404, (await Http.GetJsonAsync("/api/orders/big-0")).Code);
    }

    [Fact]
    public async Task A_batch_that_is_not_an_array_is_400() =>
        AssertProblem(await Http.PostJsonAsync("/api/orders/batch", Expected.Order(Id(), "B2C")), 400, "body");

    [Fact]
    public async Task Routing_and_units_describe_the_default_table()
    {
        var routing = await Http.GetJsonAsync("/api/routing");
        Assert.Equal(200, routing.Code);
        foreach (var unit in Expected.Units)
        {
            Assert.Equal(4, (int)routing.Body!["units"]![unit]!["queues"]!);
            var codes = routing.Body["units"]![unit]!["codes"]!.AsArray().Select(c => (string)c!).Order();
            Assert.Equal(Expected.UnitsByCode.Where(kv => kv.Value.Contains(unit)).Select(kv => kv.Key).Order(), codes);
        }

        var units = await Http.GetJsonAsync("/api/units");
        Assert.Equal(200, units.Code);
        Assert.Equal(Expected.Units, units.Body!.AsArray().Select(u => (string)u!["unit"]!).Order());
        Assert.All(units.Body!.AsArray(), u =>
        {
            Assert.Equal(4, u!["depth"]!.AsArray().Count);
            Assert.Equal(4, u["lastSeq"]!.AsArray().Count);
        });
    }

    [Fact]
    public async Task Feed_parameters_are_checked()
    {
        AssertProblem(await Http.GetJsonAsync("/api/units/finance/queues/0/orders"), 404, "unit");
        AssertProblem(await Http.GetJsonAsync("/api/units/erp/queues/4/orders"), 404, "queue");
        AssertProblem(await Http.GetJsonAsync("/api/units/erp/queues/0/orders?limit=1001"), 400, "limit");
        AssertProblem(await Http.GetJsonAsync("/api/units/erp/queues/0/orders?after=-1"), 400, "after");
        // a parameter of the wrong form, and a route that is not there: problem+json too, not an empty body
        var wrongForm = await Http.GetJsonAsync("/api/units/erp/queues/0/orders?after=abc");
        AssertProblem(wrongForm, 400);
        Assert.Contains("after", (string)wrongForm.Body!["detail"]!);
        AssertProblem(await Http.GetJsonAsync("/api/units/erp/queues/x/orders"), 404, "queue");
        AssertProblem(await Http.GetJsonAsync("/api/no-such-route"), 404);
        AssertProblem(await Http.DeleteAsync("/api/routing") is var d ? new Reply(d.StatusCode, d.Content.Headers.ContentType?.MediaType,
            System.Text.Json.Nodes.JsonNode.Parse(await d.Content.ReadAsStringAsync()), d) : null!, 405);
    }

    [Fact]
    public async Task Health_endpoints_answer()
    {
        Assert.Equal(200, (await Http.GetJsonAsync("/healthz/live")).Code);
        Assert.Equal(200, (await Http.GetJsonAsync("/healthz/ready")).Code);
    }

}

/// <summary>Catalog, enrichment and inventory over real HTTP (the node loads the Northwind sample catalog).</summary>
public class CatalogAndInventoryTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    private HttpClient Http => fixture.Node.Http;

    [Fact]
    public async Task Each_line_is_enriched_with_product_manufacturer_and_the_catalog_price_when_none_is_given()
    {
        var id = "enrich-" + Guid.NewGuid().ToString("N")[..8];
        var sent = await Http.PostAsync("/api/orders",
            $$"""{ "orderId": "{{id}}", "businessCode": "PRESALE", "lines": [ { "sku": "11", "quantity": 12 }, { "sku": "42", "quantity": 1, "unitPrice": 9.8 } ] }""");
        Assert.Equal(202, sent.Code);

        var view = (await Http.GetJsonAsync($"/api/orders/{id}")).Body!;
        var lines = view["lines"]!.AsArray();
        Assert.Equal("Queso Cabrales", (string)lines[0]!["product"]!["name"]!);
        Assert.Equal("5", (string)lines[0]!["manufacturer"]!["id"]!);
        Assert.Equal("Cooperativa de Quesos 'Las Cabras'", (string)lines[0]!["manufacturer"]!["name"]!);
        Assert.Equal(21.0m, (decimal)lines[0]!["unitPrice"]!);
        Assert.Equal(9.8m, (decimal)lines[1]!["unitPrice"]!);

        // the same order again is still the same order, whatever enrichment added
        Assert.Equal(200, (await Http.PostAsync("/api/orders",
            $$"""{ "orderId": "{{id}}", "businessCode": "PRESALE", "lines": [ { "sku": "11", "quantity": 12 }, { "sku": "42", "quantity": 1, "unitPrice": 9.8 } ] }""")).Code);
    }

    [Fact]
    public async Task Unknown_skus_are_422_naming_every_one()
    {
        var reply = await Http.PostAsync("/api/orders",
            """{ "orderId": "unknown-skus", "businessCode": "B2C", "lines": [ { "sku": "11", "quantity": 1 }, { "sku": "999", "quantity": 1 }, { "sku": "X-1", "quantity": 1 } ] }""");
        Assert.Equal(422, reply.Code);
        Assert.Equal("application/problem+json", reply.ContentType);
        Assert.Contains("'999'", (string)reply.Body!["detail"]!);
        Assert.Contains("'X-1'", (string)reply.Body["detail"]!);
        Assert.Equal(["lines[1].sku", "lines[2].sku"], reply.Body["errors"]!.AsObject().Select(kv => kv.Key).Order());
        Assert.Equal(404, (await Http.GetJsonAsync("/api/orders/unknown-skus")).Code);
    }

    [Fact]
    public async Task A_product_put_on_a_node_is_at_once_readable_and_orderable()
    {
        var put = await Http.PutAsync("/api/catalog/products/900", new StringContent(
            """{ "name": "Test Tea", "manufacturerId": "1", "unitPrice": 3.5, "stockOnHand": 5, "reorderLevel": 10 }""",
            System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(200, (int)put.StatusCode);
        var product = (await Http.GetJsonAsync("/api/catalog/products/900")).Body!;
        Assert.Equal("Test Tea", (string)product["name"]!);
        Assert.Equal(202, (await Http.PostAsync("/api/orders",
            """{ "orderId": "tea-1", "businessCode": "PRESALE", "lines": [ { "sku": "900", "quantity": 1 } ] }""")).Code);

        var bad = await Http.PutAsync("/api/catalog/products/901", new StringContent(
            """{ "name": "", "manufacturerId": "nope", "unitPrice": -1 }""", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(400, (int)bad.StatusCode);
        var problem = System.Text.Json.Nodes.JsonNode.Parse(await bad.Content.ReadAsStringAsync())!;
        Assert.Equal(["manufacturerId", "name", "unitPrice"], problem["errors"]!.AsObject().Select(kv => kv.Key).Order());
    }

    [Fact]
    public async Task A_cell_a_spreadsheet_would_run_as_a_formula_is_neutralised_in_the_replenishment_csv()
    {
        var put = await Http.PutAsync("/api/catalog/products/950", new StringContent(
            """{ "name": "=cmd|' /C calc'!A0", "manufacturerId": "1", "unitPrice": 1, "stockOnHand": 0, "reorderLevel": 10 }""",
            System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(200, (int)put.StatusCode);
        var csv = await Http.GetStringAsync("/api/reports/replenishment?format=csv");
        var row = csv.Split('\n').Single(l => l.Contains(",950,"));
        Assert.Contains(",'=cmd|' /C calc'!A0,", row);
        Assert.DoesNotContain(row.Split(','), cell => cell.StartsWith('=') || cell.StartsWith('@') || cell.StartsWith('+'));
    }

    [Fact]
    public async Task A_number_sent_as_a_string_is_refused_in_every_body_as_in_intake()
    {
        foreach (var (reply, field) in new[]
                 {
                     (await Http.PostAsync("/api/inventory/3/receipts", """{ "quantity": "5" }"""), "quantity"),
                     (await Http.PutAsync("/api/inventory/3/count", """{ "onHand": "5" }"""), "onHand"),
                 })
        {
            Assert.Equal((400, "application/problem+json"), (reply.Code, reply.ContentType));
            Assert.True(reply.Body!["errors"]![field] is not null, $"expected errors.{field} in {reply}");
        }
    }

    [Fact]
    public async Task Receipts_and_counts_move_the_tally_and_the_replenish_figure()
    {
        // product 3 (Aniseed Syrup): 13 on hand, 70 on order, reorder level 25
        var start = (await Http.GetJsonAsync("/api/inventory/3")).Body!;
        Assert.Equal(13 + 70, (long)start["position"]!);

        var counted = await Http.PutAsync("/api/inventory/3/count", new StringContent("""{ "onHand": -60 }""", System.Text.Encoding.UTF8, "application/json"));
        var afterCount = System.Text.Json.Nodes.JsonNode.Parse(await counted.Content.ReadAsStringAsync())!;
        Assert.Equal(-60, (long)afterCount["onHand"]!);
        Assert.Equal(10, (long)afterCount["position"]!);
        Assert.Equal(50 - 10, (long)afterCount["replenish"]!);

        var received = await Http.PostAsync("/api/inventory/3/receipts", """{ "quantity": 80 }""");
        Assert.Equal(200, received.Code);
        Assert.Equal(20, (long)received.Body!["onHand"]!);
        Assert.Equal(0, (long)received.Body["onOrder"]!);

        Assert.Equal(400, (await Http.PostAsync("/api/inventory/3/receipts", """{ "quantity": 0 }""")).Code);
        Assert.Equal(404, (await Http.GetJsonAsync("/api/inventory/nope")).Code);
    }

    [Fact]
    public async Task Stock_at_its_bounds_is_422_naming_the_field_and_never_wraps()
    {
        // product 4: the tally starts from the catalog
        IntakeContractTests.AssertProblem(await Http.PutAsync("/api/inventory/4/count", """{ "onHand": 9223372036854775807 }"""), 422, "onHand", "between");
        IntakeContractTests.AssertProblem(await Http.PutAsync("/api/inventory/4/count", """{ "onHand": -1000000000000001 }"""), 422, "onHand", "between");
        var atMax = await Http.PutAsync("/api/inventory/4/count", """{ "onHand": 1000000000000000 }""");
        Assert.Equal(200, atMax.Code);
        IntakeContractTests.AssertProblem(await Http.PostAsync("/api/inventory/4/receipts", """{ "quantity": 1 }"""), 422, "quantity", "beyond the limit");
        IntakeContractTests.AssertProblem(await Http.PostAsync("/api/inventory/4/receipts", """{ "quantity": 9223372036854775807 }"""), 422, "quantity", "at most");
        IntakeContractTests.AssertProblem(await Http.PostAsync("/api/inventory/4/receipts", """{ "quantity": 9223372036854775808 }"""), 400, "quantity");
        Assert.Equal(1_000_000_000_000_000, (long)(await Http.GetJsonAsync("/api/inventory/4")).Body!["onHand"]!); // nothing refused was stored
    }
    [Fact]
    public async Task Lines_of_one_sku_are_summed_in_64_bits_so_an_order_shipping_past_32_bits_lowers_stock_by_its_sum()
    {
        var before12 = (long)(await Http.GetJsonAsync("/api/inventory/12")).Body!["onHand"]!;
        var before11 = (long)(await Http.GetJsonAsync("/api/inventory/11")).Body!["onHand"]!;
        var two = new { orderId = "wide-12", businessCode = "B2C", lines = new[] { new { sku = "12", quantity = int.MaxValue }, new { sku = "12", quantity = int.MaxValue } } };
        var thousand = new { orderId = "wide-11", businessCode = "B2C", lines = Enumerable.Repeat(new { sku = "11", quantity = int.MaxValue }, 1000).ToArray() };
        Assert.Equal(202, (await Http.PostJsonAsync("/api/orders", two)).Code);
        Assert.Equal(202, (await Http.PostJsonAsync("/api/orders", thousand)).Code);

        await Poll.ForAsync(() => Http.GetJsonAsync("/api/inventory/12"), r => (long)r.Body!["onHand"]! != before12, "SKU 12 shipped");
        await Poll.ForAsync(() => Http.GetJsonAsync("/api/inventory/11"), r => (long)r.Body!["onHand"]! != before11, "SKU 11 shipped");
        Assert.Equal(before12 - 2L * int.MaxValue, (long)(await Http.GetJsonAsync("/api/inventory/12")).Body!["onHand"]!);
        Assert.Equal(before11 - 1000L * int.MaxValue, (long)(await Http.GetJsonAsync("/api/inventory/11")).Body!["onHand"]!);
    }
}
