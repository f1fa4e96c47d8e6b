namespace OrderActors.Domain.Security;

/// <summary>What a route needs (from <see cref="AccessPolicy.Requirement"/>).</summary>
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
/// Which role may call which route, by method and path alone, so that every route, a new one too, is covered: what
/// the table does not name needs the admin role. Admin may do everything; an operator also reads what a producer or a
/// consumer reads, but does not post orders or move a consumer's cursor.
/// </summary>
public static class AccessPolicy
{
    /// <summary>What a request needs, and the unit its path names (for <see cref="Need.Consume"/>).</summary>
    public static (Need Need, string? Unit) Requirement(string method, string path)
    {
        var segments = path.Trim('/').Split('/');
        string At(int i) => i < segments.Length ? segments[i] : "";
        var get = method is "GET" or "HEAD";
        if (At(0) == "healthz") return (Need.Nothing, null);
        if (At(0) != "api") return (Need.AnyKey, null); // nothing is there but 404s: still, no answer without a key
        switch (At(1))
        {
            case "orders":
                if (segments.Length == 2 || (segments.Length == 3 && At(2) == "batch")) return (get ? Need.Administer : Need.Produce, null);
                return (get && segments.Length == 3 ? Need.ReadOrder : Need.Administer, null);
            case "routing":
                return (get ? Need.AnyKey : Need.Administer, null);
            case "units":
                if (segments.Length == 2) return (get ? Need.AnyKey : Need.Administer, null);
                var unit = At(2);
                // /api/units/{unit}/queues/{k}/orders (GET), /queues/{k}/ack (POST), /orders/{id}/status (POST)
                if (segments.Length == 6 && At(3) == "queues" && ((get && At(5) == "orders") || (!get && At(5) == "ack"))) return (Need.Consume, unit);
                if (segments.Length == 6 && At(3) == "orders" && At(5) == "status" && !get) return (Need.Consume, unit);
                return (Need.Administer, null);
            case "catalog":
            case "inventory":
            case "reports":
                return (Need.Operate, null);
            case "admin":
                return At(2) is "keys" or "cluster" or "sharding" or "queues" || segments.Length == 2 ? (Need.Administer, null) : (Need.Operate, null);
            default:
                return (Need.Administer, null);
        }
    }

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
