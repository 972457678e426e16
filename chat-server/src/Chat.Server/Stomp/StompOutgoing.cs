namespace Chat.Server.Stomp;

/// <summary>
/// A frame waiting in a <see cref="StompOutbox"/>: built already (CONNECTED, RECEIPT, ERROR, heart-beat), or a
/// room message kept as its shared head and tail (<see cref="StompServerFrames.MessageHead"/>) and written out
/// only when it is sent, so a burst to many members queues references rather than a frame copy per member.
/// </summary>
public readonly record struct StompOutgoing
{
    private StompOutgoing(byte[] bytes, byte[]? head, long messageId, bool withAck)
    {
        Bytes = bytes;
        Head = head;
        MessageId = messageId;
        WithAck = withAck;
    }

    /// <summary>The whole frame, or for a message its tail.</summary>
    public byte[] Bytes { get; }

    public byte[]? Head { get; }

    public long MessageId { get; }

    public bool WithAck { get; }

    /// <summary>The bytes the frame takes on the wire (at most).</summary>
    public int Length => Head is null ? Bytes.Length : StompServerFrames.MaxMessageLength(Head, Bytes);

    public static StompOutgoing Frame(byte[] frame) => new(frame, null, 0, false);

    public static StompOutgoing Message(byte[] head, long messageId, bool withAck, byte[] tail) => new(tail, head, messageId, withAck);
}
