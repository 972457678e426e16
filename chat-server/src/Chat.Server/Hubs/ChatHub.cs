using Chat.Contracts;
using Chat.Server.Connections;
using Chat.Server.Hosting;
using Chat.Server.Identity;
using Chat.Server.Identity.Jwt;
using Chat.Server.Limits;
using Chat.Server.Observability;
using Chat.Server.Presence;
using Chat.Server.Rooms;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace Chat.Server.Hubs;

/// <summary>
/// The SignalR adapter at <c>/hub/chat</c>: one <see cref="IChatSession"/> per connection.
/// Client → server: Join(room, user[, since[, secret]]), Send(room, content), Leave(room), Resume(room, epoch,
/// sinceOffset), RefreshToken(accessToken). Server → client: message(Message), presence({room, members}), reconnect({reason}).
/// </summary>
public sealed class ChatHub(
    IChatRooms rooms,
    ConnectionRegistry registry,
    ChatLimits limits,
    IHubContext<ChatHub> hubContext,
    LocalHubConnections connections,
    RoomMembersReader members,
    IOptions<ChatOptions> options,
    ChatMetrics metrics,
    TimeProvider time,
    IServiceProvider services,
    ILogger<ChatHub> logger) : Hub
{
    private const string StateKey = "chat.state";

    public override Task OnConnectedAsync()
    {
        var http = Context.GetHttpContext();
        var admission = limits.Connections.TryHold(http?.Connection.RemoteIpAddress);
        if (!admission.IsAdmitted)
        {
            metrics.Error(ChatErrorKinds.ConnectionLimit);
            throw new HubException(admission.Reason);
        }

        var hubConnection = connections.Find(Context.ConnectionId)
            ?? throw new InvalidOperationException($"Connection {Context.ConnectionId} is not in the lifetime manager");
        var connection = new SignalRClientConnection(Context, hubConnection, hubContext, members, options.Value.OutgoingQueueLength, metrics, logger, time.GetUtcNow());
        var session = rooms.Open(connection, new ChatCaller(http?.Connection.RemoteIpAddress));
        if (Context.User is { Identity.IsAuthenticated: true } user)
        {
            // The token was checked when the connection was made; it is watched from here on (refresh or end).
            var expires = http?.Features.Get<IAuthenticateResultFeature>()?.AuthenticateResult?.Properties?.ExpiresUtc
                ?? (long.TryParse(user.FindFirst("exp")?.Value, out var exp) ? DateTimeOffset.FromUnixTimeSeconds(exp) : time.GetUtcNow());
            session.Authenticate(user, expires);
        }

        Context.Items[StateKey] = new ConnectionState(connection, session, admission.Lease!);
        registry.Add(connection);
        return Task.CompletedTask;
    }

    public override async Task OnDisconnectedAsync(Exception? exception)
    {
        if (Context.Items[StateKey] is not ConnectionState state)
        {
            return;
        }

        registry.Remove(state.Connection);
        state.Lease.Dispose();
        await state.Connection.StopAsync();
        await state.Session.DisposeAsync();
    }

    /// <summary>
    /// Joins the room as <paramref name="user"/> and subscribes to it. Without <paramref name="since"/> the result
    /// holds the latest history; with it, every message after it (a new epoch: everything retained), at most the
    /// history limit. Live `message` events carry only offsets after the result's offset. A room this connection is
    /// subscribed to already keeps its subscription without `since`. Anonymous mode: <paramref name="secret"/> is the
    /// reconnection secret of an earlier connection with this name (from its result), to keep the name after a move.
    /// </summary>
    public async Task<JoinResult> Join(string room, string? user, RoomPosition? since = null, string? secret = null)
    {
        var session = State.Session;
        var members = await session.JoinAsync(room, user, secret, Context.ConnectionAborted);
        var (position, history) = since is null && session.IsSubscribed(room)
            ? await ReadLatestAsync(session, room)
            : await SubscribeAsync(room, since);
        return new JoinResult(room, options.Value.ReplicaId, position.Epoch, position.Offset, history, members, session.ReconnectSecret);
    }

    public async Task<long> Send(string room, string content)
    {
        var message = await State.Session.SendAsync(room, content, Context.ConnectionAborted);
        return message.Offset;
    }

    public Task Leave(string room) => State.Session.LeaveAsync(room, Context.ConnectionAborted);

    /// <summary>
    /// The older form of recovery, for a joined room: the messages after (epoch, sinceOffset), in order (a new epoch:
    /// everything retained), at most the history limit. A joined room this connection is not subscribed to gets
    /// subscribed, without overlap; on a subscribed room the answer may overlap live delivery. New clients use
    /// <see cref="Join"/> with `since`; Resume before Join is refused (history is for members only).
    /// </summary>
    public async Task<IReadOnlyList<ChatMessage>> Resume(string room, string? epoch, long sinceOffset)
    {
        var session = State.Session;
        var since = string.IsNullOrEmpty(epoch) ? null : new RoomPosition(epoch, sinceOffset);
        if (session.IsSubscribed(room))
        {
            return (await session.ReadSinceAsync(room, since, Context.ConnectionAborted)).Messages;
        }

        return (await SubscribeAsync(room, since)).History;
    }

    /// <summary>Jwt mode: a new token of the same user; the connection then lives until it expires.</summary>
    public async Task RefreshToken(string accessToken)
    {
        var validator = services.GetService<JwtTokenValidator>()
            ?? throw new ChatValidationException("This server runs in Anonymous mode: there is no token to refresh.");
        var (user, expiresAt) = await validator.ValidateAsync(accessToken, Context.ConnectionAborted);
        State.Session.Authenticate(user, expiresAt);
    }

    private async Task<(RoomPosition Position, IReadOnlyList<ChatMessage> History)> ReadLatestAsync(IChatSession session, string room)
    {
        var backlog = await session.ReadSinceAsync(room, null, Context.ConnectionAborted);
        return (backlog.Position, backlog.Messages);
    }

    private async Task<(RoomPosition Position, IReadOnlyList<ChatMessage> History)> SubscribeAsync(string room, RoomPosition? since)
    {
        var state = State;
        var listener = new SignalRRoomListener(state.Connection);
        var subscription = await state.Session.SubscribeAsync(room, since, listener, Context.ConnectionAborted);
        var history = listener.EndCapture();
        var position = history.Count > 0 ? new RoomPosition(history[^1].Epoch, history[^1].Offset) : subscription.Position;
        return (position, history);
    }

    private ConnectionState State => (ConnectionState)Context.Items[StateKey]!;

    private sealed record ConnectionState(SignalRClientConnection Connection, IChatSession Session, IDisposable Lease);
}
