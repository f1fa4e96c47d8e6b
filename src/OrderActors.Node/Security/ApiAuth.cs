using System.Net;
using OrderActors.Actors.Security;
using OrderActors.Domain.Security;
using OrderActors.Node.Hosting;
using OrderActors.Node.Http;

namespace OrderActors.Node.Security;

/// <summary>
/// Keys and roles on every route (docs/API.md, "Security"). On whenever the node has an admin token or listens beyond
/// loopback (<see cref="NodeOptions.AuthRequired"/>); a fresh node on loopback stays open, as README's first command
/// needs. The route table is <see cref="AccessPolicy"/>'s: a route it does not name needs the admin role.
/// </summary>
public static class ApiAuth
{
    private const string PrincipalKey = "orderactors.principal";

    /// <summary>Who made the request (null: the node runs without auth).</summary>
    public static Principal? PrincipalOf(HttpContext context) => context.Items[PrincipalKey] as Principal;

    public static IApplicationBuilder UseApiAuth(this IApplicationBuilder app, SecurityOptions security)
    {
        var options = app.ApplicationServices.GetRequiredService<NodeOptions>();
        if (!options.AuthRequired) return app;
        var keys = app.ApplicationServices.GetRequiredService<KeyDirectoryStore>();
        var log = app.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger("OrderActors.Node.Security.ApiAuth");
        var throttle = new FailedAuthThrottle(security.FailedAuthLimit, security.FailedAuthWindow);
        var tokenHash = options.AdminToken is { Length: > 0 } token ? ApiKeys.Hash(token) : null;
        return app.Use(async (context, next) =>
        {
            var request = context.Request;
            var (need, unit) = AccessPolicy.Requirement(request.Method, request.Path.Value ?? "/");
            if (need == Need.Nothing)
            {
                await next(context);
                return;
            }
            var header = request.Headers.Authorization.ToString();
            var presented = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header[7..].Trim() : null;
            var hash = presented is null ? null : ApiKeys.Hash(presented);
            var who = hash is null ? null
                : tokenHash is not null && ApiKeys.Matches(hash, tokenHash) ? Principal.AdminToken
                : keys.Current.Authenticate(presented!, hash);
            if (who is null)
            {
                var address = context.Connection.RemoteIpAddress?.ToString() ?? "an unknown address";
                var verdict = throttle.Failed(address, presented is null ? "no key" : "a key that is unknown, revoked or mistyped", DateTimeOffset.UtcNow);
                if (verdict.Log is { } line) log.LogWarning("{FailedAuthentication}", line);
                if (verdict.RetryAfter is { } wait)
                {
                    await Problems.Throttled(context, $"Too many failed authentications from {address}: more than {security.FailedAuthLimit} " +
                                                      "in a short time. Send a valid key after Retry-After.",
                        Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds))).ExecuteAsync(context);
                    return;
                }
                context.Response.Headers.WWWAuthenticate = "Bearer";
                await Problems.Result(401, presented is null
                    ? "This node needs an API key: send Authorization: Bearer <key> (an admin creates keys: POST /api/admin/keys)."
                    : "The key is not valid: unknown, revoked or mistyped.").ExecuteAsync(context);
                return;
            }
            if (AccessPolicy.Refusal(who, need, unit, request.Method) is { } refusal)
            {
                await Problems.Result(403, refusal).ExecuteAsync(context);
                return;
            }
            context.Items[PrincipalKey] = who;
            await next(context);
        });
    }

    /// <summary>Without auth, admin calls still answer only callers on loopback.</summary>
    public static bool RefusedAsRemoteAdmin(HttpContext context) =>
        !context.RequestServices.GetRequiredService<NodeOptions>().AuthRequired
        && context.Connection.RemoteIpAddress is { } ip && !IPAddress.IsLoopback(ip);
}
