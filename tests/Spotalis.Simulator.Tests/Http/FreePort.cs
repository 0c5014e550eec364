using System.Net;
using System.Net.Sockets;

namespace Spotalis.Simulator.Tests.Http;

/// <summary>A loopback port nothing listens on (bound and released at once).</summary>
internal static class FreePort
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
