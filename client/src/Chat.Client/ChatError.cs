namespace Chat.Client;

/// <summary>What kind of failure a <see cref="ChatError"/> reports.</summary>
public enum ChatErrorKind
{
    /// <summary>A connection attempt failed (refused, timed out, or the server refused the session); it is retried.</summary>
    ConnectFailed,

    /// <summary>An established connection dropped without the server asking the client to move; it reconnects.</summary>
    ConnectionLost,

    /// <summary>The server reported an error on the connection (a STOMP ERROR frame); the server closes it next.</summary>
    ServerError,

    /// <summary>Recovering a room (a re-join after a gap or a new epoch) failed, or what was missed is no longer retained.</summary>
    Recovery,

    /// <summary>A new access token could not be had or the server refused it; the connection ends and is made again.</summary>
    TokenRefresh,
}

/// <summary>A failure that happened in the background, with the server's reason when it gave one.</summary>
/// <param name="Kind">What failed.</param>
/// <param name="Message">The server's reason, or a description of the failure.</param>
/// <param name="Exception">The exception behind it, if any.</param>
public sealed record ChatError(ChatErrorKind Kind, string Message, Exception? Exception = null);
