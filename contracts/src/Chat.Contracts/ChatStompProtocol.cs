namespace Chat.Contracts;

/// <summary>The chat's STOMP endpoint at <see cref="Path"/>: the headers it adds to STOMP 1.2.</summary>
public static class ChatStompProtocol
{
    public const string Path = "/ws";

    /// <summary>MESSAGE: the room's epoch; SUBSCRIBE: the epoch of <see cref="SinceOffset"/>.</summary>
    public const string Epoch = "x-epoch";

    /// <summary>MESSAGE: the message's offset in its room's epoch.</summary>
    public const string Offset = "x-offset";

    /// <summary>SUBSCRIBE: the last offset the client has; what came after it is delivered first.</summary>
    public const string SinceOffset = "x-since-offset";

    /// <summary>
    /// Anonymous mode. CONNECT: the reconnection secret a previous connection got, to keep its name. CONNECTED: the
    /// secret of this connection's name (the one presented, or a new one).
    /// </summary>
    public const string ReconnectSecret = "x-reconnect-secret";

    /// <summary>Jwt mode: SEND here with <c>Authorization: Bearer …</c> (or <c>passcode</c>) refreshes the connection's token.</summary>
    public const string TokenRefreshDestination = "/app/token.refresh";

    /// <summary>CONNECTED: the replica that took the connection (a browser cannot read the upgrade's X-Chat-Replica).</summary>
    public const string Replica = "x-replica";

    /// <summary>The WebSocket close status of a server-initiated close for rebalancing or drain (1012, service restart).</summary>
    public const int ServiceRestartCloseStatus = 1012;
}
