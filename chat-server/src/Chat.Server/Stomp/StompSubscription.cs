using Chat.Contracts;
using Chat.Server.Rooms;

namespace Chat.Server.Stomp;

/// <summary>
/// One SUBSCRIBE of a session to a room. Delivers the backlog first, then live messages, each exactly once and in
/// offset order: live messages that arrive while the backlog is still being fetched wait, and any already in the
/// backlog are skipped.
/// </summary>
public sealed class StompSubscription(StompSession session, string id, string destination, string room, bool clientAck) : IRoomListener, IAsyncDisposable
{
    private readonly Lock _gate = new();
    private readonly Queue<ChatMessage> _early = new();
    private RoomSubscription? _handle;
    private bool _started;
    private bool _stopped;
    private string? _epoch;
    private long _offset = -1;

    public string Id { get; } = id;

    public string Destination { get; } = destination;

    public string Room { get; } = room;

    /// <summary>ack:client or ack:client-individual: MESSAGE frames carry an `ack` header.</summary>
    public bool ClientAck { get; } = clientAck;

    public ValueTask OnMessageAsync(ChatMessage message)
    {
        lock (_gate)
        {
            if (_stopped)
            {
                return ValueTask.CompletedTask;
            }

            if (!_started)
            {
                if (_early.Count >= session.MaxQueuedFrames)
                {
                    session.OnSlowConsumer();
                    return ValueTask.CompletedTask;
                }

                _early.Enqueue(message);
                return ValueTask.CompletedTask;
            }

            Deliver(message);
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>The broker accepted the subscription: write its backlog, then what came meanwhile.</summary>
    public void Start(RoomSubscription handle)
    {
        lock (_gate)
        {
            _handle = handle;
            foreach (var message in handle.Backlog.Messages)
            {
                Deliver(message);
            }

            while (_early.TryDequeue(out var message))
            {
                Deliver(message);
            }

            _started = true;
        }
    }

    public async ValueTask DisposeAsync()
    {
        RoomSubscription? handle;
        lock (_gate)
        {
            _stopped = true;
            _early.Clear();
            handle = _handle;
        }

        if (handle is not null)
        {
            await handle.DisposeAsync();
        }
    }

    private void Deliver(ChatMessage message)
    {
        if (_stopped || (message.Epoch == _epoch && message.Offset <= _offset))
        {
            return;
        }

        _epoch = message.Epoch;
        _offset = message.Offset;
        session.Deliver(this, message);
    }
}
