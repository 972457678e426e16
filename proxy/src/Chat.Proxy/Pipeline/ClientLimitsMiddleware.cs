using Chat.Proxy.Balancing;
using Chat.Proxy.Observability;
using Chat.ServiceDefaults.Limits;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Chat.Proxy.Pipeline;

/// <summary>
/// The first step of the proxy pipeline: internal paths (probes, metrics) are never proxied (404); a long-lived
/// connection (WebSocket, server-sent events) is held against its client address's and the proxy's limits while it
/// is open, and a new one (negotiate, WebSocket without a connection token) takes a token of its address's connect
/// rate. A refusal is 429 (503 when the proxy is full) with the reason, before anything reaches a replica.
/// </summary>
internal sealed class ClientLimitsMiddleware(RequestDelegate next, IOptions<ChatProxyOptions> options, ChatProxyMetrics metrics)
{
    private readonly ConnectionLimiter _limiter = new(
        options.Value.Limits.ConnectionsPerAddress, options.Value.Limits.MaxConnections, options.Value.Limits.ConnectsPerSecond, options.Value.Limits.ConnectBurst);

    private readonly string[] _internalPaths = [.. options.Value.InternalPaths];

    public async Task Invoke(HttpContext context)
    {
        var request = context.Request;
        if (_internalPaths.Any(p => request.Path.StartsWithSegments(p, StringComparison.OrdinalIgnoreCase)))
        {
            metrics.Refused("internal");
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        var webSocket = ConnectionRequest.IsWebSocket(context);
        var longLived = webSocket || request.Headers.Accept.ToString().Contains("text/event-stream", StringComparison.OrdinalIgnoreCase);
        var opens = ConnectionRequest.IsNegotiate(request) || (webSocket && ConnectionRequest.ConnectionToken(request) is null);
        var address = context.Connection.RemoteIpAddress;
        if (opens && _limiter.TryConnect(address) is { IsAdmitted: false } refused)
        {
            await RefuseAsync(context, refused);
            return;
        }

        if (!longLived)
        {
            await next(context);
            return;
        }

        var held = _limiter.TryHold(address);
        if (!held.IsAdmitted)
        {
            await RefuseAsync(context, held);
            return;
        }

        using (held.Lease)
        {
            await next(context);
        }
    }

    private Task RefuseAsync(HttpContext context, ConnectionAdmission refused)
    {
        metrics.Refused(refused.Refusal switch { ConnectionRefusal.Rate => "rate", ConnectionRefusal.PerAddress => "per_address", _ => "total" });
        context.Response.StatusCode = refused.Refusal == ConnectionRefusal.Total ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status429TooManyRequests;
        context.Response.Headers.RetryAfter = "1";
        return context.Response.WriteAsync(refused.Reason!);
    }
}
