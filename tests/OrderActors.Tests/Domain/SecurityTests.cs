using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using OrderActors.Domain.Security;

namespace OrderActors.Tests.Domain;

public class ApiKeyTests
{
    private static readonly string[] Units = ["erp", "wms"];

    [Fact]
    public void A_new_key_is_prefixed_carries_its_id_and_is_different_every_time()
    {
        var (id, key) = ApiKeys.Generate();
        Assert.StartsWith("oak_" + id + "_", key);
        Assert.Equal(ApiKeys.IdLength, id.Length);
        Assert.Equal(id, ApiKeys.IdOf(key));
        Assert.True(key.Length >= 4 + 12 + 1 + 43, key); // 32 random bytes after the id
        Assert.Equal(1000, Enumerable.Range(0, 1000).Select(_ => ApiKeys.Generate().Key).Distinct().Count());
    }

    [Theory]
    [InlineData("")]
    [InlineData("oak_")]
    [InlineData("oak_short")]
    [InlineData("sk_live_abcdefghijkl_secret")]
    [InlineData("oak_abcdefghijklXsecret")]
    public void A_token_not_in_our_format_has_no_id(string token) => Assert.Null(ApiKeys.IdOf(token));

    [Fact]
    public void The_directory_knows_a_key_by_its_hash_alone_and_not_once_revoked()
    {
        var (id, key) = ApiKeys.Generate();
        var stored = new StoredKey(id, "erp-reader", ApiRole.Consumer, ["erp"], ApiKeys.Hash(key), DateTimeOffset.UnixEpoch);
        var directory = new KeyDirectory(1, [stored]);

        var who = directory.Authenticate(key);
        Assert.Equal((id, "erp-reader", ApiRole.Consumer, "erp"), (who?.KeyId, who?.Name, who?.Role, string.Join(",", who?.Units ?? [])));
        Assert.Null(directory.Authenticate(key[..^1] + (key[^1] == 'A' ? 'B' : 'A'))); // one character off
        Assert.Null(directory.Authenticate(ApiKeys.Generate().Key)); // unknown id
        Assert.Null(new KeyDirectory(2, [stored with { RevokedAt = DateTimeOffset.UnixEpoch }]).Authenticate(key));
    }

    [Fact]
    public void The_admin_token_is_compared_whole()
    {
        var token = ApiKeys.Hash("s3cret-token-for-tests");
        Assert.True(ApiKeys.Matches(ApiKeys.Hash("s3cret-token-for-tests"), token));
        Assert.False(ApiKeys.Matches(ApiKeys.Hash("s3cret-toke"), token));
        Assert.False(ApiKeys.Matches(ApiKeys.Hash(""), token));
    }

    [Theory]
    [InlineData(null, "producer", null, "name")]
    [InlineData("  ", "producer", null, "name")]
    [InlineData("a\u0000b", "producer", null, "name")]
    [InlineData("oms", null, null, "role")]
    [InlineData("oms", "root", null, "role")]
    [InlineData("oms", "1", null, "role")]
    [InlineData("reader", "consumer", null, "units")]
    [InlineData("reader", "consumer", "crm", "units")]
    [InlineData("oms", "producer", "erp", "units")]
    public void A_bad_new_key_is_refused_naming_the_field(string? name, string? role, string? unit, string field)
    {
        var error = ApiKeys.Validate(name, role, unit is null ? null : [unit], Units, out _);
        Assert.Equal(field, error?.Field);
    }

    [Fact]
    public void A_good_new_key_is_accepted_with_its_role()
    {
        Assert.Null(ApiKeys.Validate("reader", "Consumer", ["wms"], Units, out var role));
        Assert.Equal(ApiRole.Consumer, role);
        Assert.Null(ApiKeys.Validate("ops", "operator", [], Units, out role));
        Assert.Equal(ApiRole.Operator, role);
    }
}

public class AccessRulesTests
{
    private static readonly Principal Producer = new("p", "oms", ApiRole.Producer, []);
    private static readonly Principal ErpConsumer = new("c", "erp-reader", ApiRole.Consumer, ["erp"]);
    private static readonly Principal Operator = new("o", "ops", ApiRole.Operator, []);
    private static readonly Principal Admin = new("a", "root", ApiRole.Admin, []);

