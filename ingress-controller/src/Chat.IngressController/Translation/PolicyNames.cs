using Chat.Proxy;
using Yarp.ReverseProxy.LoadBalancing;

namespace Chat.IngressController.Translation;

/// <summary>YARP load-balancing policy names the translation uses.</summary>
public static class PolicyNames
{
    /// <summary>
    /// The cluster policy: requests that open a long-lived connection (WebSocket, SignalR negotiate) use the
    /// cluster's <see cref="MetadataKeys.WebSocketPolicy"/>, other requests its <see cref="MetadataKeys.HttpPolicy"/>;
    /// draining endpoints are skipped.
    /// </summary>
    public const string ByRequestKind = "ChatIngressByRequestKind";

    /// <summary>For WebSockets: least_conn is the proxy core's cluster-wide least connections (replica-reported counts).</summary>
    public static string ForConnections(BalanceMode mode) => mode switch
    {
        BalanceMode.LeastConnections => ChatProxyPolicies.LeastConnections,
        BalanceMode.Ewma => LoadBalancingPolicies.PowerOfTwoChoices,
        _ => ChatProxyPolicies.RoundRobin,
    };

    /// <summary>
    /// For plain requests: least_conn is YARP's least in-flight requests; ewma (ingress-nginx: prefer the faster
    /// endpoint) maps to power of two choices, the closest YARP policy.
    /// </summary>
    public static string ForRequests(BalanceMode mode) => mode switch
    {
        BalanceMode.LeastConnections => LoadBalancingPolicies.LeastRequests,
        BalanceMode.Ewma => LoadBalancingPolicies.PowerOfTwoChoices,
        _ => ChatProxyPolicies.RoundRobin,
    };
}
