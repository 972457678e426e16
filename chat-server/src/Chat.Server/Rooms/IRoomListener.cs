using Chat.Contracts;

namespace Chat.Server.Rooms;

/// <summary>A local subscriber of a room (one SignalR or STOMP subscription on this replica).</summary>
public interface IRoomListener
{
    /// <summary>Called once per message, in offset order. Must not block: queue and return.</summary>
    ValueTask OnMessageAsync(ChatMessage message);
}
