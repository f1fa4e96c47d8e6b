using System.Collections.Frozen;
using System.Reflection;
using OrderActors.Domain.Security;
using OrderActors.Node.Http;
using OrderActors.Node.Security;

namespace OrderActors.Node.Telemetry;

/// <summary>
/// The operator page at <c>/</c>: one HTML page with its script and style, built into the node (nothing from a CDN: it
/// works offline), polling <c>/api/admin/overview</c>. The page itself needs no key; with auth on it asks for one,
/// keeps it for the tab only (sessionStorage) and sends it with every call, so what it shows and does is what the
/// key may (an operator key for its actions).
/// </summary>
public static class OperatorPage
{
    private static readonly FrozenDictionary<string, (byte[] Bytes, string ContentType)> Assets = LoadAssets();

    public static IEndpointRouteBuilder MapOperatorPage(this IEndpointRouteBuilder app)
    {
        app.MapGet("/", () => Asset("index.html")).RequireAccess(Need.Nothing).ExcludeFromDescription();
        app.MapGet("/page/{file}", (string file) => Asset(file)).RequireAccess(Need.Nothing).ExcludeFromDescription();
        app.MapGet("/api/admin/overview", async (OverviewQueries overview, CancellationToken ct) => TypedResults.Ok(await overview.GetAsync(ct)))
            .WithTags("admin").WithSummary("What the operator page shows: totals, latencies, every queue, delivery, parked groups, members, rejections")
            .RequireAccess(Need.Operate).UnavailableOnTimeout("Some queues did not answer in time; try again.");
        return app;
    }

    private static IResult Asset(string name) => Assets.TryGetValue(name, out var asset)
        ? Results.Bytes(asset.Bytes, asset.ContentType)
        : Problems.Result(404, $"The page has no file '{name}'.");

    private static FrozenDictionary<string, (byte[], string)> LoadAssets()
    {
        var assembly = Assembly.GetExecutingAssembly();
        var assets = new Dictionary<string, (byte[], string)>(StringComparer.Ordinal);
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith("page/", StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            var name = resource["page/".Length..];
            assets[name] = (copy.ToArray(), Path.GetExtension(name) switch
            {
                ".html" => "text/html; charset=utf-8",
                ".js" => "text/javascript; charset=utf-8",
                ".css" => "text/css; charset=utf-8",
                ".svg" => "image/svg+xml",
                _ => "application/octet-stream",
            });
        }
        return assets.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
