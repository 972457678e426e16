namespace Chat.IngressController.Translation;

/// <summary>
/// Annotation names the controller reads: the ingress-nginx ones users already have, and this project's own
/// (prefix <c>chat.io/</c>) for what nginx cannot express. The same keys without prefix are read from the
/// controller's ConfigMap as global defaults, as ingress-nginx does.
/// </summary>
public static class AnnotationNames
{
    public const string NginxPrefix = "nginx.ingress.kubernetes.io/";
    public const string ChatPrefix = "chat.io/";
    public const string LegacyIngressClass = "kubernetes.io/ingress.class";
    public const string IsDefaultClass = "ingressclass.kubernetes.io/is-default-class";

    // ingress-nginx names (key without prefix; the ConfigMap uses the same keys).
    public const string ProxyReadTimeout = "proxy-read-timeout";
    public const string ProxySendTimeout = "proxy-send-timeout";
    public const string ProxyConnectTimeout = "proxy-connect-timeout";
    public const string LoadBalance = "load-balance";
    public const string Affinity = "affinity";
    public const string SessionCookieName = "session-cookie-name";
    public const string SessionCookiePath = "session-cookie-path";
    public const string SessionCookieMaxAge = "session-cookie-max-age";
    public const string ProxyBodySize = "proxy-body-size";
    public const string SslRedirect = "ssl-redirect";
    public const string ForceSslRedirect = "force-ssl-redirect";
    public const string WhitelistSourceRange = "whitelist-source-range";
    public const string AllowlistSourceRange = "allowlist-source-range";
    public const string UpstreamKeepaliveConnections = "upstream-keepalive-connections";
    public const string UpstreamKeepaliveTimeout = "upstream-keepalive-timeout";
    public const string UpstreamKeepaliveRequests = "upstream-keepalive-requests";

    // This project's own (chat.io/ prefix).
    public const string WebSocketLoadBalance = "websocket-load-balance";
    public const string HttpLoadBalance = "http-load-balance";
    public const string DrainTimeout = "drain-timeout";
    public const string ReadinessPath = "readiness-path";

    /// <summary>Every supported key, without prefix, with the prefix it is read under.</summary>
    public static IReadOnlyDictionary<string, string> Supported { get; } = new Dictionary<string, string>
    {
        [ProxyReadTimeout] = NginxPrefix,
        [ProxySendTimeout] = NginxPrefix,
        [ProxyConnectTimeout] = NginxPrefix,
        [LoadBalance] = NginxPrefix,
        [Affinity] = NginxPrefix,
        [SessionCookieName] = NginxPrefix,
        [SessionCookiePath] = NginxPrefix,
        [SessionCookieMaxAge] = NginxPrefix,
        [ProxyBodySize] = NginxPrefix,
        [SslRedirect] = NginxPrefix,
        [ForceSslRedirect] = NginxPrefix,
        [WhitelistSourceRange] = NginxPrefix,
        [AllowlistSourceRange] = NginxPrefix,
        [UpstreamKeepaliveConnections] = NginxPrefix,
        [UpstreamKeepaliveTimeout] = NginxPrefix,
        [ReadinessPath] = ChatPrefix,
        [WebSocketLoadBalance] = ChatPrefix,
        [HttpLoadBalance] = ChatPrefix,
        [DrainTimeout] = ChatPrefix,
    };
}
