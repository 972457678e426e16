using System.Threading.Channels;
using Chat.Server.Connections;
using Chat.Contracts;
using Chat.Server.Observability;
using Chat.Server.Presence;
using Chat.Server.Rooms;
using Microsoft.AspNetCore.SignalR;

namespace Chat.Server.Hubs;

/// <summary>
/// One SignalR connection: a bounded outgoing queue of room messages (from its <see cref="SignalRRoomListener"/>s)
/// drained by one pump that writes each message's shared serialization (<see cref="RoomHubMessages"/>) to this
/// connection only, never through Clients.Group, which would fan out a second time.
/// A connection that falls a whole queue behind is closed; its client resumes from its last offset.
/// </summary>
public sealed class SignalRClientConnection : IClientConnection
{
    private readonly HubCallerContext _context;
    private readonly HubConnectionContext _connection;
    private readonly IHubContext<ChatHub> _hub;
    private readonly RoomMembersReader _members;
    private readonly ChatMetrics _metrics;
    private readonly ILogger _logger;
    private readonly Channel<ChatMessage> _outgoing;
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _pump = Task.CompletedTask;

    public SignalRClientConnection(HubCallerContext context, HubConnectionContext connection, IHubContext<ChatHub> hub, RoomMembersReader members, int queueLength, ChatMetrics metrics, ILogger logger, DateTimeOffset connectedAt)
    {
        _context = context;
        _connection = connection;
        _hub = hub;
        _members = members;
        _metrics = metrics;
        _logger = logger;
        ConnectedAt = connectedAt;
        _outgoing = Channel.CreateBounded<ChatMessage>(new BoundedChannelOptions(queueLength)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    public string Id => _context.ConnectionId;

    public string Protocol => "signalr";

    public DateTimeOffset ConnectedAt { get; }

    public void Start() => _pump = Task.Run(PumpAsync);

    /// <summary>Queues a room message; a connection a whole queue behind is closed (its client resumes from its last offset).</summary>
    public void Enqueue(ChatMessage message)
    {
        if (!_outgoing.Writer.TryWrite(message) && !_closed.Task.IsCompleted)
        {
            _metrics.Error(ChatErrorKinds.SlowConsumer);
            _logger.LogWarning("Connection {Id} fell {Count} messages behind; closing it so that it resumes", Id, _outgoing.Reader.Count);
            _outgoing.Writer.TryComplete();
            _context.Abort();
        }
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

    /// <summary>The connection ended: stop the pump.</summary>
    public Task StopAsync()
    {
        _closed.TrySetResult();
        _outgoing.Writer.TryComplete();
        return _pump;
    }

    private async Task SendPresenceAsync(ChatMessage change)
    {
        try
        {
            var members = await _members.AfterAsync(change);
            await _hub.Clients.Client(Id).SendAsync(ChatHubProtocol.PresenceEvent, new PresenceUpdate(change.Room, members));
        }
        catch (Exception e)
        {
            _logger.LogDebug(e, "Presence update of {Room} to {Id} failed", change.Room, Id);
        }
    }

    private async Task PumpAsync()
    {
        try
        {
            await foreach (var message in _outgoing.Reader.ReadAllAsync())
            {
                await _connection.WriteAsync(RoomHubMessages.Of(message));
                _metrics.MessagesDelivered();
            }
        }
        catch (Exception e)
        {
            _logger.LogDebug(e, "Delivery to {Id} stopped", Id);
        }
    }
}
