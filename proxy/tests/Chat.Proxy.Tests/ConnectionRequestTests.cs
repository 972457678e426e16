using Chat.Proxy.Balancing;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Chat.Proxy.Tests;

public sealed class ConnectionRequestTests
{
    [Fact]
    public void An_http11_websocket_upgrade_opens_a_long_lived_connection()
    {
        var context = Request("GET", "/ws");
        context.Features.Set<IHttpUpgradeFeature>(new Upgradable());
        context.Request.Headers.Upgrade = "websocket";
        Assert.True(ConnectionRequest.IsWebSocket(context));
        Assert.True(ConnectionRequest.OpensLongLivedConnection(context));
    }

    [Fact]
    public void An_upgrade_to_something_else_is_a_plain_request()
    {
        var context = Request("GET", "/");
        context.Features.Set<IHttpUpgradeFeature>(new Upgradable());
        context.Request.Headers.Upgrade = "h2c";
        Assert.False(ConnectionRequest.OpensLongLivedConnection(context));
    }

    [Theory]
    [InlineData("websocket", true)]
    [InlineData("WebSocket", true)]
    [InlineData("webtransport", false)]
    public void An_http2_extended_connect_is_a_websocket_only_for_the_websocket_protocol(string protocol, bool expected)
    {
        var context = Request("CONNECT", "/ws");
        context.Features.Set<IHttpExtendedConnectFeature>(new ExtendedConnect(protocol));
        Assert.Equal(expected, ConnectionRequest.IsWebSocket(context));
        Assert.Equal(expected, ConnectionRequest.OpensLongLivedConnection(context));
    }

    [Theory]
    [InlineData("POST", "/hub/chat/negotiate", true)]
    [InlineData("GET", "/hub/chat/negotiate", false)]
    [InlineData("POST", "/hub/chat", false)]
    public void Signalr_negotiate_opens_a_long_lived_connection(string method, string path, bool expected)
    {
        Assert.Equal(expected, ConnectionRequest.OpensLongLivedConnection(Request(method, path)));
    }

    [Fact]
    public void The_connection_token_is_the_single_id_query_value()
    {
        var context = Request("GET", "/hub/chat");
        context.Request.QueryString = new QueryString("?id=abc");
        Assert.Equal("abc", ConnectionRequest.ConnectionToken(context.Request));
        context.Request.QueryString = new QueryString("?id=a&id=b");
        Assert.Null(ConnectionRequest.ConnectionToken(context.Request));
    }

    internal static DefaultHttpContext Request(string method, string path)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = method;
        context.Request.Path = path;
        return context;
    }

    internal sealed class Upgradable : IHttpUpgradeFeature
    {
        public bool IsUpgradableRequest => true;

        public Task<Stream> UpgradeAsync() => throw new NotSupportedException();
    }

    private sealed class ExtendedConnect(string protocol) : IHttpExtendedConnectFeature
    {
        public bool IsExtendedConnect => true;

        public string? Protocol => protocol;

        public ValueTask<Stream> AcceptAsync() => throw new NotSupportedException();
    }
}
