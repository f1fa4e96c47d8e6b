using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using OrderActors.Actors.Security;
using OrderActors.Domain.Security;
using OrderActors.Node.Http;

namespace OrderActors.Node.Security;

/// <summary>The node's authentication settings: whether auth is on, the admin token's hash, and the failed-authentication throttle.</summary>
public sealed record ApiKeyAuthentication(bool Required, byte[]? AdminTokenHash, FailedAuthThrottle Throttle, int FailedAuthLimit);

/// <summary>
/// The scheme of our API keys and the admin token (<c>Authorization: Bearer ...</c>). A caller without a key, or with
/// one that is unknown, revoked or mistyped, is challenged with 401 problem+json, or 429 with Retry-After once an
/// address fails too often (<see cref="FailedAuthThrottle"/>). Only used with auth on (<see cref="ApiAuth.UseApiAuth"/>).
/// </summary>
public sealed class ApiKeyAuthenticationHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory loggers, UrlEncoder encoder,
    ApiKeyAuthentication auth, KeyDirectoryStore keys) : AuthenticationHandler<AuthenticationSchemeOptions>(options, loggers, encoder)
{
    private readonly ILogger _log = loggers.CreateLogger("OrderActors.Node.Security.ApiAuth");

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (Presented() is not { } presented) return Task.FromResult(AuthenticateResult.NoResult());
        var hash = ApiKeys.Hash(presented);
        var who = auth.AdminTokenHash is { } token && ApiKeys.Matches(hash, token) ? Principal.AdminToken : keys.Current.Authenticate(presented, hash);
        if (who is null) return Task.FromResult(AuthenticateResult.Fail("The key is not valid: unknown, revoked or mistyped."));
        ApiAuth.Authenticated(Context, who);
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, who.Name), new Claim(ClaimTypes.Role, who.Role.ToString())], ApiAuth.Scheme);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), ApiAuth.Scheme)));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var presented = Presented();
        var address = Context.Connection.RemoteIpAddress?.ToString() ?? "an unknown address";
        var verdict = auth.Throttle.Failed(address, presented is null ? "no key" : "a key that is unknown, revoked or mistyped", DateTimeOffset.UtcNow);
        if (verdict.Log is { } line) _log.LogWarning("{FailedAuthentication}", line);
        if (verdict.RetryAfter is { } wait)
        {
            await Problems.Throttled(Context, $"Too many failed authentications from {address}: more than {auth.FailedAuthLimit} " +
                                              "in a short time. Send a valid key after Retry-After.",
                Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds))).ExecuteAsync(Context);
            return;
        }
        Response.Headers.WWWAuthenticate = "Bearer";
        await Problems.Result(401, presented is null
            ? "This node needs an API key: send Authorization: Bearer <key> (an admin creates keys: POST /api/admin/keys)."
            : "The key is not valid: unknown, revoked or mistyped.").ExecuteAsync(Context);
    }

    private string? Presented()
    {
        var header = Request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header[7..].Trim() : null;
    }
}
