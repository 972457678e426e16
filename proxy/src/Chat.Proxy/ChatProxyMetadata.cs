namespace Chat.Proxy;

/// <summary>
/// The YARP <c>Metadata</c> keys the chat proxy understands, on a <c>ClusterConfig</c> or a <c>RouteConfig</c>.
/// Anything that produces YARP configuration (appsettings, the gateway's config file, the ingress controller from
/// annotations) drives the same behaviour through these keys; <see cref="Configuration.ChatProxyConfigFilter"/>
/// turns them into YARP settings when the configuration is loaded, and rejects bad values with a clear error.
/// Durations are seconds (decimals allowed), like the ingress-nginx annotations they mirror.
/// </summary>
public static class ChatProxyMetadata
{
    // ---- Cluster keys -------------------------------------------------------------------------------------------

    /// <summary>
    /// Cluster: how requests that open a long-lived connection (WebSocket upgrades, SignalR negotiate) choose a
    /// destination (ingress-nginx <c>load-balance</c> for WebSockets): <see cref="LeastConnections"/> (default: the
    /// fewest open connections cluster-wide, as the replicas report them), <see cref="RoundRobin"/> or
    /// <see cref="PowerOfTwoChoices"/>. Ignored when the cluster sets YARP's own <c>LoadBalancingPolicy</c>.
    /// </summary>
    public const string LoadBalance = "Chat.LoadBalance";

    /// <summary>
    /// Cluster: how every other request chooses a destination: <see cref="RoundRobin"/> (default),
    /// <see cref="LeastRequests"/> (fewest in flight through this proxy) or <see cref="PowerOfTwoChoices"/>.
    /// </summary>
    public const string RequestLoadBalance = "Chat.RequestLoadBalance";

    /// <summary>Value of <see cref="LoadBalance"/>.</summary>
    public const string LeastConnections = "least-connections";

    /// <summary>Value of <see cref="LoadBalance"/> and <see cref="RequestLoadBalance"/>: YARP's round robin.</summary>
    public const string RoundRobin = "round-robin";

    /// <summary>Value of <see cref="RequestLoadBalance"/>: YARP's least requests.</summary>
    public const string LeastRequests = "least-requests";

    /// <summary>Value of <see cref="LoadBalance"/> and <see cref="RequestLoadBalance"/>: YARP's power of two choices.</summary>
    public const string PowerOfTwoChoices = "power-of-two-choices";

    /// <summary>
    /// Cluster: readiness path probed on every destination (e.g. <c>/readyz</c>); enables active health checks
    /// with <see cref="ChatProxyPolicies.ReadinessHealth"/>: 2xx = ready, anything else or no answer = not ready at
    /// once, and the <c>X-Chat-Connections</c> response header is the destination's reported connection count.
    /// Empty or absent: no active checks (unless YARP's own <c>HealthCheck:Active</c> is configured).
    /// </summary>
    public const string ReadinessPath = "Chat.ReadinessPath";

    /// <summary>Cluster: seconds between readiness probes. Default 1.</summary>
    public const string ReadinessInterval = "Chat.ReadinessInterval";

    /// <summary>Cluster: seconds a readiness probe may take. Default 2.</summary>
    public const string ReadinessTimeout = "Chat.ReadinessTimeout";

    /// <summary>
    /// Cluster: "true" (default) enables passive health checks: a destination with a few transport failures in
    /// a row is taken out for <see cref="PassiveReactivation"/>, or until its readiness probe sees it come back.
    /// </summary>
    public const string PassiveHealth = "Chat.PassiveHealth";

    /// <summary>Cluster: seconds a destination stays out after passive failures. Default 10.</summary>
    public const string PassiveReactivation = "Chat.PassiveReactivation";

    /// <summary>Cluster: seconds to open a TCP connection to a destination (ingress-nginx <c>proxy-connect-timeout</c>). Default 5.</summary>
    public const string ConnectTimeout = "Chat.ConnectTimeout";

    /// <summary>Cluster: seconds an idle pooled upstream connection is kept (ingress-nginx <c>upstream-keepalive-timeout</c>). Default 60.</summary>
    public const string KeepAliveTimeout = "Chat.KeepAliveTimeout";

    /// <summary>
    /// Cluster: upstream connections per destination (ingress-nginx <c>upstream-keepalive-connections</c>). .NET's pool
    /// has no separate idle limit, so this caps all pooled HTTP connections (<c>MaxConnectionsPerServer</c>);
    /// upgraded WebSockets are not limited by it. Default: no limit.
    /// </summary>
    public const string KeepAliveConnections = "Chat.KeepAliveConnections";

    /// <summary>
    /// Cluster: "true" (default) keeps SignalR's negotiate and the transports that follow it (WebSocket, SSE, long
    /// polling, all carrying <c>?id=</c>) on the destination that issued the connection token.
    /// </summary>
    public const string ConnectionTokenAffinity = "Chat.ConnectionTokenAffinity";

    // ---- Route keys (a route value overrides the same key on its cluster) ---------------------------------------

    /// <summary>
    /// Route or cluster: seconds without data from the destination before the connection is closed
    /// (ingress-nginx <c>proxy-read-timeout</c>). For plain HTTP it bounds the wait for the response. Default 3600.
    /// </summary>
    public const string ReadTimeout = "Chat.ReadTimeout";

    /// <summary>
    /// Route or cluster: seconds without data from the client to the destination before a WebSocket is closed
    /// (ingress-nginx <c>proxy-send-timeout</c>). Default 3600.
    /// </summary>
    public const string SendTimeout = "Chat.SendTimeout";

    // ---- Destination keys ---------------------------------------------------------------------------------------

    /// <summary>
    /// Destination: "true" while it is shutting down (serving but terminating): it keeps its open connections and
    /// the requests bound to it by affinity, and gets nothing new unless no other destination is left.
    /// </summary>
    public const string Draining = "Chat.Draining";

    /// <summary>Every cluster and route key, for validation and documentation.</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        LoadBalance, RequestLoadBalance, ReadinessPath, ReadinessInterval, ReadinessTimeout, PassiveHealth, PassiveReactivation,
        ConnectTimeout, KeepAliveTimeout, KeepAliveConnections, ConnectionTokenAffinity, ReadTimeout, SendTimeout,
    ];
}
