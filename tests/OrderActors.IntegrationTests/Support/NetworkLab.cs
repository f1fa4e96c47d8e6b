using OrderActors.Harness;

namespace OrderActors.IntegrationTests.Support;

/// <summary>
/// A private network for a partition drill, made of real Linux network namespaces: one per node, each with its own
/// address on a bridge in the test's namespace, where the test itself (<see cref="TesterAddress"/>) and the database
/// (<see cref="DatabaseAddress"/>) are. A cut is a blackhole route, as a failed switch or a firewall drops packets
/// silently: connections stall, nothing is refused. Needs root (CI runs as root) and iproute2's <c>ip</c>.
/// </summary>
public sealed class NetworkLab : IAsyncDisposable
{
    private readonly string _id;
    private readonly string _prefix;
    private readonly int _nodes;

    private NetworkLab(string id, string prefix, int nodes) => (_id, _prefix, _nodes) = (id, prefix, nodes);

    /// <summary>The test's own address on the bridge: it reaches every node, whatever is cut.</summary>
    public string TesterAddress => $"{_prefix}.1";

    /// <summary>The address the database listens on, on the bridge beside the tester's.</summary>
    public string DatabaseAddress => $"{_prefix}.2";

    public string Subnet => $"{_prefix}.0/24";

    public string Namespace(int node) => $"oa{_id}n{node}";

    public string Address(int node) => $"{_prefix}.{11 + node}";

    private string Bridge => $"oa{_id}br";

    public static async Task<NetworkLab> CreateAsync(int nodes)
    {
        Assert.True(Environment.UserName == "root", "a partition drill makes network namespaces and needs root (CI runs as root)");
        var id = Guid.NewGuid().ToString("N")[..4];
        var (_, used, _) = await Repo.RunProgramAsync("ip", ["-4", "addr"]);
        var prefix = Enumerable.Range(0, 200).Select(i => $"10.231.{(Random.Shared.Next(200) + i) % 250 + 1}")
            .First(p => !used.Contains(p + "."));
        var lab = new NetworkLab(id, prefix, nodes);
        try
        {
            await Ip($"link add {lab.Bridge} type bridge");
            await Ip($"addr add {lab.TesterAddress}/24 dev {lab.Bridge}"); // first: the source of the tester's requests
            await Ip($"addr add {lab.DatabaseAddress}/32 dev {lab.Bridge}");
            await Ip($"link set {lab.Bridge} up");
            for (var n = 0; n < nodes; n++)
            {
                var ns = lab.Namespace(n);
                await Ip($"netns add {ns}");
                await Ip($"link add oa{id}v{n} type veth peer name eth0 netns {ns}");
                await Ip($"link set oa{id}v{n} master {lab.Bridge} up");
                await Ip($"-n {ns} addr add {lab.Address(n)}/24 dev eth0");
                await Ip($"-n {ns} link set eth0 up");
                await Ip($"-n {ns} link set lo up");
            }
        }
        catch
        {
            await lab.DisposeAsync();
            throw;
        }
        return lab;
    }

    /// <summary>Cuts the link between two nodes both ways: packets between them are dropped from now on.</summary>
    public async Task CutAsync(int a, int b)
    {
        await Ip($"-n {Namespace(a)} route add blackhole {Address(b)}/32");
        await Ip($"-n {Namespace(b)} route add blackhole {Address(a)}/32");
    }

    public async Task HealAsync(int a, int b)
    {
        await Ip($"-n {Namespace(a)} route del blackhole {Address(b)}/32");
        await Ip($"-n {Namespace(b)} route del blackhole {Address(a)}/32");
    }

    /// <summary>Cuts one node off from the database only: its peers and the tester still reach it.</summary>
    public Task CutFromDatabaseAsync(int node) => Ip($"-n {Namespace(node)} route add blackhole {DatabaseAddress}/32");

    public Task ReconnectToDatabaseAsync(int node) => Ip($"-n {Namespace(node)} route del blackhole {DatabaseAddress}/32");

    public async ValueTask DisposeAsync()
    {
        // deleting a namespace deletes its end of the veth pair, and with it the other end
        for (var n = 0; n < _nodes; n++) await Repo.RunProgramAsync("ip", ["netns", "del", Namespace(n)]);
        await Repo.RunProgramAsync("ip", ["link", "del", Bridge]);
    }

    private static async Task Ip(string arguments)
    {
        var (code, _, err) = await Repo.RunProgramAsync("ip", arguments.Split(' '));
        Assert.True(code == 0, $"ip {arguments}: {err}");
    }
}
