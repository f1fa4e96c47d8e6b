using Akka.Actor;
using Akka.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using OrderActors.Actors.Security;
using OrderActors.Domain.Security;
using OrderActors.Node.Http;
using OrderActors.Domain.Routing;
using static OrderActors.Actors.Security.SecurityProtocol;

namespace OrderActors.Node.Security;

/// <summary><c>/api/admin/keys</c>: create (the key is shown once), list (no secrets) and revoke API keys.</summary>
public static class KeyEndpoints
{
    public static IEndpointRouteBuilder MapKeys(this IEndpointRouteBuilder app)
    {
        var admin = app.MapAdminGroup(Need.Administer);
        admin.MapPost("/keys", Create).WithSummary("Create an API key (shown once)").Produces<CreatedKeyView>(201).Answers(400).UnavailableOnTimeout("The key store did not answer in time; list the keys to see whether it was created.");
        admin.MapGet("/keys", async (ActorRegistry registry, ApiOptions api, CancellationToken ct) =>
        {
            var state = await Ask<KeysState>(registry, api, new GetKeys(-1), ct);
            return TypedResults.Ok(state.Keys.Select(View).ToList());
        }).WithSummary("The API keys (never a key or its hash)").UnavailableOnTimeout("The key store did not answer in time; try again.");
        admin.MapDelete("/keys/{id}", Revoke).WithSummary("Revoke an API key").Produces(204).Answers(404).UnavailableOnTimeout("The key store did not answer in time; send the revoke again.");
        return app;
    }

    private static async Task<Results<JsonHttpResult<CreatedKeyView>, JsonHttpResult<ProblemBody>>> Create(CreateKeyRequest? body,
        ActorRegistry registry, RoutingDirectory routing, ApiOptions api, CancellationToken ct)
    {
        if (body is null) return Problems.Field(400, "name", "is required: send {\"name\": \"oms\", \"role\": \"producer\"}");
        var known = routing.Units.Select(u => u.Name).ToHashSet(StringComparer.Ordinal);
        if (ApiKeys.Validate(body.Name, body.Role, body.Units, known, out var role) is { } invalid) return Problems.Field(400, invalid.Field, invalid.Reason);
        var (id, key) = ApiKeys.Generate();
        var entry = ApiKeyEntry.From(new StoredKey(id, body.Name!.Trim(), role, body.Units?.Distinct(StringComparer.Ordinal).ToList() ?? [],
            ApiKeys.Hash(key), DateTimeOffset.UtcNow));
        await Ask<KeysState>(registry, api, new AddKey(entry), ct);
        return TypedResults.Json(new CreatedKeyView(entry.Id, entry.Name, entry.Role, entry.Units, entry.CreatedAt, key),
            statusCode: StatusCodes.Status201Created);
    }

    private static async Task<Results<NoContent, JsonHttpResult<ProblemBody>>> Revoke(string id, ActorRegistry registry, ApiOptions api, CancellationToken ct)
    {
        var result = await Ask<KeyRevokeResult>(registry, api, new RevokeKey(id), ct);
        return result.Found ? TypedResults.NoContent() : Problems.Result(404, $"No key '{id}' (GET /api/admin/keys lists them).");
    }

    private static KeyView View(ApiKeyEntry k) => new(k.Id, k.Name, k.Role, k.Units, k.CreatedAt, k.RevokedAt);

    private static async Task<T> Ask<T>(ActorRegistry registry, ApiOptions api, object message, CancellationToken ct)
    {
        var region = await registry.GetAsync<SecurityRegion>(ct);
        return await region.Ask<T>(message, api.AskTimeout, ct);
    }
}
