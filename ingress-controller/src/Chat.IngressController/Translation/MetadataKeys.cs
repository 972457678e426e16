namespace Chat.IngressController.Translation;

/// <summary>
/// This controller's own keys of YARP route and cluster Metadata, in the proxy core's vocabulary (<c>Chat.</c>
/// prefix); balancing, timeouts, health and draining use the core's keys (<see cref="Chat.Proxy.ChatProxyMetadata"/>).
/// </summary>
public static class MetadataKeys
{
    /// <summary>Route: "true" to redirect plain HTTP to HTTPS (308).</summary>
    public const string SslRedirect = "Chat.Ingress.SslRedirect";

    /// <summary>Route: comma-separated CIDR ranges allowed; absent = everyone.</summary>
    public const string AllowSourceRanges = "Chat.Ingress.AllowSourceRanges";

    /// <summary>Route: "true" when the allow list did not parse (fail closed).</summary>
    public const string DenyAll = "Chat.Ingress.DenyAll";

    /// <summary>Route: largest request body in bytes; 0 = unlimited.</summary>
    public const string MaxBodySize = "Chat.Ingress.MaxBodySize";

    /// <summary>Route: the Ingress it came from, "namespace/name".</summary>
    public const string Ingress = "Chat.Ingress.Source";

    /// <summary>Cluster: how long serving-but-terminating endpoints stay for affinity-bound requests, seconds.</summary>
    public const string DrainTimeout = "Chat.Ingress.DrainTimeout";
}
