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

    public static IApplicationBuilder UseApiAuth(this IApplicationBuilder app)
    {
        var options = app.ApplicationServices.GetRequiredService<NodeOptions>();
        if (!options.AuthRequired) return app;
        var keys = app.ApplicationServices.GetRequiredService<KeyDirectoryStore>();
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
