using System.Security.Claims;
using Chat.Contracts;
using Chat.Server.Backplane;
using Chat.Server.Connections;
using Chat.Server.Identity;

namespace Chat.Server.Rooms;

/// <summary>The chat of one client connection (see <see cref="IChatSession"/>).</summary>
internal sealed class ChatSession(ChatRooms rooms, IClientConnection connection, ChatCaller caller) : IChatSession
{
    private readonly Lock _lock = new();
    private readonly HashSet<string> _joined = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RoomSubscription> _subscriptions = new(StringComparer.Ordinal);
    private string? _user;
    private NameClaim? _claim;
    private string? _secret;
    private ITimer? _expiry;
    private bool _disposed;

    public ChatCaller Caller => caller;

    private bool Anonymous => rooms.Auth.Mode == AuthMode.Anonymous;

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

    public string? ReconnectSecret
    {
        get
        {
            lock (_lock)
            {
                return _secret;
            }
        }
    }

    public string? PrepareReconnectSecret(string? presented)
    {
        if (!Anonymous)
        {
            return null;
        }

        var checkedSecret = ReconnectSecrets.Presented(presented);
        lock (_lock)
        {
            if (_user is null)
            {
                _secret = checkedSecret ?? _secret ?? Contracts.ReconnectSecret.New();
            }

            return _secret;
        }
    }

    public void Authenticate(ClaimsPrincipal user, DateTimeOffset expiresAt)
    {
        var name = NameOf(user);
        lock (_lock)
        {
            ThrowIfDisposed();
            if (caller.User is { } current && NameOf(current) != name)
            {
                throw new ChatAccessDeniedException($"The new token is for '{name}', this connection is '{NameOf(current)}': a refresh must be for the same user.");
            }

            caller.User = user;
            caller.ExpiresAt = expiresAt;
            _expiry?.Dispose();
            _expiry = null;
        }

        StartExpiryTimer();
    }

    /// <summary>Jwt mode: the token that authenticated the connection (at connect) is watched from the first call on.</summary>
    private void StartExpiryTimer()
    {
        lock (_lock)
        {
            if (_disposed || _expiry is not null || caller.ExpiresAt is not { } expiresAt)
            {
                return;
            }

            var due = expiresAt - rooms.Time.GetUtcNow();
            _expiry = rooms.Time.CreateTimer(_ => _ = ExpireAsync(expiresAt), null, due < TimeSpan.Zero ? TimeSpan.Zero : due, Timeout.InfiniteTimeSpan);
        }
    }

    private async Task ExpireAsync(DateTimeOffset expiresAt)
    {
        lock (_lock)
        {
            if (_disposed || caller.ExpiresAt != expiresAt)
            {
                return; // Refreshed meanwhile.
            }
        }

        var expired = new ChatTokenExpiredException(expiresAt);
        rooms.Metrics.Error(expired.Kind);
        try
        {
            await connection.EndAsync(expired);
        }
        catch (Exception e)
        {
            rooms.Logger.LogDebug(e, "Ending connection {Id} at token expiry failed", connection.Id);
        }
    }

    public async Task<IReadOnlyList<string>> JoinAsync(string room, string? user, string? secret = null, CancellationToken cancellationToken = default)
    {
        rooms.Input.Room(room);
        var name = ResolveName(user, room);
        NameClaim? claim = null;
        bool firstJoinHere;
        lock (_lock)
        {
            ThrowIfDisposed();
            if (_user is not null && _user != name.Display)
            {
                throw new ChatValidationException($"This connection is already joined as '{_user}'; it cannot speak as '{name.Display}'.");
            }

            if (!_joined.Contains(room) && _joined.Count >= rooms.Limits.Options.RoomsPerConnection)
            {
                throw new ChatLimitException(ChatErrorKinds.RoomLimit,
                    $"Too many rooms: a connection may be in at most {rooms.Limits.Options.RoomsPerConnection}; leave one first.");
            }

            if (Anonymous)
            {
                if (_user is null)
                {
                    _secret = ReconnectSecrets.Presented(secret) ?? _secret ?? Contracts.ReconnectSecret.New();
                }

                claim = _claim ?? NameClaim.For(name, _secret!);
            }

            firstJoinHere = _joined.Add(room);
        }

        if (firstJoinHere)
        {
            try
            {
                await rooms.Presence.AcquireAsync(room, name.Display, claim, cancellationToken);
            }
            catch
            {
                lock (_lock)
                {
                    _joined.Remove(room);
                }

                throw;
            }

            lock (_lock)
            {
                _user ??= name.Display;
                _claim ??= claim;
            }
        }

        StartExpiryTimer();
        return await rooms.PresenceStore.GetMembersAsync(room, cancellationToken);
    }

