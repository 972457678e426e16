using Chat.Contracts;
using Chat.Server.Backplane;

namespace Chat.Server.Rooms;

/// <summary>
/// One client connection's chat: the user bound to it (once), the rooms it joined (presence, JOIN/LEAVE) and its
/// subscriptions. Bad input throws <see cref="ChatValidationException"/>, an unreachable store
/// <see cref="BrokerUnavailableException"/>; both are <see cref="ChatException"/>s with the words for the client.
/// Calls of one session are not concurrent (each adapter runs a connection's requests in order).
/// </summary>
public interface IChatSession : IAsyncDisposable
{
    /// <summary>The name bound by the first <see cref="JoinAsync"/>, if any.</summary>
    string? User { get; }

    /// <summary>
    /// Binds <paramref name="user"/> to the connection (once; a second, different name is refused) and marks the
    /// user present in the room. A JOIN message is published only when the user was not already present (another
    /// connection, or a reconnect within the grace period). Returns the room's members.
    /// </summary>
    Task<IReadOnlyList<string>> JoinAsync(string room, string user, CancellationToken cancellationToken = default);

    /// <summary>
    /// Subscribes the listener to the room (replacing this session's earlier subscription of it): the backlog
    /// (after <paramref name="since"/>, or the latest history) and then the live stream reach the listener in order,
    /// each offset once (see <see cref="IRoomBroker.SubscribeAsync"/>).
    /// </summary>
    Task<RoomSubscription> SubscribeAsync(string room, RoomPosition? since, IRoomListener listener, CancellationToken cancellationToken = default);

    bool IsSubscribed(string room);

    /// <summary>Ends this session's subscription of the room, if any.</summary>
    Task UnsubscribeAsync(string room);

    /// <summary>Messages after <paramref name="since"/>, without subscribing (the older Resume of a subscribed room; may overlap live delivery).</summary>
    Task<RoomBacklog> ReadSinceAsync(string room, RoomPosition? since, CancellationToken cancellationToken = default);

    /// <summary>Publishes a CHAT message as the bound user; the room must have been joined.</summary>
    Task<ChatMessage> SendAsync(string room, string content, CancellationToken cancellationToken = default);

    /// <summary>Leaves a room explicitly: unsubscribes, and LEAVE when it was the user's last connection there.</summary>
    Task LeaveAsync(string room, CancellationToken cancellationToken = default);
}
