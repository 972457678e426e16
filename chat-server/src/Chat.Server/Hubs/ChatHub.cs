using Chat.Server.Connections;
using Chat.Server.Hosting;
using Chat.Contracts;
using Chat.Server.Observability;
using Chat.Server.Rooms;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace Chat.Server.Hubs;

/// <summary>
/// The SignalR adapter of <see cref="IChatRooms"/> at `/hub/chat`.
/// Client → server: Join(room, user), Send(room, content), Leave(room), Resume(room, epoch, sinceOffset).
/// Server → client: message(Message), presence({room, members}), reconnect({reason}).
/// </summary>
public sealed class ChatHub(
    IChatRooms rooms,
    IRoomBroker broker,
    ChatInput input,
    ConnectionRegistry registry,
    IHubContext<ChatHub> hubContext,
    IOptions<ChatOptions> options,
    ChatMetrics metrics,
    TimeProvider time,
    ILogger<ChatHub> logger) : Hub
{
    private const string ConnectionKey = "chat.connection";

    /// <summary>The SignalR group a room's presence updates go to (through the backplane); never used for room messages.</summary>
    public static string PresenceGroup(string room) => "presence:" + room;

    public override Task OnConnectedAsync()
    {
        var connection = new SignalRClientConnection(Context, hubContext, options.Value.OutgoingQueueLength, metrics, logger, time.GetUtcNow());
        Context.Items[ConnectionKey] = connection;
        registry.Add(connection);
        connection.Start();
        return Task.CompletedTask;
    }

    public override async Task OnDisconnectedAsync(Exception? exception)
    {
        var connection = Connection;
        registry.Remove(connection);
        await connection.StopAsync();
        await rooms.DisconnectedAsync(connection);
    }

    public async Task<JoinResult> Join(string room, string user)
    {
        var connection = Connection;
        var members = await rooms.JoinAsync(connection, room, user, Context.ConnectionAborted);
        var backlog = connection.IsSubscribed(room)
            ? await broker.ReadSinceAsync(room, null, options.Value.JoinHistoryCount, Context.ConnectionAborted)
            : await SubscribeAsync(connection, room, null);
        await Groups.AddToGroupAsync(Context.ConnectionId, PresenceGroup(room), Context.ConnectionAborted);
        return new JoinResult(room, options.Value.ReplicaId, backlog.Position.Epoch, backlog.Position.Offset, backlog.Messages, members);
    }

    public async Task<long> Send(string room, string content)
    {
        var message = await rooms.SendAsync(Connection, room, content, Context.ConnectionAborted);
        return message.Offset;
    }

    public async Task Leave(string room)
    {
        var connection = Connection;
        await rooms.LeaveAsync(connection, room, Context.ConnectionAborted);
        connection.SetSubscribed(room, false);
        await Groups.RemoveFromGroupAsync(Context.ConnectionId, PresenceGroup(room));
    }

    /// <summary>
    /// The messages after (epoch, sinceOffset), in order; the whole retained history when the room's epoch changed.
    /// Subscribes the connection to the room when it is not yet, so live messages follow without a gap.
    /// </summary>
    public async Task<IReadOnlyList<ChatMessage>> Resume(string room, string? epoch, long sinceOffset)
    {
        var connection = Connection;
        input.Room(room);
        var position = input.Position(epoch, sinceOffset);
        var backlog = connection.IsSubscribed(room)
            ? await broker.ReadSinceAsync(room, position, options.Value.JoinHistoryCount, Context.ConnectionAborted)
            : await SubscribeAsync(connection, room, position);
        return backlog.Messages;
    }

    private async Task<RoomBacklog> SubscribeAsync(SignalRClientConnection connection, string room, RoomPosition? position)
    {
        var subscription = await rooms.SubscribeAsync(connection, room, position, connection, Context.ConnectionAborted);
        connection.SetSubscribed(room, true);
        return subscription.Backlog;
    }

    private SignalRClientConnection Connection => (SignalRClientConnection)Context.Items[ConnectionKey]!;
}
