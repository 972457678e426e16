namespace Chat.Contracts;

/// <summary>The SignalR hub at <see cref="Path"/>: its methods (client → server) and events (server → client).</summary>
public static class ChatHubProtocol
{
    public const string Path = "/hub/chat";

    /// <summary><c>Join(room, user[, since[, secret]])</c> → <see cref="JoinResult"/> (Jwt mode: <c>user</c> is ignored).</summary>
    public const string Join = "Join";

    /// <summary><c>Send(room, content)</c> → the message's offset.</summary>
    public const string Send = "Send";

    /// <summary><c>Leave(room)</c>.</summary>
    public const string Leave = "Leave";

    /// <summary><c>Resume(room, epoch, sinceOffset)</c> → missed messages; the older form of <c>Join</c> with <c>since</c>.</summary>
    public const string Resume = "Resume";

    /// <summary><c>RefreshToken(accessToken)</c>: Jwt mode, a new token of the same user before the current one expires.</summary>
    public const string RefreshToken = "RefreshToken";

    /// <summary>Event: one <see cref="ChatMessage"/>.</summary>
    public const string MessageEvent = "message";

    /// <summary>Event: a <see cref="PresenceUpdate"/>.</summary>
    public const string PresenceEvent = "presence";

    /// <summary>Event: a <see cref="ReconnectRequest"/>, before the server closes the connection.</summary>
    public const string ReconnectEvent = "reconnect";
}
