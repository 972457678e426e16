using System.Net.Sockets;

namespace Chat.Server.Tests.Support;

/// <summary>For a client socket that stopped reading on purpose (a slow consumer).</summary>
public static class ServerClose
{
    /// <summary>Only now reads: true once the server's close (EOF) or reset shows up behind whatever it had sent.</summary>
    public static async Task<bool> WaitAsync(Socket socket, TimeSpan timeout)
    {
        var buffer = new byte[64 * 1024];
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            while (await socket.ReceiveAsync(buffer, deadline.Token) > 0)
            {
            }

            return true;
        }
        catch (SocketException)
        {
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
