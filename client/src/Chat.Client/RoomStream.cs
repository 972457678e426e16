using Chat.Client.Connections;
using Chat.Contracts;

namespace Chat.Client;

/// <summary>
/// One room of a <see cref="ChatClient"/>: its position (epoch and last offset handed over) and the rules that
/// hand each message over once, in offset order. Not thread-safe: the client calls it under its lock.
/// </summary>
internal sealed class RoomStream(string room)
{
    private List<ChatMessage>? _buffer;
    private bool _buffering;
    private bool _expectStart;
    private ChatMessage? _latestDropped;

    public string Room { get; } = room;

    /// <summary>The epoch of the last message handed over (or of the join's position), null before any.</summary>
    public string? Epoch { get; private set; }

    /// <summary>The offset of the last message handed over, within <see cref="Epoch"/>.</summary>
    public long Offset { get; private set; }

    public RoomPosition? Position => Epoch is null ? null : new RoomPosition(Epoch, Offset);

    /// <summary>True once a join of the room succeeded; only then is it rejoined on every new connection.</summary>
    public bool Joined { get; private set; }

    /// <summary>The connection the latest join of the room was started on.</summary>
    public IChatConnection? JoinedOn { get; private set; }

    /// <summary>A recovery (a join with the position) is under way on <see cref="JoinedOn"/>.</summary>
    public bool Recovering { get; set; }

    /// <summary>The application's callers of JoinAsync, completed by the next successful join.</summary>
    public TaskCompletionSource<JoinResult>? Waiter { get; set; }

    /// <summary>Messages that arrived again and were not handed over.</summary>
    public long Duplicates { get; private set; }

    /// <summary>
    /// A join starts: its first recovered message sets where the stream goes on (the server's answer to `since`),
    /// and where the join's answer is not ordered with live events (SignalR), live events wait for it.
    /// </summary>
    public void BeginJoin(IChatConnection connection)
    {
        JoinedOn = connection;
        _expectStart = true;
        _buffering = !connection.DeliversBacklogInOrder;
    }

    /// <summary>Takes a message; false when it shows a gap, and the room must be recovered with <see cref="Position"/>.</summary>
    public bool Offer(ChatMessage message, MessageOrigin origin, Action<ChatMessage> deliver, out bool notRetained)
    {
        notRetained = false;
        if (_buffering)
        {
            (_buffer ??= []).Add(message);
            return true;
        }

        if (origin == MessageOrigin.Backlog && _expectStart)
        {
            _expectStart = false;
            notRetained = AcceptStart(message, deliver);
            return true;
        }

        if (Accept(message, deliver))
        {
            return true;
        }

        if (JoinedOn is { DeliversBacklogInOrder: false })
        {
            // The recovery's answer comes back unordered with live events: keep this one and what follows until then.
            _buffering = true;
            (_buffer ??= []).Add(message);
        }
        else
        {
            _latestDropped = message;
        }

        return false;
    }

    /// <summary>
    /// The join returned. Where its answer holds the backlog (SignalR) it is handed over first, then the live
    /// events that waited. False when those show a gap (recover again).
    /// </summary>
    public bool CompleteJoin(JoinResult result, Action<ChatMessage> deliver, out bool notRetained)
    {
        notRetained = false;
        Joined = true;
        Recovering = false;
        if (JoinedOn is { DeliversBacklogInOrder: true })
        {
            // A gap seen while this join was under way (its recovery ignored) may lie past what the join brought back.
            var dropped = _latestDropped;
            _latestDropped = null;
            _expectStart = false;
            return dropped is null || (dropped.Epoch == Epoch && dropped.Offset <= Offset);
        }

        foreach (var message in result.History)
        {
            notRetained |= AcceptStart(message, deliver);
        }

        if (Epoch != result.Epoch || Offset < result.Offset)
        {
            (Epoch, Offset) = (result.Epoch, result.Offset);
        }

        _expectStart = false;
        _buffering = false;
        return DrainBuffer(deliver);
    }

    /// <summary>The join failed: live events stop waiting for it.</summary>
    public void AbandonJoin()
    {
        _expectStart = false;
        _buffering = false;
        Recovering = false;
        _buffer = null;
        _latestDropped = null;
    }

    private bool DrainBuffer(Action<ChatMessage> deliver)
    {
        if (_buffer is not { Count: > 0 } buffer)
        {
            return true;
        }

        _buffer = null;
        buffer.Sort(static (a, b) => a.Offset.CompareTo(b.Offset));
        for (var i = 0; i < buffer.Count; i++)
        {
            if (!Accept(buffer[i], deliver))
            {
                _buffering = true;
                _buffer = buffer.GetRange(i, buffer.Count - i);
                return false;
            }
        }

        return true;
    }

    /// <summary>The server's recovered messages set the position; true when some of what was missed is no longer retained.</summary>
    private bool AcceptStart(ChatMessage message, Action<ChatMessage> deliver)
    {
        if (message.Epoch == Epoch && message.Offset <= Offset)
        {
            Duplicates++;
            return false;
        }

        var skipped = message.Epoch == Epoch && message.Offset > Offset + 1;
        Hand(message, deliver);
        return skipped;
    }

    /// <summary>Live messages must follow the position: the next offset, or offset 1 of a new epoch.</summary>
    private bool Accept(ChatMessage message, Action<ChatMessage> deliver)
    {
        if (Epoch is null || (message.Epoch != Epoch && message.Offset == 1) || (message.Epoch == Epoch && message.Offset == Offset + 1))
        {
            Hand(message, deliver);
            return true;
        }

        if (message.Epoch == Epoch && message.Offset <= Offset)
        {
            Duplicates++;
            return true;
        }

        return false;
    }

    private void Hand(ChatMessage message, Action<ChatMessage> deliver)
    {
        // The position moves first: a handler that throws does not get the message again.
        (Epoch, Offset) = (message.Epoch, message.Offset);
        deliver(message);
    }
}
