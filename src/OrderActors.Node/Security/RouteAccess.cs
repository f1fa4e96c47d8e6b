using Microsoft.AspNetCore.Authorization;
using OrderActors.Domain.Security;

namespace OrderActors.Node.Security;

/// <summary>
/// Every route of the node with what it declares it needs of the caller's key (<c>--routes</c> prints them): the
/// <see cref="Need"/> of its policy, <c>nothing</c> for an anonymous one, or <c>undeclared</c> (which a test refuses).
/// </summary>
public static class RouteAccess
{
    public sealed record Route(string Methods, string Pattern, string Access);

    public static IReadOnlyList<Route> Of(IEnumerable<EndpointDataSource> sources) =>
        sources.SelectMany(source => source.Endpoints).OfType<RouteEndpoint>()
            .Select(e => new Route(string.Join(",", e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["*"]),
                "/" + e.RoutePattern.RawText?.TrimStart('/'), AccessOf(e)))
            .OrderBy(r => r.Pattern, StringComparer.Ordinal).ThenBy(r => r.Methods, StringComparer.Ordinal)
            .ToList();

    private static readonly Dictionary<string, string> ByPolicy =
        Enum.GetValues<Need>().ToDictionary(ApiAuth.PolicyName, n => n.ToString().ToLowerInvariant());

    private static string AccessOf(Endpoint endpoint)
    {
        if (endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null) return Need.Nothing.ToString().ToLowerInvariant();
        var needs = endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(a => a.Policy).OfType<string>()
            .Where(ByPolicy.ContainsKey).Select(p => ByPolicy[p]).Distinct().ToList();
        return needs.Count == 0 ? "undeclared" : string.Join("+", needs);
    }
}
