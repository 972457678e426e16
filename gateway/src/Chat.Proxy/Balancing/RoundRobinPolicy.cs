using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.LoadBalancing;
using Yarp.ReverseProxy.Model;

namespace Chat.Proxy.Balancing;

/// <summary>Round-robin over the available destinations, one rotation per cluster.</summary>
internal sealed class RoundRobinPolicy : ILoadBalancingPolicy
{
    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<ClusterState, StrongBox> _counters = new();

    public string Name => ChatProxyPolicies.RoundRobin;

    public DestinationState? PickDestination(HttpContext context, ClusterState cluster, IReadOnlyList<DestinationState> availableDestinations)
    {
        if (availableDestinations.Count == 0)
        {
            return null;
        }

        var counter = _counters.GetValue(cluster, static _ => new StrongBox());
        var next = (uint)Interlocked.Increment(ref counter.Value);
        return availableDestinations[(int)(next % (uint)availableDestinations.Count)];
    }

    private sealed class StrongBox
    {
        public int Value;
    }
}
