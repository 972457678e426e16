using Chat.Contracts;
using Chat.Server.Backplane;
using Chat.Server.Connections;

namespace Chat.Server.Rooms;

/// <summary>The chat of one client connection (see <see cref="IChatSession"/>).</summary>
internal sealed class ChatSession(ChatRooms rooms, IClientConnection connection) : IChatSession
{
    private readonly Lock _lock = new();
    private readonly HashSet<string> _joined = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RoomSubscription> _subscriptions = new(StringComparer.Ordinal);
    private string? _user;
    private bool _disposed;

    public string? User
    {
        get
        {
            lock (_lock)
            {
                return _user;
            }
        }
    }

    public async Task<IReadOnlyList<string>> JoinAsync(string room, string user, CancellationToken cancellationToken = default)
    {
        rooms.Input.Room(room);
        var name = rooms.Input.User(user);
        bool firstJoinHere;
        lock (_lock)
        {
            ThrowIfDisposed();
            if (_user is not null && _user != name)
            {
                throw new ChatValidationException($"This connection is already joined as '{_user}'; it cannot speak as '{name}'.");
            }

            _user = name;
            firstJoinHere = _joined.Add(room);
        }

        if (firstJoinHere)
        {
            try
            {
                await rooms.Presence.AcquireAsync(room, name, cancellationToken);
            }
            catch
            {
                lock (_lock)
                {
                    _joined.Remove(room);
                }

                throw;
            }
        }

        return await rooms.PresenceStore.GetMembersAsync(room, cancellationToken);
    }

    public async Task<RoomSubscription> SubscribeAsync(string room, RoomPosition? since, IRoomListener listener, CancellationToken cancellationToken = default)
    {
        rooms.Input.Room(room);
        if (since is not null)
        {
            rooms.Input.Position(since.Epoch, since.Offset);
        }

        await UnsubscribeAsync(room);
        var subscription = await rooms.Broker.SubscribeAsync(room, since, rooms.Options.JoinHistoryCount, listener, cancellationToken);
        RoomSubscription? replaced;
        lock (_lock)
        {
            if (_disposed)
            {
                replaced = subscription; // The connection ended meanwhile: nobody will dispose it later.
            }
            else
            {
                _subscriptions.Remove(room, out replaced);
                _subscriptions[room] = subscription;
            }
        }

        if (replaced is not null)
        {
            await replaced.DisposeAsync();
        }

        return subscription;
    }

    public bool IsSubscribed(string room)
    {
        lock (_lock)
        {
            return _subscriptions.ContainsKey(room);
        }
    }

    public async Task UnsubscribeAsync(string room)
    {
        RoomSubscription? subscription;
        lock (_lock)
        {
            _subscriptions.Remove(room, out subscription);
        }

        if (subscription is not null)
        {
            await subscription.DisposeAsync();
        }
    }

    public Task<RoomBacklog> ReadSinceAsync(string room, RoomPosition? since, CancellationToken cancellationToken = default)
    {
        rooms.Input.Room(room);
        if (since is not null)
        {
            rooms.Input.Position(since.Epoch, since.Offset);
        }

        return rooms.Broker.ReadSinceAsync(room, since, rooms.Options.JoinHistoryCount, cancellationToken);
    }

    public async Task<ChatMessage> SendAsync(string room, string content, CancellationToken cancellationToken = default)
    {
        rooms.Input.Room(room);
        var text = rooms.Input.Content(content);
        string user;
        lock (_lock)
        {
            if (_user is null || !_joined.Contains(room))
            {
                throw new ChatValidationException($"Join the room '{room}' before sending to it.");
            }

            user = _user;
        }

        var message = await rooms.Broker.PublishAsync(room, MessageType.CHAT, user, text, cancellationToken);
        rooms.Metrics.MessageReceived();
        return message;
    }

    public async Task LeaveAsync(string room, CancellationToken cancellationToken = default)
    {
        rooms.Input.Room(room);
        await UnsubscribeAsync(room);
        string? user;
        lock (_lock)
        {
            user = _joined.Remove(room) ? _user : null;
        }

        if (user is not null)
        {
            await rooms.Presence.ReleaseAsync(room, user, withGrace: false);
        }
    }

    /// <summary>The connection is gone: ends its subscriptions; LEAVE follows after the grace period unless the user came back.</summary>
    public async ValueTask DisposeAsync()
    {
        RoomSubscription[] subscriptions;
        string[] joined;
        string? user;
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            subscriptions = [.. _subscriptions.Values];
            joined = [.. _joined];
            user = _user;
            _subscriptions.Clear();
            _joined.Clear();
        }

        foreach (var subscription in subscriptions)
        {
            await subscription.DisposeAsync();
        }

        foreach (var room in joined)
        {
            await rooms.Presence.ReleaseAsync(room, user!, withGrace: true);
        }
    }

    private void ThrowIfDisposed()
    {
        if (_disposed)
        {
            throw new ChatValidationException($"Connection {connection.Id} has ended.");
        }
    }
}
