using Yarp.ReverseProxy.LoadBalancing;

namespace Chat.IngressController.Translation;

/// <summary>YARP load-balancing policy names the translation uses.</summary>
public static class PolicyNames
{
    /// <summary>The cluster policy: picks the WebSocket or the HTTP policy (cluster metadata) per request.</summary>
    public const string ByRequestKind = "ChatIngressByRequestKind";

    public static string For(BalanceMode mode) => mode switch
    {
        BalanceMode.RoundRobin => LoadBalancingPolicies.RoundRobin,
        // Open WebSockets are in-flight requests, so least requests is least connections.
        BalanceMode.LeastConnections => LoadBalancingPolicies.LeastRequests,
        // ingress-nginx's ewma prefers the faster of the endpoints; power of two choices is the closest YARP policy.
        BalanceMode.Ewma => LoadBalancingPolicies.PowerOfTwoChoices,
        _ => LoadBalancingPolicies.RoundRobin,
    };
}
