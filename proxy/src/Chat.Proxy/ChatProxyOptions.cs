namespace Chat.Proxy;

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

    /// <summary>Drain: time between turning not ready and the first close, for the load balancer to notice. Default 1 s.</summary>
    public TimeSpan DrainDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Drain: every proxied WebSocket is closed at a random moment within this window. Default 10 s.</summary>
    public TimeSpan DrainWindow { get; set; } = TimeSpan.FromSeconds(10);

    internal IEnumerable<string> Validate()
    {
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
