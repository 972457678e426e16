namespace Chat.IngressController.Translation;

/// <summary>Keys of the YARP route, cluster and destination Metadata the translation writes and the proxy reads.</summary>
public static class MetadataKeys
{
    /// <summary>Destination: serving but terminating; no new connections unless nothing else is left.</summary>
    public const string Draining = "chat.io/draining";

    /// <summary>Route: "true" to redirect plain HTTP to HTTPS (308).</summary>
    public const string SslRedirect = "chat.io/ssl-redirect";

    /// <summary>Route: comma-separated CIDR ranges allowed; absent = everyone.</summary>
    public const string AllowSourceRanges = "chat.io/allow-source-ranges";

    /// <summary>Route: "true" when the allow list did not parse (fail closed).</summary>
    public const string DenyAll = "chat.io/deny-all";

    /// <summary>Route: largest request body in bytes; 0 = unlimited.</summary>
    public const string MaxBodySize = "chat.io/max-body-size";

    /// <summary>Route: the Ingress it came from, "namespace/name".</summary>
    public const string Ingress = "chat.io/ingress";

    /// <summary>Cluster: the YARP load-balancing policy for WebSocket requests.</summary>
    public const string WebSocketPolicy = "chat.io/websocket-policy";

    /// <summary>Cluster: the YARP load-balancing policy for other requests.</summary>
    public const string HttpPolicy = "chat.io/http-policy";

    /// <summary>Cluster: connect timeout in seconds.</summary>
    public const string ConnectTimeout = "chat.io/connect-timeout";

    /// <summary>Cluster: idle time after which a pooled upstream connection is closed, seconds.</summary>
    public const string KeepaliveTimeout = "chat.io/keepalive-timeout";

    /// <summary>Cluster: longest life of a pooled upstream connection, seconds.</summary>
    public const string KeepaliveTime = "chat.io/keepalive-time";

    /// <summary>Cluster: "0" disables upstream connection reuse (ingress-nginx upstream-keepalive-connections: 0).</summary>
    public const string KeepaliveConnections = "chat.io/keepalive-connections";

    /// <summary>Cluster: how long serving-but-terminating endpoints stay for affinity-bound requests, seconds.</summary>
    public const string DrainTimeout = "chat.io/drain-timeout";
}
