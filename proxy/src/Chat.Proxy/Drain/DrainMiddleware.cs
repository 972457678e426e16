using Chat.Proxy.Balancing;
using Microsoft.AspNetCore.Http;

namespace Chat.Proxy.Drain;

/// <summary>While the proxy drains, new long-lived connections (WebSocket upgrades, SignalR negotiations) get 503 and
/// a closed connection, so the client retries through another replica; plain requests are still served.</summary>
internal sealed class DrainMiddleware(RequestDelegate next, ProxyDrainer drainer)
{
    public Task Invoke(HttpContext context)
    {
        if (drainer.Draining && ConnectionRequest.OpensLongLivedConnection(context))
        {
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            context.Response.Headers.RetryAfter = "1";
            context.Response.Headers.Connection = "close";
            return Task.CompletedTask;
        }

        return next(context);
    }
}
