using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using Chat.Contracts;

namespace Chat.Client.Connections;

/// <summary>
/// The HTTP plumbing every connection shares: one <see cref="SocketsHttpHandler"/> per local address (bound
/// through <see cref="SocketsHttpHandler.ConnectCallback"/>), and WebSockets opened through it.
/// </summary>
internal static class ChatHttp
{
    private static readonly ConcurrentDictionary<IPAddress, HttpMessageInvoker> Bound = new();
    private static readonly HttpMessageInvoker Unbound = new(CreateHandler(null), disposeHandler: false);

    /// <summary>The shared invoker for connections from <paramref name="local"/> (null: any address).</summary>
    public static HttpMessageInvoker Invoker(IPAddress? local) =>
        local is null ? Unbound : Bound.GetOrAdd(local, static address => new HttpMessageInvoker(CreateHandler(address), disposeHandler: false));

    /// <summary>
    /// A handler for one connection's plain HTTP requests (SignalR's negotiate, SSE, long polling) over the shared
    /// one; it notes the replica that answered and never disposes what it shares.
    /// </summary>
    public static HttpMessageHandler HandlerFor(IPAddress? local, Action<string> onReplica) => new ReplicaNotingHandler(Invoker(local), onReplica);

    /// <summary>A WebSocket with the client's Host header, no keep-alive timer of its own (the protocols ping), response headers kept.</summary>
    public static ClientWebSocket CreateWebSocket(ChatClientOptions options)
    {
        var socket = new ClientWebSocket();
        socket.Options.KeepAliveInterval = TimeSpan.Zero;
        socket.Options.CollectHttpResponseDetails = true;
        if (options.HostHeader is { } host)
        {
            socket.Options.SetRequestHeader("Host", host);
        }

        return socket;
    }

    public static async Task ConnectAsync(ClientWebSocket socket, Uri uri, ChatClientOptions options, CancellationToken cancellationToken)
    {
        try
        {
            await socket.ConnectAsync(uri, Invoker(options.LocalAddress), cancellationToken);
        }
        catch (WebSocketException) when (socket.HttpStatusCode is not (0 or HttpStatusCode.SwitchingProtocols))
        {
            throw new WebSocketException(WebSocketError.NotAWebSocket,
                $"The server returned status code {(int)socket.HttpStatusCode} to the WebSocket upgrade of {uri}");
        }
    }

    /// <summary>The replica that answered the upgrade; the response headers are dropped afterwards (memory per connection).</summary>
    public static string? TakeReplica(ClientWebSocket socket)
    {
        var replica = socket.HttpResponseHeaders?.TryGetValue(ChatHeaders.Replica, out var values) == true ? values.FirstOrDefault() : null;
        socket.HttpResponseHeaders = null;
        return replica;
    }

    /// <summary>The WebSocket address of an endpoint below the base URL (http → ws, https → wss).</summary>
    public static Uri WebSocketUri(Uri baseUrl, string path) =>
        new UriBuilder(new Uri(baseUrl, path.TrimStart('/'))) { Scheme = baseUrl.Scheme == Uri.UriSchemeHttps ? "wss" : "ws" }.Uri;

    private static SocketsHttpHandler CreateHandler(IPAddress? local)
    {
        var handler = new SocketsHttpHandler
        {
            UseCookies = false,
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
        };
        if (local is not null)
        {
            handler.ConnectCallback = (context, cancellationToken) => ConnectFromAsync(local, context.DnsEndPoint, cancellationToken);
        }

        return handler;
    }

    private static async ValueTask<Stream> ConnectFromAsync(IPAddress local, DnsEndPoint remote, CancellationToken cancellationToken)
    {
        var socket = new Socket(local.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            BindWithoutPort(socket);
            socket.Bind(new IPEndPoint(local, 0));
            var addresses = IPAddress.TryParse(remote.Host, out var address)
                ? [address]
                : await Dns.GetHostAddressesAsync(remote.Host, local.AddressFamily, cancellationToken);
            await socket.ConnectAsync(addresses, remote.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Linux's IP_BIND_ADDRESS_NO_PORT: the source port is chosen at connect, per destination, so that tens of
    /// thousands of connections from one local address do not exhaust the ephemeral ports at bind.
    /// </summary>
    private static void BindWithoutPort(Socket socket)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        try
        {
            socket.SetRawSocketOption(0 /* IPPROTO_IP */, 24 /* IP_BIND_ADDRESS_NO_PORT */, BitConverter.GetBytes(1));
        }
        catch (SocketException)
        {
            // An old kernel: the port is chosen at bind, which works for fewer connections.
        }
    }

    private sealed class ReplicaNotingHandler(HttpMessageInvoker shared, Action<string> onReplica) : HttpMessageHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await shared.SendAsync(request, cancellationToken);
            if (response.Headers.TryGetValues(ChatHeaders.Replica, out var values) && values.FirstOrDefault() is { } replica)
            {
                onReplica(replica);
            }

            return response;
        }
    }
}
