using Chat.Contracts;

namespace Chat.Client.Connections;

/// <summary>
/// One connection to the chat server over one protocol, without any recovery: the <see cref="ChatClient"/> makes a
/// new one after every end, joins its rooms on it and keeps the order of what it hands to the application.
/// </summary>
internal interface IChatConnection : IAsyncDisposable
{
    /// <summary>The replica that answered (from <c>X-Chat-Replica</c>), once known.</summary>
    string? Replica { get; }

    /// <summary>The server's id of this connection (SignalR's connection id after a negotiate, STOMP's session).</summary>
    string? ConnectionId { get; }

    /// <summary>
    /// True when a join's missed messages arrive as messages, in order with the live ones, before the join returns
    /// (STOMP); false when they come back in the join's result, unordered against live events (SignalR).
    /// </summary>
    bool DeliversBacklogInOrder { get; }

    /// <summary>Completes once, when the connection has ended (never faults).</summary>
    Task<ConnectionEnd> Ended { get; }

    Task ConnectAsync(CancellationToken cancellationToken);

    /// <summary>Joins (or joins again) the room as the user, recovering what came after <paramref name="since"/>.</summary>
    Task<JoinResult> JoinAsync(string room, string user, RoomPosition? since, CancellationToken cancellationToken);

    /// <summary>Sends a chat message; the server's offset when the protocol gives one.</summary>
    Task<long?> SendAsync(string room, string user, string content, CancellationToken cancellationToken);

    Task LeaveAsync(string room, CancellationToken cancellationToken);

    /// <summary>The access token this connection last presented (Jwt servers), else null.</summary>
    string? AccessToken { get; }

    /// <summary>Presents a new token of the same user in band; the server's refusal is a <see cref="ChatServerException"/>.</summary>
    Task RefreshTokenAsync(string token, CancellationToken cancellationToken);
}

/// <summary>How a connection ended: moved on purpose by the server (with its reason), or lost.</summary>
internal sealed record ConnectionEnd(bool Moved, string? Reason, Exception? Error);

/// <summary>Whether a message is live or part of what a join recovered.</summary>
internal enum MessageOrigin
{
    Live,
    Backlog,
}

/// <summary>What a connection reports to its client, from its receive loop (one call at a time per connection).</summary>
internal interface IConnectionEvents
{
    void OnMessage(IChatConnection connection, ChatMessage message, MessageOrigin origin);

    void OnPresence(IChatConnection connection, PresenceUpdate update);

    void OnServerError(IChatConnection connection, string reason);
}

/// <summary>Makes the connections of one client (a seam for tests).</summary>
internal interface IChatConnectionFactory
{
    IChatConnection Create(ChatClientOptions options, Uri baseUrl, IConnectionEvents events);
}

internal sealed class ChatConnectionFactory : IChatConnectionFactory
{
    public static ChatConnectionFactory Instance { get; } = new();

    public IChatConnection Create(ChatClientOptions options, Uri baseUrl, IConnectionEvents events) => options.Protocol switch
    {
        ChatProtocol.Stomp => new StompChatConnection(options, baseUrl, events),
        _ => new SignalRChatConnection(options, baseUrl, events),
    };
}