    public bool IsJoined(string room)
    {
        rooms.Input.Room(room);
        lock (_lock)
        {
            return _joined.Contains(room);
        }
    }

    public async Task<RoomSubscription> SubscribeAsync(string room, RoomPosition? since, IRoomListener listener, CancellationToken cancellationToken = default)
    {
        var position = ReadRequest(room, since, "subscribing to it");
        await UnsubscribeAsync(room);
        var subscription = await rooms.Broker.SubscribeAsync(room, position, HistoryLimit(position), listener, cancellationToken);
        RoomSubscription? replaced;
        lock (_lock)
        {
            if (_disposed || !_joined.Contains(room))
            {
                replaced = subscription; // The connection ended or left meanwhile: nobody will dispose it later.
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
        var position = ReadRequest(room, since, "reading its history");
        return rooms.Broker.ReadSinceAsync(room, position, HistoryLimit(position), cancellationToken);
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

        rooms.Limits.Message(caller.Address);
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
            _expiry?.Dispose();
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

    /// <summary>The name to join as: the token's (Jwt mode, and only in granted rooms) or the client's, normalised.</summary>
    private UserName ResolveName(string? requested, string room)
    {
        if (Anonymous)
        {
            return UserNames.Normalize(requested, rooms.Options.MaxNameLength);
        }

        var user = caller.User ?? throw new ChatAccessDeniedException("Authentication required: connect with an access token.");
        if (caller.ExpiresAt is { } expiresAt && expiresAt <= rooms.Time.GetUtcNow())
        {
            throw new ChatTokenExpiredException(expiresAt);
        }

        if (!rooms.Authorizer.MayJoin(user, room))
        {
            throw new ChatAccessDeniedException($"Your token does not grant the room '{room}'.");
        }

        var name = rooms.Input.User(NameOf(user));
        return new UserName(name, name);
    }

    private string NameOf(ClaimsPrincipal user) =>
        rooms.Auth.Jwt.NameClaimsOrDefault.Select(c => user.FindFirst(c)?.Value).FirstOrDefault(v => !string.IsNullOrWhiteSpace(v))
        ?? throw new ChatAccessDeniedException($"The token has none of the name claims ({string.Join(", ", rooms.Auth.Jwt.NameClaimsOrDefault)}).");

    /// <summary>A read of a room's history: checked input, membership and the address's history-read rate.</summary>
    private RoomPosition? ReadRequest(string room, RoomPosition? since, string what)
    {
        rooms.Input.Room(room);
        var position = since is null ? null : rooms.Input.Position(since.Epoch, since.Offset);
        if (!IsJoined(room))
        {
            throw new ChatNotMemberException(room, what);
        }

        rooms.Limits.HistoryRead(caller.Address);
        return position;
    }

    private int HistoryLimit(RoomPosition? since) =>
        since is null ? rooms.Options.JoinHistoryCount : rooms.Limits.Options.MaxHistoryMessages;

    private void ThrowIfDisposed()
    {
        if (_disposed)
        {
            throw new ChatValidationException($"Connection {connection.Id} has ended.");
        }
    }
}
