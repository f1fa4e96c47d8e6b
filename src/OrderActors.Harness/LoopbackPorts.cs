using System.Net;
using System.Net.Sockets;

namespace OrderActors.Harness;

/// <summary>Free loopback ports for a node's HTTP and Akka.Remote endpoints.</summary>
public static class LoopbackPorts
{
    /// <summary>Two distinct free ports: both listeners are held open while the ports are read (two separate
    /// bind-to-0 calls can return the same port, which made HTTP and Akka.Remote collide).</summary>
    public static (int, int) TwoFree()
    {
        using var first = new TcpListener(IPAddress.Loopback, 0);
        using var second = new TcpListener(IPAddress.Loopback, 0);
        first.Start();
        second.Start();
        return (((IPEndPoint)first.LocalEndpoint).Port, ((IPEndPoint)second.LocalEndpoint).Port);
    }
}
