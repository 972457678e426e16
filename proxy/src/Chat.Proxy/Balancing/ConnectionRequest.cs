using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Chat.Proxy.Balancing;

/// <summary>Classifies a request: does it open a long-lived connection, and does it belong to an existing SignalR one.</summary>
public static class ConnectionRequest
{
    /// <summary>
    /// A request that opens a long-lived connection: a WebSocket, or SignalR's negotiate (which decides where the
    /// connection will live). These are balanced by connection count; everything else per request.
    /// </summary>
    public static bool OpensLongLivedConnection(HttpContext context) => IsWebSocket(context) || IsNegotiate(context.Request);

    /// <summary>A WebSocket: an HTTP/1.1 upgrade to websocket, or an HTTP/2 extended CONNECT with protocol websocket.</summary>
    public static bool IsWebSocket(HttpContext context)
    {
        if (context.Features.Get<IHttpExtendedConnectFeature>() is { IsExtendedConnect: true } connect)
        {
            return string.Equals(connect.Protocol, "websocket", StringComparison.OrdinalIgnoreCase);
        }

        return context.Features.Get<IHttpUpgradeFeature>()?.IsUpgradableRequest == true
            && context.Request.Headers.Upgrade.ToString().Contains("websocket", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>SignalR's negotiate: the request that decides where the connection will live.</summary>
    public static bool IsNegotiate(HttpRequest request) =>
        HttpMethods.IsPost(request.Method) && request.Path.Value?.EndsWith("/negotiate", StringComparison.OrdinalIgnoreCase) == true;

    /// <summary>The SignalR connection token (<c>?id=</c>) of a transport request, if any.</summary>
    public static string? ConnectionToken(HttpRequest request)
    {
        var id = request.Query["id"];
        return id.Count == 1 && !string.IsNullOrEmpty(id[0]) ? id[0] : null;
    }
}
