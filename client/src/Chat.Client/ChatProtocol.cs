namespace Chat.Client;

/// <summary>How a <see cref="ChatClient"/> talks to the chat server.</summary>
public enum ChatProtocol
{
    /// <summary>The SignalR hub at <c>/hub/chat</c> (WebSockets by default; SSE and long polling on request).</summary>
    SignalR,

    /// <summary>STOMP 1.2 over a WebSocket at <c>/ws</c>.</summary>
    Stomp,
}
