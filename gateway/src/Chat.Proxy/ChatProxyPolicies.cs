namespace Chat.Proxy;

/// <summary>Names of the YARP policies the chat proxy registers (usable directly in YARP configuration too).</summary>
public static class ChatProxyPolicies
{
    /// <summary>Load balancing: upgrades and SignalR negotiations to the fewest connections cluster-wide, the rest round-robin.</summary>
    public const string LeastConnections = "ChatLeastConnections";

    /// <summary>Load balancing: plain round-robin over available destinations.</summary>
    public const string RoundRobin = "ChatRoundRobin";

    /// <summary>Active health check: 2xx = healthy, else unhealthy at once; reads the reported connection count.</summary>
    public const string ReadinessHealth = "ChatReadiness";

    /// <summary>Passive health check: a destination with a few transport failures in a row is out for the reactivation period.</summary>
    public const string ConsecutiveFailuresHealth = "ChatConsecutiveFailures";

    /// <summary>Response header in which a chat replica reports its open client connections.</summary>
    public const string ConnectionsHeader = "X-Chat-Connections";
}
