using System.Net;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using OrderActors.Actors.Security;
using OrderActors.Domain.Security;
using OrderActors.Node.Http;

namespace OrderActors.Node.Security;

/// <summary>
/// Keys and roles on every route (docs/security.md). Each endpoint group declares what it needs of the caller's key
/// (<see cref="RequireAccess{TBuilder}"/>: a named policy per <see cref="Need"/>, or no key for health); the keys and the
/// admin token are an authentication scheme (<see cref="ApiKeyAuthenticationHandler"/>) and the roles an authorization
/// handler (<see cref="AccessHandler"/>). On whenever the node has an admin token or listens beyond loopback; a fresh
/// node on loopback stays open, as README's first command needs.
/// </summary>
public static class ApiAuth
{
    public const string Scheme = "orderactors-key";
    private const string PrincipalKey = "orderactors.principal";

    /// <summary>Who made the request (null: the node runs without auth).</summary>
    public static Principal? PrincipalOf(HttpContext context) => context.Items[PrincipalKey] as Principal;

    internal static void Authenticated(HttpContext context, Principal who) => context.Items[PrincipalKey] = who;

    public static string PolicyName(Need need) => "orderactors-" + need.ToString().ToLowerInvariant();

    /// <summary>Declares what the endpoints of <paramref name="builder"/> need of the caller's key (<see cref="Need.Nothing"/>: no key).</summary>
    public static TBuilder RequireAccess<TBuilder>(this TBuilder builder, Need need) where TBuilder : IEndpointConventionBuilder =>
        need == Need.Nothing ? builder.AllowAnonymous() : builder.RequireAuthorization(PolicyName(need)).Answers(401, 403, 429);

    /// <param name="required">whether keys are required (the node's options say: an admin token, or a listener beyond loopback)</param>
    public static IServiceCollection AddApiAuth(this IServiceCollection services, bool required, string? adminToken, SecurityOptions security)
    {
        services.AddSingleton(new ApiKeyAuthentication(required, adminToken is { Length: > 0 } token ? ApiKeys.Hash(token) : null,
            new FailedAuthThrottle(security.FailedAuthLimit, security.FailedAuthWindow), security.FailedAuthLimit));
        if (!required)
        {
            // without auth every caller may do everything: no authentication or authorization services, so that no
            // middleware runs per request (the host adds both by itself once their services exist), and routing is
            // told that the endpoints' policies go unchecked instead of refusing them
            return services.Configure<RouteOptions>(routes => routes.SuppressCheckForUnhandledSecurityMetadata = true);
        }
        services.AddAuthentication(Scheme).AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(Scheme, null);
        services.AddAuthorization(options =>
        {
            foreach (var need in Enum.GetValues<Need>().Where(n => n != Need.Nothing))
                options.AddPolicy(PolicyName(need), policy => policy.AddAuthenticationSchemes(Scheme).RequireAuthenticatedUser()
                    .AddRequirements(new AccessRequirement(need)));
            // what no endpoint declares (a 404, a 405): still no answer without a key
            options.FallbackPolicy = new AuthorizationPolicyBuilder(Scheme).RequireAuthenticatedUser().AddRequirements(new AccessRequirement(null)).Build();
        });
        return services.AddSingleton<IAuthorizationHandler, AccessHandler>()
            .AddSingleton<IAuthorizationMiddlewareResultHandler, AccessResultHandler>();
    }

    public static IApplicationBuilder UseApiAuth(this IApplicationBuilder app) =>
        app.ApplicationServices.GetRequiredService<ApiKeyAuthentication>().Required ? app.UseAuthentication().UseAuthorization() : app;

    /// <summary>
    /// The <c>/api/admin</c> routes of a feature, needing <paramref name="need"/> of the caller's key when auth is on;
    /// without auth they answer only callers on loopback.
    /// </summary>
    public static RouteGroupBuilder MapAdminGroup(this IEndpointRouteBuilder app, Need need) =>
        app.MapGroup("/api/admin").WithTags("admin").RequireAccess(need).AddEndpointFilter(async (context, next) =>
            RefusedAsRemoteAdmin(context.HttpContext)
                ? Problems.Result(403, "Admin calls answer only on loopback unless the node has --admin-token.")
                : await next(context));

    /// <summary>Without auth, admin calls still answer only callers on loopback.</summary>
    private static bool RefusedAsRemoteAdmin(HttpContext context) =>
        !context.RequestServices.GetRequiredService<ApiKeyAuthentication>().Required
        && context.Connection.RemoteIpAddress is { } ip && !IPAddress.IsLoopback(ip);
}

/// <summary>An endpoint's need (null: a request no endpoint declares, judged by <see cref="AccessRules.Undeclared"/>).</summary>
public sealed record AccessRequirement(Need? Need) : IAuthorizationRequirement;

/// <summary>Whether the caller's role may do what the endpoint needs; the refusal's reason is the 403's detail.</summary>
public sealed class AccessHandler : AuthorizationHandler<AccessRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, AccessRequirement requirement)
    {
        if (context.Resource is HttpContext http && ApiAuth.PrincipalOf(http) is { } who)
        {
            var need = requirement.Need ?? AccessRules.Undeclared(http.Request.Path.Value ?? "/");
            if (AccessRules.Refusal(who, need, http.GetRouteValue("unit") as string, http.Request.Method) is { } refusal)
                context.Fail(new AuthorizationFailureReason(this, refusal));
            else context.Succeed(requirement);
        }
        return Task.CompletedTask;
    }
}

/// <summary>Answers a refused request as problem+json: 401 (or 429 past the failed-authentication limit) by the scheme's challenge, 403 with the reason.</summary>
public sealed class AccessResultHandler : IAuthorizationMiddlewareResultHandler
{
    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult result)
    {
        if (result.Challenged) await context.ChallengeAsync(ApiAuth.Scheme);
        else if (result.Forbidden)
            await Problems.Result(403, result.AuthorizationFailure?.FailureReasons.FirstOrDefault()?.Message ?? "This key may not make this request.")
                .ExecuteAsync(context);
        else await next(context);
    }
}
