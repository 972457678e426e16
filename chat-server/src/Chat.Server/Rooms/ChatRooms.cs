using System.Collections.Concurrent;
using Chat.Server.Connections;
using Chat.Server.Hosting;
using Chat.Contracts;
using Chat.Server.Observability;
using Chat.Server.Presence;
using Microsoft.Extensions.Options;

namespace Chat.Server.Rooms;

/// <summary>The protocol-agnostic chat: identity per connection, validation, subscriptions and presence.</summary>
public sealed class ChatRooms(
    IRoomBroker broker,
    IPresenceStore presenceStore,
    PresenceTracker presence,
    ChatInput input,
    IOptions<ChatOptions> options,
    ChatMetrics metrics) : IChatRooms
{
    private readonly ConcurrentDictionary<string, ConnectionState> _connections = new(StringComparer.Ordinal);
    private readonly int _historyCount = options.Value.JoinHistoryCount;

    public async Task<RoomSubscription> SubscribeAsync(IClientConnection connection, string room, RoomPosition? resumeFrom, IRoomListener listener, CancellationToken cancellationToken = default)
    {
        input.Room(room);
        if (resumeFrom is not null)
        {
            input.Position(resumeFrom.Epoch, resumeFrom.Offset);
        }

        var state = State(connection);
        await UnsubscribeAsync(connection, room);
        var subscription = await broker.SubscribeAsync(room, resumeFrom, _historyCount, listener, cancellationToken);
        RoomSubscription? replaced;
        lock (state)
        {
            state.Subscriptions.TryGetValue(room, out replaced);
            state.Subscriptions[room] = subscription;
        }

        if (replaced is not null)
        {
            await replaced.DisposeAsync();
        }

        return subscription;
    }

    public async Task UnsubscribeAsync(IClientConnection connection, string room)
    {
        if (!_connections.TryGetValue(connection.Id, out var state))
        {
            return;
        }

        RoomSubscription? subscription;
        lock (state)
        {
            state.Subscriptions.Remove(room, out subscription);
        }

        if (subscription is not null)
        {
            await subscription.DisposeAsync();
        }
    }

    public async Task<IReadOnlyList<string>> JoinAsync(IClientConnection connection, string room, string user, CancellationToken cancellationToken = default)
    {
        input.Room(room);
        var name = input.User(user);
        var state = State(connection);
        bool firstJoinHere;
        lock (state)
        {
            if (state.User is not null && state.User != name)
            {
                throw new ChatValidationException($"This connection is already joined as '{state.User}'; it cannot speak as '{name}'.");
            }

            state.User = name;
            connection.User = name;
            firstJoinHere = state.Joined.Add(room);
        }

        if (firstJoinHere)
        {
            try
            {
                await presence.AcquireAsync(room, name, cancellationToken);
            }
            catch
            {
                lock (state)
                {
                    state.Joined.Remove(room);
                }

                throw;
            }
        }

        return await presenceStore.GetMembersAsync(room, cancellationToken);
    }

    public async Task<ChatMessage> SendAsync(IClientConnection connection, string room, string content, CancellationToken cancellationToken = default)
    {
        input.Room(room);
        var text = input.Content(content);
        string user;
        var state = State(connection);
        lock (state)
        {
            if (state.User is null || !state.Joined.Contains(room))
            {
                throw new ChatValidationException($"Join the room '{room}' before sending to it.");
            }

            user = state.User;
        }

        var message = await broker.PublishAsync(room, MessageType.CHAT, user, text, cancellationToken);
        metrics.MessageReceived();
        return message;
    }

    public async Task LeaveAsync(IClientConnection connection, string room, CancellationToken cancellationToken = default)
    {
        input.Room(room);
        await UnsubscribeAsync(connection, room);
        if (!_connections.TryGetValue(connection.Id, out var state))
        {
            return;
        }

        string? user;
        lock (state)
        {
            user = state.Joined.Remove(room) ? state.User : null;
        }

        if (user is not null)
        {
            await presence.ReleaseAsync(room, user, withGrace: false);
        }
    }

    public async Task DisconnectedAsync(IClientConnection connection)
    {
        if (!_connections.TryRemove(connection.Id, out var state))
        {
            return;
        }

        RoomSubscription[] subscriptions;
        string[] joined;
        lock (state)
        {
            subscriptions = state.Subscriptions.Values.ToArray();
            joined = state.Joined.ToArray();
            state.Subscriptions.Clear();
            state.Joined.Clear();
        }

        foreach (var subscription in subscriptions)
        {
            await subscription.DisposeAsync();
        }

        foreach (var room in joined)
        {
            await presence.ReleaseAsync(room, state.User!, withGrace: true);
        }
    }

    public Task<IReadOnlyList<string>> GetMembersAsync(string room, CancellationToken cancellationToken = default) =>
        presenceStore.GetMembersAsync(input.Room(room), cancellationToken);

    private ConnectionState State(IClientConnection connection) =>
        _connections.GetOrAdd(connection.Id, static _ => new ConnectionState());

    private sealed class ConnectionState
    {
        public string? User { get; set; }

        public HashSet<string> Joined { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, RoomSubscription> Subscriptions { get; } = new(StringComparer.Ordinal);
    }
}
