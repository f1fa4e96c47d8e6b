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
        var (code, stdout, stderr) = await Repo.RunProgramAsync(compose, ["-f", Path.Combine(Repo.Root, "docker-compose.yml"), "config", "--quiet"]);
        Assert.True(code == 0, $"docker-compose config failed ({code}):\n{stdout}\n{stderr}");
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
}
