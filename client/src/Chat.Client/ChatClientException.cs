namespace Chat.Client;

/// <summary>A call of <see cref="ChatClient"/> that could not be done (for example: not connected right now).</summary>
public class ChatClientException : Exception
{
    /// <summary>Creates the exception with its message.</summary>
    public ChatClientException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}

/// <summary>The chat server refused a call; <see cref="Reason"/> is its own words (SignalR's HubException message, STOMP's ERROR).</summary>
public sealed class ChatServerException : ChatClientException
{
    /// <summary>Creates the exception with the server's reason.</summary>
    public ChatServerException(string reason, Exception? inner = null)
        : base(reason, inner)
    {
        Reason = reason;
    }

    /// <summary>The server's reason, without the transport's preamble.</summary>
    public string Reason { get; }
}
