using Chat.Server.Connections;
using Chat.Contracts;
using Chat.Server.Observability;
using Chat.Server.Presence;
using Chat.Server.Rooms;
using Microsoft.AspNetCore.SignalR;

namespace Chat.Server.Hubs;

/// <summary>
/// One SignalR connection. Room messages (from its <see cref="SignalRRoomListener"/>s) are written by whoever
/// delivers them: when nothing is being written to the connection, the broker's delivery writes the message's shared
/// serialization (<see cref="RoomHubMessages"/>) to it at once (one replica-wide fan-out loop, no task or thread hop
/// per member); while a write waits on a slow socket, later messages queue behind it and go out in order when it
/// completes. A connection that falls a whole queue behind is closed; its client resumes from its last offset.
/// Never through Clients.Group, which would fan out a second time.
/// </summary>
public sealed class SignalRClientConnection : IClientConnection
{
    private readonly HubCallerContext _context;
    private readonly HubConnectionContext _connection;
    private readonly IHubContext<ChatHub> _hub;
    private readonly RoomMembersReader _members;
    private readonly int _queueLength;
    private readonly ChatMetrics _metrics;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly Queue<ChatMessage> _waiting = new();
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _writing;

    public SignalRClientConnection(HubCallerContext context, HubConnectionContext connection, IHubContext<ChatHub> hub, RoomMembersReader members, int queueLength, ChatMetrics metrics, ILogger logger, DateTimeOffset connectedAt)
    {
        _context = context;
        _connection = connection;
        _hub = hub;
        _members = members;
        _queueLength = queueLength;
        _metrics = metrics;
        _logger = logger;
        ConnectedAt = connectedAt;
    }

    public string Id => _context.ConnectionId;

    public string Protocol => "signalr";

    public DateTimeOffset ConnectedAt { get; }

    /// <summary>Writes a room message now, or queues it behind the write in progress; a connection a whole queue behind is closed.</summary>
    public void Enqueue(ChatMessage message)
    {
        lock (_gate)
        {
            if (_closed.Task.IsCompleted)
            {
                return;
            }

            if (!_writing)
            {
                _writing = true;
            }
            else if (_waiting.Count < _queueLength)
            {
                _waiting.Enqueue(message);
                return;
            }
            else
            {
                _waiting.Clear();
                _closed.TrySetResult();
                message = null!;
            }
        }

        if (message is null)
        {
            _metrics.Error(ChatErrorKinds.SlowConsumer);
            _logger.LogWarning("Connection {Id} fell {Count} messages behind; closing it so that it resumes", Id, _queueLength);
            _context.Abort();
            return;
        }

        WriteFrom(message);
    }

    /// <summary>After a JOIN or LEAVE in a room of this connection: `presence({room, members})`.</summary>
    public void AnnouncePresence(ChatMessage change) => _ = SendPresenceAsync(change);

    public async Task CloseForRebalanceAsync(string reason, CancellationToken cancellationToken = default)
    {
        try
        {
            await _hub.Clients.Client(Id).SendAsync(ChatHubProtocol.ReconnectEvent, new ReconnectRequest(reason), cancellationToken);
            // The client closes and reconnects by itself; abort the ones that do not within a moment.
            await _closed.Task.WaitAsync(TimeSpan.FromSeconds(2), cancellationToken);
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException or IOException)
        {
        }
        finally
        {
            _context.Abort();
        }
    }

    /// <summary>The connection ended: nothing more is written; what waits is dropped.</summary>
    public Task StopAsync()
    {
        lock (_gate)
        {
            _closed.TrySetResult();
            _waiting.Clear();
        }

        return Task.CompletedTask;
    }

    private async Task SendPresenceAsync(ChatMessage change)
    {
        try
        {
            var members = await _members.AfterAsync(change);
            await _connection.WriteAsync(RoomHubMessages.PresenceOf(change.Room, members));
        }
        catch (Exception e)
        {
            _logger.LogDebug(e, "Presence update of {Room} to {Id} failed", change.Room, Id);
        }
    }

    /// <summary>Writes <paramref name="message"/> and then what queued meanwhile, synchronously while writes complete at once.</summary>
    private void WriteFrom(ChatMessage message)
    {
        while (true)
        {
            var write = _connection.WriteAsync(RoomHubMessages.Of(message));
            _metrics.MessagesDelivered();
            if (!write.IsCompletedSuccessfully)
            {
                _ = ContinueAfterAsync(write);
                return;
            }

            if (!TryTakeNext(out message))
            {
                return;
            }
        }
    }

    private async Task ContinueAfterAsync(ValueTask write)
    {
        try
        {
            await write;
        }
        catch (Exception e)
        {
            // Never a connection that stays open and silently gets nothing more: closed, its client resumes.
            _logger.LogWarning(e, "Delivery to {Id} failed; closing it so that it resumes", Id);
            await StopAsync();
            _context.Abort();
            return;
        }

        if (TryTakeNext(out var next))
        {
            WriteFrom(next);
        }
    }

    private bool TryTakeNext(out ChatMessage message)
    {
        lock (_gate)
        {
            if (!_closed.Task.IsCompleted && _waiting.TryDequeue(out message!))
            {
                return true;
            }

            _writing = false;
            message = null!;
            return false;
        }
    }
}
