using System.Text.Json.Nodes;
using OrderActors.IntegrationTests.Support;
using Xunit.Abstractions;

namespace OrderActors.IntegrationTests;

/// <summary>The OpenAPI document a node serves: every mapped route in it, with its statuses and key, valid by a real linter.</summary>
public class ApiDocsTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Every_mapped_route_is_in_the_OpenAPI_document_with_its_statuses_and_the_document_passes_a_real_linter()
    {
        await using var node = await NodeProcess.StartAsync(null, "--admin-token", "docs-admin-token-for-the-test");
        var reply = await node.Http.GetAsync("/openapi/v1.json"); // no key: it describes the API, it does not call it
        Assert.Equal(200, (int)reply.StatusCode);
        var json = await reply.Content.ReadAsStringAsync();
        var document = JsonNode.Parse(json)!.AsObject();
        var documented = document["paths"]!.AsObject()
            .SelectMany(p => p.Value!.AsObject().Select(o => $"{o.Key.ToUpperInvariant()} {p.Key.TrimEnd('/')}")).ToHashSet();

        // every route the node maps (as --routes lists them), by method and pattern
        var (code, routes, _) = await Repo.RunAsync(Repo.Built("OrderActors.Node", "OrderActors.Node.dll"), "--routes", "--data-dir",
            Path.Combine(Path.GetTempPath(), "orderactors-routes-" + Guid.NewGuid().ToString("N")[..8]));
        Assert.Equal(0, code);
        var mapped = routes.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            // the docs themselves and the operator page are not the API
            .Where(r => !r[1].StartsWith("/openapi/", StringComparison.Ordinal) && !r[1].StartsWith("/docs/", StringComparison.Ordinal)
                        && r[1] is not ("/" or "/page/{file}"))
            .Select(r => $"{(r[0] == "*" ? "GET" : r[0])} {r[1].TrimEnd('/')}").ToList();
        Assert.True(mapped.Count >= 37, $"{mapped.Count} routes");
        Assert.All(mapped, route => Assert.Contains(route, documented));
        Assert.Equal(mapped.Count, documented.Count); // and nothing else

        // the statuses docs/API.md names for intake, and the key scheme on what needs a key
        var submit = document["paths"]!["/api/orders"]!["post"]!;
        Assert.Equal(["200", "202", "400", "401", "403", "409", "413", "415", "422", "429", "503"],
            submit["responses"]!.AsObject().Select(r => r.Key).Order());
        Assert.NotNull(submit["requestBody"]!["content"]!["application/json"]);
        Assert.Equal("bearer", (string)document["components"]!["securitySchemes"]!["apiKey"]!["scheme"]!);
        Assert.Equal("apiKey", submit["security"]![0]!.AsObject().Single().Key);
        Assert.Empty(document["paths"]!["/healthz/ready"]!["get"]!["security"]![0]!.AsObject()); // no key

        // a real linter from npm
        var file = Path.Combine(Path.GetTempPath(), $"orderactors-openapi-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, json);
        var redocly = await NpmTool.InstallAsync("@redocly/cli", "1.34.20", "redocly");
        var (lintCode, lint) = await NpmTool.RunAsync(redocly, ["lint", file, "--config", Path.Combine(Repo.Root, "docs", "redocly.yaml")],
            TimeSpan.FromMinutes(2));
        output.WriteLine(lint);
        Assert.True(lintCode == 0, lint);
        File.Delete(file);
    }

    [Fact]
    public async Task The_docs_page_renders_the_document_from_the_nodes_own_assets()
    {
        await using var node = await NodeProcess.StartAsync();
        var page = await node.Http.GetAsync("/docs");
        Assert.Equal(200, (int)page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("openapi/v1.json", html);
        // nothing from elsewhere: every script the page loads is served by the node (it works offline)
        var scripts = System.Text.RegularExpressions.Regex.Matches(html, "<script[^>]*src=\"([^\"]+)\"").Select(m => m.Groups[1].Value).ToList();
        Assert.NotEmpty(scripts);
        foreach (var script in scripts)
        {
            Assert.False(script.StartsWith("http", StringComparison.OrdinalIgnoreCase) || script.StartsWith("//"), script);
            var url = new Uri(new Uri(node.Url, "/docs/"), script);
            Assert.Equal(200, (int)(await node.Http.GetAsync(url)).StatusCode);
        }
    }
}
