using Chat.Server.Connections;
using Chat.Contracts;

namespace Chat.Server.Rooms;

/// <summary>
/// The edge every protocol adapter (SignalR hub, STOMP endpoint) calls. It owns identity (the name bound to a
/// connection), validation, presence with its grace period, JOIN/LEAVE messages and subscriptions, so both
/// protocols behave the same in the same room.
/// Bad input throws <see cref="ChatValidationException"/>; an unreachable store throws <see cref="BrokerUnavailableException"/>.
/// An adapter registers each connection in <see cref="ConnectionRegistry"/> when it opens; subscribes it to rooms
/// (<see cref="SubscribeAsync"/>, resuming from the client's last position if it sent one); binds its user with
/// <see cref="JoinAsync"/>; sends with <see cref="SendAsync"/>; and when it closes, removes it from the registry and
/// calls <see cref="DisconnectedAsync"/>. <see cref="ChatInput"/> validates rooms and positions the same way.
/// </summary>
public interface IChatRooms
{
    /// <summary>Subscribes the connection to a room's messages (history or what it missed first, see <see cref="IRoomBroker.SubscribeAsync"/>).</summary>
    Task<RoomSubscription> SubscribeAsync(IClientConnection connection, string room, RoomPosition? resumeFrom, IRoomListener listener, CancellationToken cancellationToken = default);

    /// <summary>Ends one subscription of the connection.</summary>
    Task UnsubscribeAsync(IClientConnection connection, string room);

    /// <summary>
    /// Binds <paramref name="user"/> to the connection (once; a second, different name is refused) and marks the
    /// user present in the room. A JOIN message is published only when the user was not already present
    /// (another connection, or a reconnect within the grace period). Returns the room's members.
    /// </summary>
    Task<IReadOnlyList<string>> JoinAsync(IClientConnection connection, string room, string user, CancellationToken cancellationToken = default);

    /// <summary>Publishes a CHAT message as the name bound to the connection; returns it with its offset.</summary>
    Task<ChatMessage> SendAsync(IClientConnection connection, string room, string content, CancellationToken cancellationToken = default);

    /// <summary>Leaves a room explicitly: unsubscribes, and LEAVE when it was the user's last connection there.</summary>
    Task LeaveAsync(IClientConnection connection, string room, CancellationToken cancellationToken = default);

    /// <summary>The connection is gone: ends its subscriptions; LEAVE follows after the grace period unless the user came back.</summary>
    Task DisconnectedAsync(IClientConnection connection);

    Task<IReadOnlyList<string>> GetMembersAsync(string room, CancellationToken cancellationToken = default);
}

/// <summary>Input a client sent that the chat refuses (bad name, bad room, bad content, impersonation). Nothing was written.</summary>
public sealed class ChatValidationException(string message) : Exception(message);
