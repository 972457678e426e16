using Chat.Proxy;

namespace Chat.IngressController.Translation;

/// <summary>ingress-nginx's balancing algorithms as the proxy core's balancing modes (<see cref="ChatProxyMetadata"/>).</summary>
public static class BalanceModeNames
{
    /// <summary>For WebSockets and negotiate: least_conn is the proxy core's cluster-wide least connections (replica-reported counts).</summary>
    public static string ForConnections(BalanceMode mode) => mode switch
    {
        BalanceMode.LeastConnections => ChatProxyMetadata.LeastConnections,
        BalanceMode.Ewma => ChatProxyMetadata.PowerOfTwoChoices,
        _ => ChatProxyMetadata.RoundRobin,
    };

    /// <summary>
    /// For plain requests: least_conn is YARP's least in-flight requests; ewma (ingress-nginx: prefer the faster
    /// endpoint) maps to power of two choices, the closest YARP policy.
    /// </summary>
    public static string ForRequests(BalanceMode mode) => mode switch
    {
        BalanceMode.LeastConnections => ChatProxyMetadata.LeastRequests,
        BalanceMode.Ewma => ChatProxyMetadata.PowerOfTwoChoices,
        _ => ChatProxyMetadata.RoundRobin,
    };
}