    /// <summary>What each role may do of what an endpoint needs (the routes' table over a real node: ApiKeyTests).</summary>
    [Theory]
    [InlineData(Need.AnyKey, "GET", "PCO")]
    [InlineData(Need.Produce, "POST", "P")]
    [InlineData(Need.ReadOrder, "GET", "PCO")]
    [InlineData(Need.Consume, "GET", "CO")]
    [InlineData(Need.Consume, "POST", "C")]
    [InlineData(Need.Operate, "GET", "O")]
    [InlineData(Need.Operate, "PUT", "O")]
    [InlineData(Need.Administer, "GET", "")]
    [InlineData(Need.Administer, "DELETE", "")]
    public void Each_need_admits_the_roles_it_is_for_and_admin(Need need, string method, string allowed)
    {
        foreach (var (letter, who) in new[] { ('P', Producer), ('C', ErpConsumer), ('O', Operator) })
        {
            var refusal = AccessRules.Refusal(who, need, "erp", method);
            Assert.True(allowed.Contains(letter) == (refusal is null), $"{need} {method} for {who.Role}: {refusal ?? "allowed"}");
        }
        Assert.Null(AccessRules.Refusal(Admin, need, "erp", method));
    }

    [Fact]
    public void A_consumer_uses_only_its_own_units()
    {
        Assert.Null(AccessRules.Refusal(ErpConsumer, Need.Consume, "erp", "POST"));
        Assert.Contains("may not use unit 'wms'", AccessRules.Refusal(ErpConsumer, Need.Consume, "wms", "GET"));
    }

    [Theory]
    [InlineData("/api/something-new", Need.Administer)]
    [InlineData("/api", Need.Administer)]
    [InlineData("/api/orders/10248", Need.Administer)]
    [InlineData("/", Need.AnyKey)]
    [InlineData("/nothing-here", Need.AnyKey)]
    [InlineData("/apiary", Need.AnyKey)]
    public void A_route_no_endpoint_declares_needs_admin_under_api_and_any_key_elsewhere(string path, Need need) =>
        Assert.Equal(need, AccessRules.Undeclared(path));
}

public class ClusterCertificateTests
{
    private static readonly X509Certificate2 Authority = ClusterCertificates.CreateAuthority("test CA", TimeSpan.FromDays(30));
    private static readonly X509Certificate2 Rogue = ClusterCertificates.CreateAuthority("test CA", TimeSpan.FromDays(30));

    [Fact]
    public void A_node_certificate_of_the_CA_is_admitted_for_both_ends_of_a_link()
    {
        using var node = ClusterCertificates.Issue(Authority, "node1", ["127.0.0.1", "node1.internal"], TimeSpan.FromDays(10));
        Assert.True(node.HasPrivateKey);
        var verdict = ClusterCertificates.VerifyPeer(node, [Authority]);
        Assert.True(verdict.Admitted, verdict.Reason);
        var usages = node.Extensions.OfType<X509EnhancedKeyUsageExtension>().Single().EnhancedKeyUsages.Cast<Oid>().Select(o => o.Value);
        Assert.Equal(["1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2"], usages);
    }

    [Fact]
    public void A_certificate_of_another_CA_with_the_same_name_is_refused()
    {
        using var node = ClusterCertificates.Issue(Rogue, "node1", ["127.0.0.1"], TimeSpan.FromDays(10));
        var verdict = ClusterCertificates.VerifyPeer(node, [Authority]);
        Assert.False(verdict.Admitted);
        Assert.Contains("does not chain to the cluster CA", verdict.Reason);
    }

