namespace Chat.Client;

/// <summary>Where a <see cref="ChatClient"/>'s connection stands.</summary>
public enum ChatClientState
{
    /// <summary>Not started yet.</summary>
    Idle,

    /// <summary>The first connection is being made.</summary>
    Connecting,

    /// <summary>Connected, and every joined room is joined on this connection.</summary>
    Connected,

    /// <summary>The server asked the client to move (rebalancing, drain); it reconnects at once.</summary>
    Moved,

    /// <summary>The connection dropped or a connect failed; it reconnects after a back-off.</summary>
    Reconnecting,

    /// <summary>Disposed: no more connections.</summary>
    Stopped,
}

/// <summary>
/// A change of <see cref="ChatClient.State"/>: the replica that answered (<c>Connected</c>) or that moved the client
/// (<c>Moved</c>), and the server's reason for a move.
/// </summary>
/// <param name="State">The new state.</param>
/// <param name="Replica">The chat replica of the connection (its <c>X-Chat-Replica</c>), when known.</param>
/// <param name="Reason">Why the server moved the client, or why the connection was lost.</param>
public sealed record ChatStateChange(ChatClientState State, string? Replica, string? Reason);
