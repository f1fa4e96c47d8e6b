using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using System.Text.Json;
using OrderActors.Domain.Delivery;
using OrderActors.Harness;

namespace OrderActors.Bench;

/// <summary>
/// The downstream systems of <c>--deliver webhook</c>, hosted in the bench: one HTTP endpoint per unit
/// (<c>/webhook/{unit}</c>) that verifies every signature, as a receiver must, and records each order's arrival in the
/// tracker, so end-to-end is <c>acceptedAt</c> → the receiver has the order (it answers 204 right after).
/// </summary>
public sealed class WebhookReceivers : IAsyncDisposable
{
    private readonly WebApplication _app;
    private long _badSignatures;

    private WebhookReceivers(WebApplication app, Uri url, string secret) => (_app, Url, Secret) = (app, url, secret);

    public Uri Url { get; }
    public string Secret { get; }
    public long BadSignatures => Interlocked.Read(ref _badSignatures);

    /// <summary>Where arrivals are recorded: the warm-up's tracker first, then the measured run's (same units).</summary>
    public OrderTracker Tracker { get => Volatile.Read(ref _tracker); set => Volatile.Write(ref _tracker, value); }
    private OrderTracker _tracker = null!;

    public static async Task<WebhookReceivers> StartAsync(OrderTracker tracker)
    {
        var (port, _) = LoopbackPorts.TwoFree();
        var url = new Uri($"http://127.0.0.1:{port}");
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(url.ToString());
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receivers = new WebhookReceivers(app, url, WebhookSignature.NewSecret()) { Tracker = tracker };
        var unitIndex = tracker.Units.Select((u, i) => (u.Unit, i)).ToDictionary(x => x.Unit, x => x.i, StringComparer.Ordinal);
        string[] secrets = [receivers.Secret];
        app.MapPost("/webhook/{unit}", async (string unit, HttpRequest request) =>
        {
            var received = DateTimeOffset.UtcNow;
            using var buffer = new MemoryStream();
            await request.Body.CopyToAsync(buffer);
            var body = buffer.GetBuffer().AsSpan(0, (int)buffer.Length);
            var headers = request.Headers;
            if (!long.TryParse(headers["webhook-timestamp"].ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var timestamp)
                || !WebhookSignature.Verify(headers["webhook-signature"].ToString(), secrets, headers["webhook-id"].ToString(), timestamp, body, received)
                || !unitIndex.TryGetValue(unit, out var index))
            {
                Interlocked.Increment(ref receivers._badSignatures);
                return Results.StatusCode(401);
            }
            using var document = JsonDocument.Parse(buffer.GetBuffer().AsMemory(0, (int)buffer.Length));
            var tracker = receivers.Tracker;
            foreach (var order in document.RootElement.GetProperty("orders").EnumerateArray())
                tracker.Record(index, order.GetProperty("orderId").GetString()!, order.GetProperty("acceptedAt").GetDateTimeOffset(), received,
                    order.GetProperty("processedAt").GetDateTimeOffset());
            return Results.NoContent();
        });
        await app.StartAsync();
        return receivers;
    }

    /// <summary>Points every unit's delivery at its endpoint here (webhook, signed with <see cref="Secret"/>).</summary>
    public async Task ConfigureAsync(HttpClient node, IEnumerable<string> units, int batch)
    {
        foreach (var unit in units)
        {
            var body = JsonSerializer.Serialize(new { mode = "webhook", url = new Uri(Url, $"/webhook/{unit}").ToString(), secrets = new[] { Secret }, batch });
            using var content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
            using var response = await node.PutAsync($"/api/admin/units/{unit}/delivery", content);
            if (!response.IsSuccessStatusCode)
                throw new InvalidOperationException($"setting {unit}'s webhook failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