    [Fact]
    public void No_certificate_an_expired_one_and_the_CA_itself_as_a_self_signed_peer_are_refused()
    {
        Assert.Equal("the peer presented no certificate", ClusterCertificates.VerifyPeer(null, [Authority]).Reason);
        using var node = ClusterCertificates.Issue(Authority, "node1", [], TimeSpan.FromDays(10));
        Assert.False(ClusterCertificates.VerifyPeer(node, [Authority], DateTime.Now.AddDays(11)).Admitted);
        using var selfSigned = ClusterCertificates.CreateAuthority("node1", TimeSpan.FromDays(1));
        Assert.False(ClusterCertificates.VerifyPeer(selfSigned, [Authority]).Admitted);
    }

    [Fact]
    public void A_node_certificate_never_outlives_its_CA_and_its_PEM_reads_back_with_its_key()
    {
        using var shortCa = ClusterCertificates.CreateAuthority("short", TimeSpan.FromDays(2));
        using var node = ClusterCertificates.Issue(shortCa, "node1", [], TimeSpan.FromDays(365));
        Assert.True(node.NotAfter <= shortCa.NotAfter);
        var (pem, key) = ClusterCertificates.ToPem(node);
        using var back = X509Certificate2.CreateFromPem(pem, key);
        Assert.True(back.HasPrivateKey);
        Assert.Equal(node.Thumbprint, back.Thumbprint);
    }
}

public class FailedAuthThrottleTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 7, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void An_address_is_throttled_past_the_limit_until_its_window_ends_and_other_addresses_are_not()
    {
        var throttle = new FailedAuthThrottle(limit: 3, TimeSpan.FromMinutes(1));
        var verdicts = Enumerable.Range(0, 5).Select(i => throttle.Failed("10.0.0.1", "no key", T0.AddSeconds(i))).ToList();
        Assert.Equal([null, null, null, TimeSpan.FromSeconds(57), TimeSpan.FromSeconds(56)], verdicts.Select(v => v.RetryAfter));
        Assert.Equal(TimeSpan.FromSeconds(50), throttle.Failed("10.0.0.1", "no key", T0.AddSeconds(10)).RetryAfter);
        Assert.Null(throttle.Failed("10.0.0.2", "no key", T0.AddSeconds(10)).RetryAfter);
        // a new window starts the count again
        Assert.Null(throttle.Failed("10.0.0.1", "no key", T0.AddMinutes(1)).RetryAfter);
    }

    [Fact]
    public void The_log_gets_an_addresses_first_failure_and_its_throttling_only_and_a_bounded_number_of_lines_in_all()
    {
        var throttle = new FailedAuthThrottle(limit: 2, TimeSpan.FromMinutes(1), logPerWindow: 10);
        var lines = Enumerable.Range(0, 100).Select(i => throttle.Failed("10.0.0.1", "no key", T0).Log).OfType<string>().ToList();
        Assert.Equal(2, lines.Count);
        Assert.StartsWith("failed authentication from 10.0.0.1: no key", lines[0]);
        Assert.Contains("answered 429", lines[1]);

        // a spray from 1,000 addresses: 10 lines in the window, then the next window's first line says how many were left out
        var spray = Enumerable.Range(0, 1000).Select(i => throttle.Failed($"10.1.{i / 256}.{i % 256}", "no key", T0.AddSeconds(1)).Log).OfType<string>().ToList();
        Assert.Equal(8, spray.Count); // 10 per window, 2 already used
        var next = throttle.Failed("10.9.9.9", "no key", T0.AddMinutes(2)).Log;
        Assert.Contains("992 more such lines not logged", next);
    }

    [Fact]
    public void Memory_is_bounded_by_the_addresses_it_holds()
    {
        var throttle = new FailedAuthThrottle(limit: 1, TimeSpan.FromMinutes(1), maxAddresses: 100);
        for (var i = 0; i < 10_000; i++) throttle.Failed($"addr-{i}", "no key", T0);
        // the addresses it could not hold are answered as usual (401), never an exception
        Assert.Null(throttle.Failed("addr-9999", "no key", T0).RetryAfter);
        Assert.NotNull(throttle.Failed("addr-0", "no key", T0).RetryAfter);
        // once their windows end, room is made for new ones
        throttle.Failed("late", "no key", T0.AddMinutes(2));
        Assert.NotNull(throttle.Failed("late", "no key", T0.AddMinutes(2)).RetryAfter);
    }
}
