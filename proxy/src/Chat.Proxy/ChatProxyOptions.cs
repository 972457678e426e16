namespace Chat.Proxy;

/// <summary>Long-lived connections (WebSockets, server-sent events) per client address and in total, and new ones per address.</summary>
public sealed class ProxyClientLimits
{
    /// <summary>Open long-lived connections from one client address (IPv6: one /64). Default 100.</summary>
    public int ConnectionsPerAddress { get; set; } = 100;

    /// <summary>Open long-lived connections through this proxy in total (also Kestrel's upgraded-connection limit). Default 50,000.</summary>
    public int MaxConnections { get; set; } = 50_000;

    /// <summary>New connections (SignalR negotiate, WebSocket upgrades without a connection token) per address and second. Default 10.</summary>
    public double ConnectsPerSecond { get; set; } = 10;

    /// <summary>New connections per address at once above <see cref="ConnectsPerSecond"/>. Default 50.</summary>
    public int ConnectBurst { get; set; } = 50;

    internal IEnumerable<string> Validate()
    {
        if (ConnectionsPerAddress < 1 || MaxConnections < ConnectionsPerAddress)
        {
            yield return $"Limits: ConnectionsPerAddress ({ConnectionsPerAddress}) must be positive and at most MaxConnections ({MaxConnections}).";
        }

        if (ConnectsPerSecond <= 0 || ConnectBurst < 1)
        {
            yield return $"Limits: ConnectsPerSecond ({ConnectsPerSecond}) and ConnectBurst ({ConnectBurst}) must be positive.";
        }
    }
}

/// <summary>Process-wide settings of the chat proxy; per-cluster and per-route settings are <see cref="ChatProxyMetadata"/> keys.</summary>
public sealed class ChatProxyOptions
{
    /// <summary>
    /// How long a connection this proxy just sent to a destination is added to that destination's last reported
    /// count. It covers the time until the replica's own count includes it (handshake plus the next report), so a
    /// burst of connections spreads instead of piling onto the destination that looked emptiest. Default 1.5 s.
    /// </summary>
    public TimeSpan AssignmentWindow { get; set; } = TimeSpan.FromSeconds(1.5);

    /// <summary>A report older than this is ignored and only this proxy's own connections count. Default 10 s.</summary>
    public TimeSpan ReportMaxAge { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a SignalR connection token stays pinned to its destination after its last request. Default 5 min.</summary>
    public TimeSpan ConnectionTokenLifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Idle read/send timeout of upgraded connections when neither route nor cluster sets one. Default 1 h (ingress-nginx's usual WebSocket value).</summary>
    public TimeSpan DefaultWebSocketIdleTimeout { get; set; } = TimeSpan.FromHours(1);

    /// <summary>What one client address may open through this proxy (the gateway's <c>Gateway:Limits</c>, the controller's <c>IngressController:Limits</c>).</summary>
    public ProxyClientLimits Limits { get; set; } = new();

    /// <summary>Paths never proxied to the public (404): the replicas' probes and metrics. Prefixes, case-insensitive.</summary>
    public List<string> InternalPaths { get; set; } = [.. ServiceDefaults.InternalEndpoints.Paths];

    /// <summary>Drain: time between turning not ready and the first close, for the load balancer to notice. Default 1 s.</summary>
    public TimeSpan DrainDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Drain: every proxied WebSocket is closed at a random moment within this window. Default 10 s.</summary>
    public TimeSpan DrainWindow { get; set; } = TimeSpan.FromSeconds(10);

    internal IEnumerable<string> Validate()
    {
        foreach (var error in Limits.Validate())
        {
            yield return error;
        }

        if (InternalPaths.Any(p => !p.StartsWith('/')))
        {
            yield return $"{nameof(InternalPaths)} must be paths starting with '/'.";
        }

        if (DrainDelay < TimeSpan.Zero || DrainWindow < TimeSpan.Zero || DrainWindow > TimeSpan.FromMinutes(10))
        {
            yield return $"{nameof(DrainDelay)} must not be negative and {nameof(DrainWindow)} must be between 0 and 10 minutes, got {DrainDelay} and {DrainWindow}.";
        }

        if (AssignmentWindow < TimeSpan.Zero || AssignmentWindow > TimeSpan.FromMinutes(1))
        {
            yield return $"{nameof(AssignmentWindow)} must be between 0 and 1 minute, got {AssignmentWindow}.";
        }

        if (ReportMaxAge <= TimeSpan.Zero)
        {
            yield return $"{nameof(ReportMaxAge)} must be positive, got {ReportMaxAge}.";
        }

        if (ConnectionTokenLifetime <= TimeSpan.Zero)
        {
            yield return $"{nameof(ConnectionTokenLifetime)} must be positive, got {ConnectionTokenLifetime}.";
        }

        if (DefaultWebSocketIdleTimeout <= TimeSpan.Zero)
        {
            yield return $"{nameof(DefaultWebSocketIdleTimeout)} must be positive, got {DefaultWebSocketIdleTimeout}.";
        }
    }
}
