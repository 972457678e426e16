using System.Net;
using System.Net.Sockets;

namespace Chat.Testing;

/// <summary>Free loopback TCP ports, asked of the OS; tests never use fixed ports.</summary>
public static class FreePort
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
