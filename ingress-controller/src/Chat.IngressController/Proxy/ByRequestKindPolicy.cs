using Chat.IngressController.Translation;
using Chat.Proxy;
using Microsoft.AspNetCore.Http.Features;
using Yarp.ReverseProxy.LoadBalancing;
using Yarp.ReverseProxy.Model;
using ClusterState = Yarp.ReverseProxy.Model.ClusterState;

namespace Chat.IngressController.Proxy;

/// <summary>
/// The Ingress clusters' balancing policy. Requests that open a long-lived connection (WebSocket, SignalR
/// negotiate) use the cluster's <see cref="MetadataKeys.WebSocketPolicy"/> (by default the proxy core's
/// cluster-wide least connections), other requests its <see cref="MetadataKeys.HttpPolicy"/> (round-robin).
/// Draining endpoints (serving but terminating) get no new connections; they are used only when nothing else is
/// left, like kube-proxy's terminating-endpoint fallback. Requests already bound to a draining endpoint by
/// affinity never reach this policy (YARP skips balancing for a single candidate).
/// </summary>
public sealed class ByRequestKindPolicy(IServiceProvider services) : ILoadBalancingPolicy
{
    private Dictionary<string, ILoadBalancingPolicy>? _policies;

    public string Name => PolicyNames.ByRequestKind;

    public DestinationState? PickDestination(HttpContext context, ClusterState cluster, IReadOnlyList<DestinationState> availableDestinations)
    {
        // Resolved on first use: the policy list includes this policy itself.
        _policies ??= services.GetServices<ILoadBalancingPolicy>().Where(p => p != this).ToDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);
        var metadata = cluster.Model.Config.Metadata;
        var key = OpensConnection(context) ? MetadataKeys.WebSocketPolicy : MetadataKeys.HttpPolicy;
        var name = metadata?.GetValueOrDefault(key) ?? ChatProxyPolicies.RoundRobin;
        var policy = _policies.GetValueOrDefault(name) ?? _policies[ChatProxyPolicies.RoundRobin];
        return policy.PickDestination(context, cluster, WithoutDraining(availableDestinations));
    }

    public static bool IsDraining(DestinationState destination) =>
        destination.Model.Config.Metadata?.ContainsKey(MetadataKeys.Draining) == true;

    /// <summary>A WebSocket (HTTP/1.1 upgrade or HTTP/2 extended CONNECT) or a SignalR negotiate.</summary>
    public static bool OpensConnection(HttpContext context)
    {
        if (context.Features.Get<IHttpExtendedConnectFeature>() is { IsExtendedConnect: true } connect)
        {
            return string.Equals(connect.Protocol, "websocket", StringComparison.OrdinalIgnoreCase);
        }

        if (context.Features.Get<IHttpUpgradeFeature>()?.IsUpgradableRequest == true
            && context.Request.Headers.Upgrade.ToString().Contains("websocket", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        return HttpMethods.IsPost(context.Request.Method)
            && context.Request.Path.Value?.EndsWith("/negotiate", StringComparison.OrdinalIgnoreCase) == true;
    }

    private static IReadOnlyList<DestinationState> WithoutDraining(IReadOnlyList<DestinationState> destinations)
    {
        List<DestinationState>? ready = null;
        foreach (var destination in destinations)
        {
            if (!IsDraining(destination))
            {
                (ready ??= new List<DestinationState>(destinations.Count)).Add(destination);
            }
        }

        return ready is null || ready.Count == destinations.Count ? destinations : ready;
    }
}
