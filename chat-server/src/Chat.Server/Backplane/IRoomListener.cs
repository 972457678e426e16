using Chat.Contracts;

namespace Chat.Server.Backplane;

/// <summary>A local subscriber of a room (one SignalR or STOMP subscription on this replica).</summary>
public interface IRoomListener
{
    /// <summary>Called once per message, in offset order: the backlog first, then live. Must not block: queue and return.</summary>
    void OnMessage(ChatMessage message);
}
