namespace Chat.IngressController.Translation;

/// <summary>
/// This controller's own keys of YARP route, cluster and destination Metadata; upstream settings use the proxy
/// core's keys (<see cref="Chat.Proxy.ChatProxyMetadata"/>).
/// </summary>
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

    /// <summary>Cluster: how long serving-but-terminating endpoints stay for affinity-bound requests, seconds.</summary>
    public const string DrainTimeout = "chat.io/drain-timeout";
}
