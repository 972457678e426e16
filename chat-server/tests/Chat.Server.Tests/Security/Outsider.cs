using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using Chat.Contracts;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;

namespace Chat.Server.Tests.Security;

/// <summary>
/// A client on loopback from a source address of its choice (any of 127.0.0.0/8): another address is another
/// client as the per-address limits see it, and 127.0.0.2 is "the public" for a server whose internal networks are
/// 127.0.0.1 only. HTTP, WebSockets and the SignalR client all connect from that address.
/// </summary>
internal static class Outsider
{
    public static readonly IPAddress Second = IPAddress.Parse("127.0.0.2");

    public static SocketsHttpHandler Handler(IPAddress source) => new()
    {
        ConnectCallback = async (context, cancellationToken) =>
        {
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                socket.Bind(new IPEndPoint(source, 0));
                await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    };

    public static HttpClient Http(IPAddress source, Uri server) => new(Handler(source)) { BaseAddress = server, Timeout = TimeSpan.FromSeconds(10) };

    public static async Task<ClientWebSocket> WebSocketAsync(IPAddress source, Uri uri, string? origin = null, string? subProtocol = null)
    {
        var socket = new ClientWebSocket();
        if (origin is not null)
        {
            socket.Options.SetRequestHeader("Origin", origin);
        }

        if (subProtocol is not null)
        {
            socket.Options.AddSubProtocol(subProtocol);
        }

        socket.Options.CollectHttpResponseDetails = true;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await socket.ConnectAsync(uri, new HttpMessageInvoker(Handler(source)), timeout.Token);
        return socket;
    }

    /// <summary>A SignalR connection to the hub from <paramref name="source"/> (WebSockets after negotiate), optionally with a token.</summary>
    public static HubConnection Hub(IPAddress source, Uri server, Func<Task<string?>>? token = null) =>
        new HubConnectionBuilder().WithUrl(new Uri(server, ChatHubProtocol.Path), HttpTransportType.WebSockets, o =>
        {
            o.HttpMessageHandlerFactory = _ => Handler(source);
            o.WebSocketFactory = async (context, cancellationToken) =>
            {
                var socket = new ClientWebSocket();
                if (token is not null)
                {
                    socket.Options.SetRequestHeader("Authorization", "Bearer " + await token());
                }

                await socket.ConnectAsync(context.Uri, new HttpMessageInvoker(Handler(source)), cancellationToken);
                return socket;
            };
            if (token is not null)
            {
                o.AccessTokenProvider = token;
            }
        }).Build();
}
