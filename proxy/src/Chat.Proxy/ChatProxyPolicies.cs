using Chat.Contracts;

namespace Chat.Proxy;

/// <summary>Names of the YARP policies the chat proxy registers (usable directly in YARP configuration too).</summary>
public static class ChatProxyPolicies
{
    /// <summary>
    /// Load balancing: long-lived connections by <see cref="ChatProxyMetadata.LoadBalance"/> (default the fewest
    /// connections cluster-wide), other requests by <see cref="ChatProxyMetadata.RequestLoadBalance"/> (default round
    /// robin); draining destinations only when nothing else is left. Set by the config filter on every chat cluster.
    /// </summary>
    public const string ByRequestKind = "ChatByRequestKind";

    /// <summary>Active health check: 2xx = healthy, else unhealthy at once; reads the reported connection count.</summary>
    public const string ReadinessHealth = "ChatReadiness";

    /// <summary>Passive health check: a destination with a few transport failures in a row is out for the reactivation period.</summary>
    public const string ConsecutiveFailuresHealth = "ChatConsecutiveFailures";

    /// <summary>Response header in which a chat replica reports its open client connections.</summary>
    public const string ConnectionsHeader = ChatHeaders.Connections;
}
