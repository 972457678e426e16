using Chat.IngressController.GatewayApi.Translation;
using Chat.Proxy.Balancing;
using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Model;

namespace Chat.IngressController.GatewayApi.Proxy;

/// <summary>
/// In the proxy pipeline, before affinity and balancing: picks one of a rule's weighted backendRefs (500 for the
/// share of one that did not resolve, as the specification says) and narrows the destinations to it, so the
/// cluster's balancing (least connections for WebSockets) works within that backend; and tracks open WebSockets
/// per route so that a removed route's connections can be drained.
/// </summary>
public sealed class GatewayBackendSelection(RequestDelegate next, GatewayRouteBehaviors behaviors, GatewayConnections connections)
{
    public static readonly object ChosenBackendKey = new();

    public async Task Invoke(HttpContext context)
    {
        if (behaviors.For(context) is not { } compiled)
        {
            await next(context);
            return;
        }

        if (compiled.Behavior.Backends is { } backends)
        {
            var chosen = Pick(backends);
            if (chosen < 0 || !backends[chosen].Valid)
            {
                context.Response.StatusCode = StatusCodes.Status500InternalServerError;
                return;
            }

            context.Items[ChosenBackendKey] = chosen;
            var feature = context.GetReverseProxyFeature();
            var value = chosen.ToString(System.Globalization.CultureInfo.InvariantCulture);
            feature.AvailableDestinations = feature.AvailableDestinations
                .Where(d => d.Model.Config.Metadata?.GetValueOrDefault(BackendClusters.BackendIndexKey) == value).ToList();
        }

        if (!ConnectionRequest.IsWebSocket(context))
        {
            await next(context);
            return;
        }

        var route = context.GetEndpoint()?.Metadata.GetMetadata<RouteModel>()?.Config.RouteId ?? "";
        using (connections.Track(route, context, compiled.Behavior.DrainSeconds))
        {
            await next(context);
        }
    }

    private static int Pick(IReadOnlyList<BackendChoice> backends)
    {
        var total = backends.Sum(b => Math.Max(0, b.Weight));
        if (total == 0)
        {
            return -1;
        }

        var ticket = Random.Shared.Next(total);
        for (var i = 0; i < backends.Count; i++)
        {
            ticket -= Math.Max(0, backends[i].Weight);
            if (ticket < 0)
            {
                return i;
            }
        }

        return -1;
    }
}
