using Chat.IngressController.Translation;
using Microsoft.AspNetCore.Http.Features;
using Yarp.ReverseProxy.LoadBalancing;
using Yarp.ReverseProxy.Model;
using ClusterState = Yarp.ReverseProxy.Model.ClusterState;

namespace Chat.IngressController.Proxy;

/// <summary>
/// Balances WebSocket requests and plain HTTP requests of one cluster with different policies (cluster metadata
/// <see cref="MetadataKeys.WebSocketPolicy"/> and <see cref="MetadataKeys.HttpPolicy"/>): long-lived upgrades to the
/// least-connected endpoint, short requests round-robin.
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
        var key = IsWebSocket(context) ? MetadataKeys.WebSocketPolicy : MetadataKeys.HttpPolicy;
        var name = metadata?.GetValueOrDefault(key) ?? LoadBalancingPolicies.RoundRobin;
        var policy = _policies.GetValueOrDefault(name) ?? _policies[LoadBalancingPolicies.RoundRobin];
        return policy.PickDestination(context, cluster, availableDestinations);
    }

    /// <summary>An HTTP/1.1 upgrade or an HTTP/2 extended CONNECT to "websocket" (no UseWebSockets needed).</summary>
    public static bool IsWebSocket(HttpContext context)
    {
        if (context.Features.Get<IHttpExtendedConnectFeature>() is { IsExtendedConnect: true } connect)
        {
            return string.Equals(connect.Protocol, "websocket", StringComparison.OrdinalIgnoreCase);
        }

        return context.Features.Get<IHttpUpgradeFeature>()?.IsUpgradableRequest == true
            && context.Request.Headers.Upgrade.ToString().Contains("websocket", StringComparison.OrdinalIgnoreCase);
    }
}
