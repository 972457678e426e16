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

    /// <summary>
    /// The first of <paramref name="count"/> consecutive loopback ports free now, below the OS's ephemeral range
    /// (Linux: 32768 on), so that neither <see cref="Next"/> nor outgoing connections take them afterwards.
    /// </summary>
    public static int Block(int count)
    {
        for (var attempt = 0; attempt < 200; attempt++)
        {
            var first = Random.Shared.Next(20000, 32000 - count);
            if (Enumerable.Range(first, count).All(Free))
            {
                return first;
            }
        }

        throw new InvalidOperationException($"no {count} consecutive free ports between 20000 and 32000");
    }

    private static bool Free(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
