using System.Diagnostics;
using System.Globalization;
using OrderActors.Actors.Telemetry;
using OrderActors.Domain.Orders;
using System.Text.Json;
using OrderActors.Domain.Delivery;
using OrderActors.Domain.Routing;

namespace OrderActors.Actors.Delivery;

/// <summary>
/// One attempt's request of a unit queue's webhook batch: its stable <c>webhook-id</c> and its body,
/// <c>{"unit", "queue", "orders": [feed item + deliveryId]}</c> (docs/API.md), each order written by the feed's own
/// writer (<see cref="DeliveryJson"/>). The body is a function of the batch's orders, so a retried batch sends the
/// very same bytes, with a new timestamp and signature.
/// </summary>
public sealed class WebhookRequest
{
    private static readonly ActivitySource Tracing = OrderTracing.Source("Delivery");

    private readonly UnitQueueAddress _queue;
    private readonly IReadOnlyList<AcceptedOrder> _orders;

    private WebhookRequest(UnitQueueAddress queue, string id, byte[] body, IReadOnlyList<AcceptedOrder> orders) =>
        (_queue, Id, Body, _orders) = (queue, id, body, orders);

    public string Id { get; }
    public byte[] Body { get; }

    public static WebhookRequest For(UnitQueueAddress queue, WebhookBatch batch) =>
        new(queue, batch.Id, JsonSerializer.SerializeToUtf8Bytes(WebhookBody.Of(queue, batch.Entries), DeliveryJson.Api.WebhookBody),
            batch.Entries.Select(e => e.Order).ToList());

    /// <summary>
    /// The node's client for webhooks (one per node: its connection pool is shared by every queue's pushes). It follows
    /// no redirect: a receiver's 3xx is a failed attempt, never a delivery, because following one would send the signed
    /// orders to an address nobody configured (or, as a 302/303, turn the POST into a GET without them and take the
    /// other address's 200 for a delivery).
    /// </summary>
    public static HttpClient Client(TimeSpan idleTimeout, TimeSpan lifetime) => new(new SocketsHttpHandler
    {
        AllowAutoRedirect = false,
        PooledConnectionLifetime = lifetime,
        PooledConnectionIdleTimeout = idleTimeout,
    })
    { Timeout = Timeout.InfiniteTimeSpan };

    /// <summary>Sends the request once, signed now; the receiver's status (null: no answer in time or no connection) and its Retry-After.</summary>
    public async Task<WebhookAttempt> SendAsync(HttpClient http, UnitDeliverySettings settings, CancellationToken ct)
    {
        // the messaging conventions' producer span: "send" to the destination, the unit queue
        using var span = OrderTracing.Start(Tracing, $"send {_queue.EntityId}", ActivityKind.Producer, _orders);
        span?.SetTag("messaging.system", OrderTracing.System)
            .SetTag("messaging.operation.type", "send")
            .SetTag("messaging.destination.name", _queue.EntityId)
            .SetTag("messaging.message.id", Id)
            .SetTag("messaging.batch.message_count", _orders.Count);
        // without a span of ours (no OTLP endpoint), the context the orders all came with, so that the receiver's trace
        // continues the OMS's (each order's own is in the body); with one, the HTTP client sends the span's context
        var attempt = await SendOnceAsync(http, settings, span is null ? OrderTracing.SharedTraceParent(_orders) : null, ct);
        if (span is not null && attempt.Status is not (>= 200 and < 300))
            span.SetStatus(ActivityStatusCode.Error, attempt.Error).SetTag("error.type", attempt.Status?.ToString(CultureInfo.InvariantCulture) ??
                (attempt.TimedOut ? "timeout" : "connection"));
        return attempt;
    }

    private async Task<WebhookAttempt> SendOnceAsync(HttpClient http, UnitDeliverySettings settings, string? traceParent, CancellationToken ct)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, settings.Url);
        if (traceParent is not null) message.Headers.TryAddWithoutValidation("traceparent", traceParent);
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        message.Content = new ByteArrayContent(Body);
        message.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        message.Headers.TryAddWithoutValidation("webhook-id", Id);
        message.Headers.TryAddWithoutValidation("webhook-timestamp", timestamp.ToString(CultureInfo.InvariantCulture));
        message.Headers.TryAddWithoutValidation("webhook-signature", WebhookSignature.Header(settings.Secrets!, Id, timestamp, Body));
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(settings.RequestTimeout);
        try
        {
            using var response = await http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            var retryAfter = response.Headers.RetryAfter is { } ra
                ? ra.Delta ?? (ra.Date is { } date ? date - DateTimeOffset.UtcNow : null)
                : null;
            var status = (int)response.StatusCode;
            return new WebhookAttempt(status, retryAfter, response.IsSuccessStatusCode ? null : Refusal(status, response));
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return new WebhookAttempt(null, null, $"no answer within {Durations.Format(settings.RequestTimeout)}", TimedOut: true);
        }
        catch (HttpRequestException e)
        {
            return new WebhookAttempt(null, null, Failure(e));
        }
    }

    private static string Refusal(int status, HttpResponseMessage response)
    {
        var answer = $"{status} {response.ReasonPhrase}".TrimEnd();
        if (status is < 300 or >= 400) return answer;
        var location = response.Headers.Location?.OriginalString;
        return $"{answer}: a redirect{(location is null ? "" : $" to {WebhookUrl.Masked(location)}")}, not followed " +
               "(webhooks follow no redirect: set the unit's url to the address that takes the orders)";
    }

    /// <summary>What went wrong with a request that got no answer, in words an operator can act on.</summary>
    private static string Failure(HttpRequestException e)
    {
        var cause = e.InnerException is { } inner ? Innermost(inner).Message.TrimEnd('.') : null;
        var detail = cause is null ? "" : $" ({cause})";
        return e.HttpRequestError switch
        {
            HttpRequestError.NameResolutionError => $"the receiver's host name did not resolve{detail}",
            HttpRequestError.ConnectionError => $"could not connect to the receiver{detail}",
            HttpRequestError.SecureConnectionError => $"the TLS handshake with the receiver failed{detail}",
            HttpRequestError.ResponseEnded =>
                "the receiver closed the connection without answering (it closed a kept-alive connection as the request went out, " +
                $"or stopped mid-request): not delivered, sent again{detail}",
            HttpRequestError.InvalidResponse => $"the receiver's answer is not valid HTTP{detail}",
            HttpRequestError.ConfigurationLimitExceeded => $"the receiver's answer exceeds the client's limits{detail}",
            _ => cause is null ? e.Message : $"the request failed: {cause}",
        };
    }

    private static Exception Innermost(Exception e)
    {
        while (e.InnerException is { } inner) e = inner;
        return e;
    }
}

/// <summary>What one attempt got: the status (null: none), the receiver's Retry-After, and the error to show operators.</summary>
/// <param name="TimedOut">no answer came within the request's timeout (as opposed to no connection)</param>
public sealed record WebhookAttempt(int? Status, TimeSpan? RetryAfter, string? Error, bool TimedOut = false);
