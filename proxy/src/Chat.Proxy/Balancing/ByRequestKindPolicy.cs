using System.Runtime.CompilerServices;
using Chat.Proxy.Configuration;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Yarp.ReverseProxy.LoadBalancing;
using Yarp.ReverseProxy.Model;

namespace Chat.Proxy.Balancing;

/// <summary>
/// The chat clusters' one balancing policy, two traffic classes: requests that open a long-lived connection
/// (<see cref="ConnectionRequest.OpensLongLivedConnection"/>) are balanced by the cluster's
/// <see cref="ChatProxyMetadata.LoadBalance"/> (by default the fewest connections cluster-wide), everything else by
/// its <see cref="ChatProxyMetadata.RequestLoadBalance"/> (by default YARP's round robin).
/// Draining destinations (<see cref="ChatProxyMetadata.Draining"/>) get nothing new unless nothing else is left,
/// like kube-proxy's terminating-endpoint fallback; requests bound to one by affinity never reach a balancer.
/// </summary>
internal sealed class ByRequestKindPolicy(LeastConnectionsPicker leastConnections, IServiceProvider services) : ILoadBalancingPolicy
{
    // Parsed once per cluster model: a config reload makes a new model, so the modes follow it.
    private readonly ConditionalWeakTable<ClusterModel, BalanceModes> _modes = new();
    private Dictionary<string, ILoadBalancingPolicy>? _yarp;

    public string Name => ChatProxyPolicies.ByRequestKind;

    public DestinationState? PickDestination(HttpContext context, ClusterState cluster, IReadOnlyList<DestinationState> availableDestinations)
    {
        var destinations = WithoutDraining(availableDestinations);
        var modes = _modes.GetValue(cluster.Model, static model => BalanceModes.From(model.Config));
        if (ConnectionRequest.OpensLongLivedConnection(context))
        {
            return modes.Connections == ChatProxyMetadata.LeastConnections
                ? leastConnections.Pick(destinations)
                : Yarp(modes.Connections).PickDestination(context, cluster, destinations);
        }

        return Yarp(modes.Requests).PickDestination(context, cluster, destinations);
    }

    public static bool IsDraining(DestinationState destination) =>
        destination.Model.Config.Metadata?.ContainsKey(ChatProxyMetadata.Draining) == true;

    private ILoadBalancingPolicy Yarp(string mode)
    {
        // Resolved on first use: the registered policies include this one.
        _yarp ??= services.GetServices<ILoadBalancingPolicy>().ToDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);
        return _yarp[mode switch
        {
            ChatProxyMetadata.LeastRequests => LoadBalancingPolicies.LeastRequests,
            ChatProxyMetadata.PowerOfTwoChoices => LoadBalancingPolicies.PowerOfTwoChoices,
            _ => LoadBalancingPolicies.RoundRobin,
        }];
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
