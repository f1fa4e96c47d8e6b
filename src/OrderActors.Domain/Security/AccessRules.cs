namespace OrderActors.Domain.Security;

/// <summary>What an endpoint needs of the caller's key (declared on the endpoint group; <see cref="AccessRules"/>).</summary>
public enum Need
{
    /// <summary>No key: health probes (load balancers and orchestrators call them).</summary>
    Nothing,
    /// <summary>Any valid key: the routing table, the list of units.</summary>
    AnyKey,
    /// <summary>Posting orders: producer.</summary>
    Produce,
    /// <summary>An order's view: producer, consumer (only its units are shown), operator.</summary>
    ReadOrder,
    /// <summary>A unit's feed, ack and downstream status: a consumer of that unit, operator.</summary>
    Consume,
    /// <summary>Catalog, inventory, reports, delivery settings, parked orders, replay.</summary>
    Operate,
    /// <summary>Keys and cluster operations.</summary>
    Administer,
}

/// <summary>
/// Which role may do what an endpoint declares it needs (each endpoint group of the node declares its <see cref="Need"/>;
/// a route no endpoint declares needs the admin role under <c>/api</c>, any key elsewhere). Admin may do everything; an
/// operator also reads what a producer or a consumer reads, but does not post orders or move a consumer's cursor.
/// </summary>
public static class AccessRules
{
    /// <summary>What a request that no endpoint declares needs: nothing is there but 404s and 405s, still no answer without a key.</summary>
    public static Need Undeclared(string path) =>
        path.Equals("/api", StringComparison.Ordinal) || path.StartsWith("/api/", StringComparison.Ordinal) ? Need.Administer : Need.AnyKey;

    /// <summary>Null when <paramref name="who"/> may make the request; else why not (the 403's detail).</summary>
    public static string? Refusal(Principal who, Need need, string? unit, string method)
    {
        if (who.Role == ApiRole.Admin || need is Need.Nothing or Need.AnyKey) return null;
        var ok = need switch
        {
            Need.Produce => who.Role == ApiRole.Producer,
            Need.ReadOrder => who.Role is ApiRole.Producer or ApiRole.Consumer or ApiRole.Operator,
            // an operator reads feeds but does not acknowledge for the consumer or report its progress
            Need.Consume => who.Role == ApiRole.Consumer ? who.MayUse(unit!) : who.Role == ApiRole.Operator && method is "GET" or "HEAD",
            Need.Operate => who.Role == ApiRole.Operator,
            _ => false,
        };
        if (ok) return null;
        return need switch
        {
            Need.Consume when who.Role == ApiRole.Consumer => $"This key ('{who.Name}', consumer of {string.Join(", ", who.Units)}) may not use unit '{unit}'.",
            Need.Produce => $"Posting orders needs a producer key; this key ('{who.Name}') is {Article(who.Role)}.",
            Need.Operate => $"This route needs an operator or admin key; this key ('{who.Name}') is {Article(who.Role)}.",
            Need.Administer => $"This route needs an admin key; this key ('{who.Name}') is {Article(who.Role)}.",
            _ => $"This key ('{who.Name}', {who.Role.ToString().ToLowerInvariant()}) may not make this request.",
        };
    }

    private static string Article(ApiRole role) => role switch
    {
        ApiRole.Operator or ApiRole.Admin => $"an {role.ToString().ToLowerInvariant()}",
        _ => $"a {role.ToString().ToLowerInvariant()}",
    };
}
