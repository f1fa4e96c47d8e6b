using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace OrderActors.IntegrationTests.Support;

/// <summary>
/// A throwaway RabbitMQ broker from the machine's own installation (Debian: <c>apt-get install rabbitmq-server</c>),
/// for the benchmark's RabbitMQ baseline: its own node name, data dir, cookie and free loopback ports, no plugins;
/// stopped and removed again on dispose. Ready once its AMQP port accepts connections (RabbitMQ opens it last).
/// </summary>
public sealed class RabbitMqServer : IAsyncLifetime
{
    private const string Server = "/usr/lib/rabbitmq/bin/rabbitmq-server";
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "orderactors-rmq-" + Guid.NewGuid().ToString("N")[..8]);
    private Process? _process;

    private readonly (int Amqp, int Distribution) _ports = OrderActors.Harness.LoopbackPorts.TwoFree();

    public int Port => _ports.Amqp;

    public Uri Amqp => new($"amqp://guest:guest@127.0.0.1:{Port}/");

    public async Task InitializeAsync()
    {
        if (!File.Exists(Server))
            throw new InvalidOperationException(
                "RabbitMQ is not installed: install it (Debian: apt-get install rabbitmq-server); test.sh does this on CI machines");
        Directory.CreateDirectory(_dir);
        await File.WriteAllTextAsync(Path.Combine(_dir, "enabled_plugins"), "[].");
        var info = new ProcessStartInfo(Server) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = _dir };
        foreach (var (key, value) in new Dictionary<string, string>
        {
            ["HOME"] = _dir, // its own Erlang cookie
            ["RABBITMQ_NODENAME"] = $"orderactors-{Path.GetFileName(_dir)}@localhost",
            ["RABBITMQ_NODE_IP_ADDRESS"] = "127.0.0.1",
            ["RABBITMQ_NODE_PORT"] = Port.ToString(),
            ["RABBITMQ_DIST_PORT"] = _ports.Distribution.ToString(),
            ["RABBITMQ_MNESIA_BASE"] = Path.Combine(_dir, "mnesia"),
            ["RABBITMQ_LOG_BASE"] = Path.Combine(_dir, "log"),
            ["RABBITMQ_ENABLED_PLUGINS_FILE"] = Path.Combine(_dir, "enabled_plugins"),
            ["RABBITMQ_CONFIG_FILE"] = Path.Combine(_dir, "rabbitmq"), // none: the defaults
        })
            info.Environment[key] = value;
        _process = Process.Start(info)!;
        var output = new System.Text.StringBuilder();
        _process.OutputDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        _process.ErrorDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (true)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException) when (!_process.HasExited && DateTime.UtcNow < deadline)
            {
                await Task.Delay(200);
            }
            catch (SocketException)
            {
                lock (output) throw new InvalidOperationException($"RabbitMQ did not start on port {Port}:\n{output}");
            }
        }
    }

    public async Task DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process?.Dispose();
        try { Directory.Delete(_dir, recursive: true); }
        catch (IOException) { }
    }
}
