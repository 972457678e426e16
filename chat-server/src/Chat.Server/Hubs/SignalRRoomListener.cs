using Chat.Contracts;
using Chat.Server.Backplane;

namespace Chat.Server.Hubs;

/// <summary>
/// One room subscription of a SignalR connection. While the hub method that subscribed is running, messages are
/// captured: the backlog and anything live before the method returns go into its result (Join's history, Resume's
/// missed messages). From <see cref="EndCapture"/> on, messages go to the connection's outgoing queue as `message`
/// events, and each JOIN or LEAVE is followed by a `presence` event with the room's members. The broker calls one
/// room's listener in offset order, so captured and sent never overlap.
/// </summary>
internal sealed class SignalRRoomListener(SignalRClientConnection connection) : IRoomListener
{
    private readonly Lock _lock = new();
    private List<ChatMessage>? _captured = [];

    public void OnMessage(ChatMessage message)
    {
        lock (_lock)
        {
            if (_captured is not null)
            {
                _captured.Add(message);
                return;
            }
        }

        connection.Enqueue(message);
        if (message.Type is MessageType.JOIN or MessageType.LEAVE)
        {
            connection.AnnouncePresence(message);
        }
    }

    /// <summary>Stops capturing and returns what was captured, in offset order.</summary>
    public IReadOnlyList<ChatMessage> EndCapture()
    {
        lock (_lock)
        {
            var captured = _captured ?? [];
            _captured = null;
            return captured;
        }
    }
}
