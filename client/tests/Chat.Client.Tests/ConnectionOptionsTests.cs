using System.Net;
using System.Net.Sockets;
using System.Text;
using Chat.Testing;

namespace Chat.Client.Tests;

/// <summary>What goes on the wire for the Host header override and the local source address, per protocol and transport.</summary>
public sealed class ConnectionOptionsTests
{
    [Theory]
    [InlineData(ChatProtocol.Stomp, false, "GET /ws ")]
    [InlineData(ChatProtocol.SignalR, false, "GET /hub/chat ")]
    [InlineData(ChatProtocol.SignalR, true, "POST /hub/chat/negotiate")]
    public async Task Connections_send_the_host_override_from_the_local_address_asked_for(ChatProtocol protocol, bool negotiate, string requestLine)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        await using var client = new ChatClient(new ChatClientOptions
        {
            BaseUrl = new Uri($"http://127.0.0.1:{port}/"),
            User = "u",
            Protocol = protocol,
            SignalRNegotiate = negotiate,
            HostHeader = "chat.example",
            LocalAddress = IPAddress.Parse("127.0.0.2"),
        });
        _ = client.StartAsync();

        using var accepted = await listener.AcceptTcpClientAsync().WaitAsync(TimeSpan.FromSeconds(10));
        var request = await ReadHeadAsync(accepted.GetStream());
        await accepted.GetStream().WriteAsync("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"u8.ToArray());

        Assert.StartsWith(requestLine, request);
        Assert.Contains("\r\nHost: chat.example\r\n", request);
        Assert.Equal(IPAddress.Parse("127.0.0.2"), ((IPEndPoint)accepted.Client.RemoteEndPoint!).Address);
    }

    [Fact]
    public void Bad_options_are_refused_with_the_setting_named()
    {
        Assert.Contains("BaseUrl", Assert.Throws<ArgumentException>(() => new ChatClient(new ChatClientOptions { User = "u" })).Message);
        Assert.Contains("User", Assert.Throws<ArgumentException>(() => new ChatClient(new ChatClientOptions { BaseUrl = new("http://x/") })).Message);
        Assert.Contains("absolute http", Assert.Throws<ArgumentException>(() =>
            new ChatClient(new ChatClientOptions { BaseUrl = new("ws://x/"), User = "u" })).Message);
        Assert.Contains("MaxReconnectDelay", Assert.Throws<ArgumentException>(() => new ChatClient(new ChatClientOptions
        {
            BaseUrl = new("http://x/"),
            User = "u",
            MaxReconnectDelay = TimeSpan.FromMilliseconds(1),
        })).Message);
        Assert.Contains("ReconnectSecret", Assert.Throws<ArgumentException>(() => new ChatClient(new ChatClientOptions
        {
            BaseUrl = new("http://x/"),
            User = "u",
            ReconnectSecret = "too short",
        })).Message);
    }

    private static async Task<string> ReadHeadAsync(NetworkStream stream)
    {
        var head = new StringBuilder();
        var buffer = new byte[4096];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!head.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
        {
            var read = await stream.ReadAsync(buffer, timeout.Token);
            if (read == 0)
            {
                break;
            }

            head.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }

        return head.ToString();
    }
}
