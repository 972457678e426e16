using Chat.Contracts;
using Chat.Server.Backplane;

namespace Chat.Server.Stomp;

/// <summary>
/// One SUBSCRIBE of a session to a room: the room's listener, writing each message as a MESSAGE frame. The broker
/// pushes the backlog and then the live stream through it in offset order, each once. It becomes
/// <see cref="Active"/> once the connection is in the room (at once, or at its chat.addUser).
/// </summary>
internal sealed class StompSubscription(StompSession session, string id, string destination, string room, bool clientAck, RoomPosition? since) : IRoomListener
{
    /// <summary>Where the client resumes from (x-epoch, x-since-offset), if it does.</summary>
    public RoomPosition? Since { get; } = since;

    public bool Active { get; set; }

    public string Id { get; } = id;

    public string Destination { get; } = destination;

    public string Room { get; } = room;

    /// <summary>The start of every MESSAGE frame of this subscription (SUBSCRIBE comes after CONNECT: the version is known).</summary>
    public byte[] MessageHead { get; } = StompServerFrames.MessageHead(destination, id, session.Escaped);

    /// <summary>ack:client or ack:client-individual: MESSAGE frames carry an `ack` header.</summary>
    public bool ClientAck { get; } = clientAck;

    public void OnMessage(ChatMessage message) => session.Deliver(this, message);
}
