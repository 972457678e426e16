using Chat.Server.Connections;
using Chat.Server.Identity;

namespace Chat.Server.Rooms;

/// <summary>
/// The chat every protocol adapter (SignalR hub, STOMP endpoint) talks to. An adapter opens one
/// <see cref="IChatSession"/> per client connection and disposes it once when the connection ends; the session owns
/// the user, its rooms and subscriptions, so both protocols behave the same in the same room.
/// </summary>
public interface IChatRooms
{
    IChatSession Open(IClientConnection connection, ChatCaller caller);
}
