using Chat.Proxy.Balancing;
using Chat.Proxy.Drain;
using Chat.Proxy.Observability;
using Chat.Proxy.Timeouts;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Yarp.ReverseProxy.Model;

namespace Chat.Proxy.Pipeline;

/// <summary>
/// After load balancing, once the destination is known: counts the request, records a new long-lived connection
/// against the destination (so the next choice accounts for it before the destination reports it), applies the
/// route's timeouts, and tracks the WebSocket for as long as it is open.
/// </summary>
internal sealed class ConnectionTrackingMiddleware(
    RequestDelegate next,
    DestinationLoadTracker loads,
    ProxiedConnections proxied,
    ChatProxyMetrics metrics,
    IdleTimeoutWatchdog watchdog,
    RouteTimeoutPlans timeoutPlans)
{
    public async Task Invoke(HttpContext context)
    {
        var feature = context.GetReverseProxyFeature();
        if (feature.AvailableDestinations is not [var destination])
        {
            await next(context);
            return;
        }

        var webSocket = ConnectionRequest.IsWebSocket(context);
        var destinationId = destination.DestinationId;
        metrics.Request(destinationId, webSocket);
        if (!ConnectionTokenAffinityMiddleware.IsAffinitized(context) && ConnectionRequest.OpensLongLivedConnection(context))
        {
            loads.RecordAssignment(destination);
        }

        var plan = timeoutPlans.For(context.GetRouteModel(), feature.Cluster);
        if (!webSocket)
        {
            ((ReverseProxyFeature)feature).Cluster = plan.ForHttp;
            await next(context);
            return;
        }

        ((ReverseProxyFeature)feature).Cluster = plan.ForUpgrade;
        var load = loads.For(destination);
        var open = false;
        void Opened()
        {
            open = true;
            proxied.Opened(context);
            load.WebSocketOpened();
            metrics.WebSocketOpened(destinationId);
        }

        if (context.Features.Get<IHttpUpgradeFeature>() is { IsUpgradableRequest: true } upgrade)
        {
            context.Features.Set<IHttpUpgradeFeature>(new TrackingUpgradeFeature(upgrade, stream =>
            {
                Opened();
                return watchdog.Watch(context, stream, plan.Read, plan.Send);
            }));
        }
        else
        {
            // HTTP/2 extended CONNECT: counted for the request's lifetime; YARP's activity timeout bounds idleness.
            Opened();
        }

        try
        {
            await next(context);
        }
        finally
        {
            if (open)
            {
                proxied.Closed(context);
                load.WebSocketClosed();
                metrics.WebSocketClosed(destinationId);
            }
        }
    }
}
