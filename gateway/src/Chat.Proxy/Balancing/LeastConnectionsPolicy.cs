using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.LoadBalancing;
using Yarp.ReverseProxy.Model;

namespace Chat.Proxy.Balancing;

/// <summary>
/// Two traffic classes, balanced differently: requests that open a long-lived connection (WebSocket upgrades,
/// SignalR negotiate) go to the destination with the fewest connections cluster-wide (see
/// <see cref="DestinationLoad"/>); ties rotate. Everything else goes round-robin.
/// </summary>
internal sealed class LeastConnectionsPolicy(DestinationLoadTracker loads, RoundRobinPolicy roundRobin) : ILoadBalancingPolicy
{
    private int _tieBreak;

    public string Name => ChatProxyPolicies.LeastConnections;

    public DestinationState? PickDestination(HttpContext context, ClusterState cluster, IReadOnlyList<DestinationState> availableDestinations)
    {
        if (!ConnectionRequest.IsWebSocket(context) && !ConnectionRequest.IsNegotiate(context.Request))
        {
            return roundRobin.PickDestination(context, cluster, availableDestinations);
        }

        var count = availableDestinations.Count;
        if (count == 0)
        {
            return null;
        }

        var start = (int)((uint)Interlocked.Increment(ref _tieBreak) % (uint)count);
        DestinationState? best = null;
        var bestLoad = long.MaxValue;
        for (var i = 0; i < count; i++)
        {
            var candidate = availableDestinations[(start + i) % count];
            var load = loads.Estimate(candidate);
            if (load < bestLoad)
            {
                best = candidate;
                bestLoad = load;
            }
        }

        return best;
    }
}
