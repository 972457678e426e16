using System.Net;

namespace Chat.IngressController.Translation;

/// <summary>Load-balancing algorithms by their ingress-nginx names.</summary>
public enum BalanceMode
{
    RoundRobin,
    LeastConnections,
    Ewma,
}

/// <summary>
/// The effective settings of one Ingress: ConfigMap defaults overridden by its annotations. Defaults are
/// ingress-nginx's, except balancing: WebSocket upgrades go to the least-connected endpoint unless told otherwise.
/// </summary>
public sealed record BackendSettings
{
    public TimeSpan ReadTimeout { get; init; } = TimeSpan.FromSeconds(60);
    public TimeSpan SendTimeout { get; init; } = TimeSpan.FromSeconds(60);
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);
    public BalanceMode HttpBalance { get; init; } = BalanceMode.RoundRobin;
    public BalanceMode WebSocketBalance { get; init; } = BalanceMode.LeastConnections;
    public string? AffinityCookie { get; init; }
    public string SessionCookiePath { get; init; } = "/";
    public TimeSpan? SessionCookieMaxAge { get; init; }

    /// <summary>Largest request body in bytes; 0 = unlimited. ingress-nginx's default is 1m.</summary>
    public long MaxBodySize { get; init; } = 1024 * 1024;

    /// <summary>Redirect plain HTTP to HTTPS for hosts with TLS (ingress-nginx default true).</summary>
    public bool SslRedirect { get; init; } = true;

    public bool ForceSslRedirect { get; init; }
    public IReadOnlyList<IPNetwork> AllowSourceRanges { get; init; } = [];
    /// <summary>Set when a source range list did not parse: fail closed rather than open.</summary>
    public bool DenyAll { get; init; }

    public int KeepaliveConnections { get; init; } = 320;
    public TimeSpan KeepaliveTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Path the proxy probes on every endpoint (e.g. /readyz of the chat server): a failing endpoint gets no new
    /// connections at once, and the X-Chat-Connections header it answers with feeds cluster-wide least-connections.
    /// </summary>
    public string? ReadinessPath { get; init; }

    /// <summary>How long a serving-but-terminating endpoint still takes requests bound to it by affinity.</summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(30);
}
