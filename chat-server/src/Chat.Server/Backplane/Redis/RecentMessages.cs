using Chat.Contracts;

namespace Chat.Server.Backplane.Redis;

/// <summary>
/// The latest messages a replica delivered in one room, contiguous up to <see cref="End"/>. A listener that joins a
/// room already live on the replica gets its backlog from here instead of a stream read, and as the same message
/// objects the live fan-out serialized already. It answers only what a stream read would answer too (the stream keeps
/// at least as many entries); anything else is left to Redis.
/// </summary>
internal sealed class RecentMessages(int capacity)
{
    private readonly Queue<ChatMessage> _messages = new();

    /// <summary>Holds every message of its epoch from offset 1 on.</summary>
    private bool _fromStart;

    /// <summary>The position of the last message held (or of the room when none is); null until first known.</summary>
    public RoomPosition? End { get; private set; }

    /// <summary>Starts again at <paramref name="position"/>, holding nothing before it.</summary>
    public void Reset(RoomPosition position)
    {
        _messages.Clear();
        End = position;
        _fromStart = position.Offset == 0;
    }

    /// <summary>Starts again with a stream read's backlog, which ends at its position.</summary>
    public void Reset(RoomBacklog backlog)
    {
        var first = backlog.Messages.Count > 0 ? backlog.Messages[0].Offset : backlog.Position.Offset + 1;
        Reset(new RoomPosition(backlog.Position.Epoch, first - 1));
        foreach (var message in backlog.Messages)
        {
            Add(message);
        }

        if (End != backlog.Position)
        {
            Reset(backlog.Position);
        }
    }

    /// <summary>The next message delivered; one that does not follow <see cref="End"/> starts the run again.</summary>
    public void Add(ChatMessage message)
    {
        if (End is not { } end || end.Epoch != message.Epoch || end.Offset + 1 != message.Offset)
        {
            Reset(new RoomPosition(message.Epoch, message.Offset - 1));
        }

        _messages.Enqueue(message);
        End = new RoomPosition(message.Epoch, message.Offset);
        if (_messages.Count > capacity)
        {
            _messages.Dequeue();
            _fromStart = false;
        }
    }

    /// <summary>
    /// The latest <paramref name="limit"/> messages after <paramref name="since"/> (or the latest of the room), when
    /// all of them are held; false when only the stream can say (another epoch, a position this replica has not
    /// reached yet, or older messages than those held).
    /// </summary>
    public bool TryRead(RoomPosition? since, int limit, out IReadOnlyList<ChatMessage> messages)
    {
        messages = [];
        if (End is not { } end || limit < 1)
        {
            return false;
        }

        int available;
        if (since is null)
        {
            if (_messages.Count < limit && !_fromStart)
            {
                return false;
            }

            available = _messages.Count;
        }
        else
        {
            var held = end.Offset - _messages.Count; // the offset before the first one held
            if (since.Epoch != end.Epoch || since.Offset > end.Offset || (since.Offset < held && !_fromStart))
            {
                return false;
            }

            available = (int)(end.Offset - Math.Max(since.Offset, held));
        }

        messages = _messages.Skip(_messages.Count - Math.Min(available, limit)).ToArray();
        return true;
    }
}
