using System.Text.RegularExpressions;
using OrderActors.IntegrationTests.Support;

namespace OrderActors.IntegrationTests;

/// <summary>The deployment files are valid (there is no Docker engine here; the multi-process tests prove the topology).</summary>
public class DeploymentTests
{
    [Fact]
    public async Task The_compose_file_validates()
    {
        var compose = new[] { "/usr/bin/docker-compose", "/usr/local/bin/docker-compose" }.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("docker-compose is not installed (Debian: apt-get install --no-install-recommends docker-compose); .ci/run installs it");
        // as an operator runs it: the example env file copied to deploy/compose.env (which is never committed)
        var dir = Directory.CreateTempSubdirectory("orderactors-compose-").FullName;
        try
        {
            File.Copy(Path.Combine(Repo.Root, "docker-compose.yml"), Path.Combine(dir, "docker-compose.yml"));
            File.Copy(Path.Combine(Repo.Root, "Dockerfile"), Path.Combine(dir, "Dockerfile"));
            Directory.CreateDirectory(Path.Combine(dir, "deploy"));
            File.Copy(Path.Combine(Repo.Root, "deploy", "compose.env.example"), Path.Combine(dir, "deploy", "compose.env"));
            var (code, stdout, stderr) = await Repo.RunProgramAsync(compose, ["-f", Path.Combine(dir, "docker-compose.yml"), "config"]);
            Assert.True(code == 0, $"docker-compose config failed ({code}):\n{stdout}\n{stderr}");
            Assert.Contains("ORDERACTORS_ADMIN_TOKEN", stdout); // the env file reached the nodes
            Assert.Contains("POSTGRES_PASSWORD", stdout);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void The_compose_file_runs_postgres_and_three_nodes_with_health_checks_and_a_long_stop_grace()
    {
        var text = File.ReadAllText(Path.Combine(Repo.Root, "docker-compose.yml"));
        foreach (var service in new[] { "postgres:", "node1:", "node2:", "node3:" }) Assert.Contains(service, text);
        Assert.Contains("condition: service_healthy", text);
        Assert.Contains("healthz/ready", text);
        Assert.Matches(@"stop_grace_period:\s*(3\d|[4-9]\d|\d{3,})s", text);
        Assert.True(File.Exists(Path.Combine(Repo.Root, "Dockerfile")));
        Assert.True(File.Exists(Path.Combine(Repo.Root, "deploy", "orderactors@.service")));
    }

    [Fact]
    public void The_compose_file_holds_no_secret_publishes_on_loopback_only_and_runs_the_cluster_link_over_TLS()
    {
        var text = File.ReadAllText(Path.Combine(Repo.Root, "docker-compose.yml"));
        var lines = text.Split('\n').Where(l => !l.TrimStart().StartsWith('#')).ToList();
        Assert.DoesNotContain(lines, l => l.Contains("PASSWORD") || l.Contains("Password=") || l.Contains("ADMIN_TOKEN"));
        var published = lines.Where(l => Regex.IsMatch(l, "^\\s*-\\s*\"[^\"]*:\\d+\"")).ToList();
        Assert.Equal(3, published.Count);
        Assert.All(published, l => Assert.Contains("\"127.0.0.1:", l));
        Assert.Contains("ORDERACTORS_CLUSTER_TLS_CERT", text);
        Assert.DoesNotContain("akka.tcp://", text);
        var ignored = File.ReadAllLines(Path.Combine(Repo.Root, ".gitignore"));
        Assert.Contains("deploy/compose.env", ignored);
        Assert.Contains("deploy/certs/", ignored);
    }
}
