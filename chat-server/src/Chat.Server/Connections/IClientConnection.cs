namespace Chat.Server.Connections;

/// <summary>One client connection on this replica, whatever its protocol.</summary>
public interface IClientConnection
{
    /// <summary>Unique on this replica (SignalR connection id, or the STOMP session id).</summary>
    string Id { get; }

    /// <summary>"signalr" or "stomp"; the `protocol` tag of chat_connections_active.</summary>
    string Protocol { get; }

    DateTimeOffset ConnectedAt { get; }

    /// <summary>
    /// Asks the client to reconnect elsewhere and closes the connection: SignalR sends `reconnect({reason})` first,
    /// STOMP closes the WebSocket with 1012 (service restart). The client resumes from its last offset.
    /// The caller counts it (<see cref="Observability.ChatMetrics.RebalanceClosed"/>).
    /// </summary>
    Task CloseForRebalanceAsync(string reason, CancellationToken cancellationToken = default);

    /// <summary>
    /// Ends the connection because of <paramref name="reason"/> (an expired token, say), in words the client sees:
    /// SignalR sends `reconnect({reason})` first (a client with a token source reconnects with a fresh token), STOMP
    /// an ERROR frame, then the close.
    /// </summary>
    Task EndAsync(Rooms.ChatException reason, CancellationToken cancellationToken = default) => CloseForRebalanceAsync(reason.Message, cancellationToken);
}
