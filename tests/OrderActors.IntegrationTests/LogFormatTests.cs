using System.Text.Json.Nodes;
using OrderActors.IntegrationTests.Support;

namespace OrderActors.IntegrationTests;

/// <summary><c>--log-format json</c>: one JSON object a line, a queue's lines carrying its unit and queue as fields.</summary>
public class LogFormatTests
{
    [Fact]
    public async Task Json_logs_are_one_object_a_line_and_a_queues_lines_carry_its_unit_and_queue()
    {
        await using var node = await NodeProcess.StartAsync(null, "--log-format", "json");
        var secret = WebhookDeliveryTests.NewSecret();
        Assert.Equal(200, (await node.Http.PutAsync("/api/admin/units/erp/delivery",
            $$"""{"mode":"webhook","url":"http://127.0.0.1:9/webhook","secrets":["{{secret}}"]}""")).Code);

        await Poll.UntilAsync(() => Task.FromResult(Lines(node).Any(l => Field(l, "Entity") == "erp-2")), "a line of erp-2's delivery");
        var lines = Lines(node);
        Assert.All(lines, l => Assert.NotNull(l["Timestamp"]));
        var erp2 = lines.First(l => Field(l, "Entity") == "erp-2");
        Assert.Equal(("delivery", "erp", "2"), (Field(erp2, "Region"), Field(erp2, "Unit"), Field(erp2, "Queue")));
        Assert.StartsWith("erp-2: ", (string)erp2["Message"]!); // the message without Akka's own prefix
        Assert.DoesNotContain(secret[8..], File.ReadAllText(node.LogFile));
    }

    [Theory]
    [InlineData("--log-format", "xml", "--log-format must be console or json (got 'xml')")]
    [InlineData("--otlp-protocol", "http/json", "--otlp-protocol must be grpc or http/protobuf (got 'http/json')")]
    [InlineData("--otlp-endpoint", "collector:4317", "--otlp-endpoint must be an http:// or https:// URL (got 'collector:4317')")]
    public async Task A_wrong_telemetry_option_stops_the_node_naming_the_option(string option, string value, string error)
    {
        var (code, _, err) = await Repo.RunAsync(Repo.Built("OrderActors.Node", "OrderActors.Node.dll"), option, value,
            "--data-dir", Path.Combine(Path.GetTempPath(), "orderactors-logformat-" + Guid.NewGuid().ToString("N")[..8]));
        Assert.Equal(2, code);
        Assert.Contains(error, err);
    }

    /// <summary>Every line the node wrote, each parsed as JSON (a line that is not one fails the test).</summary>
    private static List<JsonObject> Lines(NodeProcess node) =>
        File.ReadAllLines(node.LogFile).Where(l => l.Length > 0).Select(l => JsonNode.Parse(l)!.AsObject()).ToList();

    private static string? Field(JsonObject line, string name) =>
        line["Scopes"]?.AsArray().Select(s => s?[name]).FirstOrDefault(v => v is not null)?.ToString();
}
