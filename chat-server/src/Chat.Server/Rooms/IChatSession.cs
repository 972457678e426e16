using System.Security.Claims;
using Chat.Contracts;
using Chat.Server.Backplane;
using Chat.Server.Identity;

namespace Chat.Server.Rooms;

/// <summary>
/// One client connection's chat: who the caller is (<see cref="Caller"/>: address, and in Jwt mode the token's user),
/// the user bound to it (once), the rooms it joined (presence, JOIN/LEAVE) and its subscriptions, and the limits of
/// one connection. History and live messages are for members only: subscribing and reading need a Join first.
/// Refusals are <see cref="ChatException"/>s with the words for the client: bad input
/// (<see cref="ChatValidationException"/>), a limit (<see cref="ChatLimitException"/>), a name in use, a room not
/// granted, an unreachable store (<see cref="BrokerUnavailableException"/>).
/// Calls of one session are not concurrent (each adapter runs a connection's requests in order).
/// </summary>
public interface IChatSession : IAsyncDisposable
{
    ChatCaller Caller { get; }

    /// <summary>The name bound by the first <see cref="JoinAsync"/>, if any.</summary>
    string? User { get; }

    /// <summary>
    /// Anonymous mode: the reconnection secret of this connection's name (the one presented, or a new one). A later
    /// connection presenting it may take the same name (the client resuming after a move). Null in Jwt mode.
    /// </summary>
    string? ReconnectSecret { get; }

    /// <summary>Anonymous mode, before the first Join: use the secret the client presented (checked), else a new one; returns it.</summary>
    string? PrepareReconnectSecret(string? presented);

    /// <summary>
    /// Jwt mode: the connection's user from a validated token. The first call sets it; a later one (an in-band
    /// refresh) must be the same user and moves the expiry. At expiry the connection is ended with a clear reason.
    /// </summary>
    void Authenticate(ClaimsPrincipal user, DateTimeOffset expiresAt);

    /// <summary>
    /// Binds the user to the connection (once; a second, different name is refused) and marks the user present in
    /// the room. Anonymous: <paramref name="user"/> is normalised, and refused when another connection holds it
    /// without this connection's <paramref name="secret"/>. Jwt: the token's name, and only rooms it grants.
    /// A JOIN message is published only when the user was not already present (another connection, or a reconnect
    /// within the grace period). Returns the room's members.
    /// </summary>
    Task<IReadOnlyList<string>> JoinAsync(string room, string? user, string? secret = null, CancellationToken cancellationToken = default);

    /// <summary>Whether this connection is in the room; a bad room name is refused.</summary>
    bool IsJoined(string room);

    /// <summary>
    /// Subscribes the listener to a joined room (replacing this session's earlier subscription of it): the backlog
    /// (after <paramref name="since"/>, at most <c>Chat:Limits:MaxHistoryMessages</c>, or the latest history) and
    /// then the live stream reach the listener in order, each offset once (see <see cref="IRoomBroker.SubscribeAsync"/>).
    /// </summary>
    Task<RoomSubscription> SubscribeAsync(string room, RoomPosition? since, IRoomListener listener, CancellationToken cancellationToken = default);

    bool IsSubscribed(string room);

    /// <summary>Ends this session's subscription of the room, if any.</summary>
    Task UnsubscribeAsync(string room);

    /// <summary>Messages of a joined room after <paramref name="since"/>, without subscribing (the older Resume of a subscribed room; may overlap live delivery).</summary>
    Task<RoomBacklog> ReadSinceAsync(string room, RoomPosition? since, CancellationToken cancellationToken = default);

    /// <summary>Publishes a CHAT message as the bound user; the room must have been joined.</summary>
    Task<ChatMessage> SendAsync(string room, string content, CancellationToken cancellationToken = default);

    /// <summary>Leaves a room explicitly: unsubscribes, and LEAVE when it was the user's last connection there.</summary>
    Task LeaveAsync(string room, CancellationToken cancellationToken = default);
}
