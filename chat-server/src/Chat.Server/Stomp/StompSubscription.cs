using Chat.Contracts;
using Chat.Server.Backplane;

namespace Chat.Server.Stomp;

/// <summary>
/// One SUBSCRIBE of a session to a room: the room's listener, writing each message as a MESSAGE frame. The broker
/// pushes the backlog and then the live stream through it in offset order, each once.
/// </summary>
internal sealed class StompSubscription(StompSession session, string id, string destination, string room, bool clientAck) : IRoomListener
{
    public string Id { get; } = id;

    public string Destination { get; } = destination;

    public string Room { get; } = room;

    /// <summary>ack:client or ack:client-individual: MESSAGE frames carry an `ack` header.</summary>
    public bool ClientAck { get; } = clientAck;

    public void OnMessage(ChatMessage message) => session.Deliver(this, message);
}
