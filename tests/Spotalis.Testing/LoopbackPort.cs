using System.Net;
using System.Net.Sockets;

namespace Spotalis.Testing;

/// <summary>Free TCP ports on loopback for servers whose address must be known before they start (config files, kubeconfigs).</summary>
public static class LoopbackPort
{
    /// <summary>A port that was free a moment ago: the OS picks it for a listener that is closed again at once.</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
