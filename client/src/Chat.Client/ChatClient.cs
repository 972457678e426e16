using System.Diagnostics;
using Chat.Client.Connections;
using Chat.Contracts;

namespace Chat.Client;

/// <summary>
/// A chat client over SignalR or STOMP that stays connected: after any end of its connection (the server's
/// <c>reconnect</c>, a close 1012, a drop, a failed connect) it connects again with a bounded, jittered back-off,
/// joins its rooms again from their last position, and hands the application each message of a room exactly once,
/// in offset order (<see cref="MessageReceived"/>). A gap is recovered by joining again from the position;
/// a message that arrives twice is dropped.
/// </summary>
/// <example>
/// <code>
/// await using var chat = new ChatClient(new ChatClientOptions { BaseUrl = new("http://localhost:8080/"), User = "alice" });
/// chat.MessageReceived += m => Console.WriteLine($"{m.Sender}: {m.Content}");
/// await chat.StartAsync();
/// await chat.JoinAsync("public");
/// await chat.SendAsync("public", "hi");
/// </code>
/// </example>
public sealed class ChatClient : IAsyncDisposable, IConnectionEvents
{
    private readonly ChatClientOptions _options;
    private readonly IChatConnectionFactory _connections;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, RoomStream> _rooms = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _firstConnection = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Action<ChatMessage> _deliver;
    private IChatConnection? _connection;
    private bool _ready;
    private Task _loop = Task.CompletedTask;
    private int _started;
    private int _disposed;
    private volatile ChatClientState _state = ChatClientState.Idle;
    private volatile string? _replica;

    /// <summary>Creates a client; nothing connects before <see cref="StartAsync"/>.</summary>
    /// <exception cref="ArgumentException">A setting is wrong (see <see cref="ChatClientOptions.Validate"/>).</exception>
    public ChatClient(ChatClientOptions options)
        : this(options, ChatConnectionFactory.Instance)
    {
    }

    internal ChatClient(ChatClientOptions options, IChatConnectionFactory connections)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options.Clone();
        // Chosen before the first attempt, not taken from the server's first answer: an attempt whose answer never
        // came (a connect timeout) and its retry present the same secret, so a join the server completed for the
        // first does not hold the name against the second.
        _options.ReconnectSecret ??= Contracts.ReconnectSecret.New();
        _connections = connections;
        _deliver = Deliver;
    }

    /// <summary>Each message of a joined room, exactly once, in offset order per room (a new epoch starts again at 1).</summary>
    public event Action<ChatMessage>? MessageReceived;

    /// <summary>
    /// Every message as it arrived from the server, before ordering and de-duplication (for diagnostics and tests
    /// that check the server: a product shows <see cref="MessageReceived"/>).
    /// </summary>
    public event Action<ChatMessage, ChatMessageOrigin>? MessageArrived;

    /// <summary>A room's members changed (SignalR only; STOMP has no presence events).</summary>
    public event Action<PresenceUpdate>? PresenceChanged;

    /// <summary>The connection state changed; see <see cref="ChatStateChange"/>.</summary>
    public event Action<ChatStateChange>? StateChanged;

    /// <summary>A failure in the background (connects, drops, the server's ERROR, recovery), with the server's reason.</summary>
    public event Action<ChatError>? Error;

    /// <summary>The user name rooms are joined as.</summary>
    public string User => _options.User;

    /// <summary>Anonymous servers: the secret of this client's name (see <see cref="ChatClientOptions.ReconnectSecret"/>).</summary>
    public string? ReconnectSecret => _options.ReconnectSecret;

    /// <summary>The protocol of every connection of this client.</summary>
    public ChatProtocol Protocol => _options.Protocol;

    /// <summary>The current state.</summary>
    public ChatClientState State => _state;

    /// <summary>The replica of the current connection while <see cref="ChatClientState.Connected"/>, else null.</summary>
    public string? Replica => _replica;

    /// <summary>The server's id of the current connection, when the protocol tells it (STOMP's session; SignalR after a negotiate).</summary>
    public string? ConnectionId
    {
        get
        {
            lock (_lock)
            {
                return _ready ? _connection?.ConnectionId : null;
            }
        }
    }

    /// <summary>Tests: a delivery this returns true for is lost on arrival, as if the network had dropped it.</summary>
    internal Func<ChatMessage, bool>? LoseArriving { get; set; }

    /// <summary>
    /// Starts connecting (once) and waits until the first connection is up and every room joined so far is joined.
    /// Connection failures are retried with back-off until the client is disposed; <paramref name="cancellationToken"/>
    /// only ends the wait.
    /// </summary>
    public Task StartAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (Interlocked.Exchange(ref _started, 1) == 0)
        {
            SetState(ChatClientState.Connecting, null, null);
            _loop = Task.Run(() => RunAsync(_stop.Token), CancellationToken.None);
        }

        return _firstConnection.Task.WaitAsync(cancellationToken);
    }

    /// <summary>
    /// Joins a room as <see cref="User"/>, or joins it again; it stays joined across reconnects until
    /// <see cref="LeaveAsync"/>. Completes when it is joined on a connection: before the client is connected, that
    /// is the first connection. Its history comes through <see cref="MessageReceived"/> too.
    /// </summary>
    /// <returns>The server's answer (STOMP: replica and position only, no members).</returns>
    /// <exception cref="ChatServerException">The server refused (bad room or user name, identity, limits).</exception>
    public async Task<JoinResult> JoinAsync(string room, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(room);
        TaskCompletionSource<JoinResult> waiter;
        RoomStream stream;
        IChatConnection? joinNow = null;
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
            if (!_rooms.TryGetValue(room, out stream!))
            {
                _rooms[room] = stream = new RoomStream(room);
            }

            if (stream.Waiter is { } pending)
            {
                waiter = pending;
            }
            else
            {
                waiter = stream.Waiter = new TaskCompletionSource<JoinResult>(TaskCreationOptions.RunContinuationsAsynchronously);
                joinNow = _ready ? _connection : null;
            }
        }

        if (joinNow is not null)
        {
            _ = JoinRoomAsync(joinNow, stream, essential: false, _stop.Token);
        }

        return await waiter.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Sends a chat message to a joined room.</summary>
    /// <returns>The message's offset (SignalR), or null when the server confirmed it without one (a STOMP RECEIPT).</returns>
    /// <exception cref="InvalidOperationException">The room was not joined with this client.</exception>
    /// <exception cref="ChatClientException">Not connected right now (reconnecting), or the connection ended before the server confirmed
    /// (the message may or may not be stored).</exception>
    /// <exception cref="ChatServerException">The server refused (empty, too long, rate limit, store unavailable).</exception>
    /// <exception cref="TimeoutException">STOMP: no RECEIPT within <see cref="ChatClientOptions.SendTimeout"/>; the message may or may not be stored.</exception>
    public async Task<long?> SendAsync(string room, string content, CancellationToken cancellationToken = default)
    {
        IChatConnection connection;
        lock (_lock)
        {
            if (!_rooms.TryGetValue(room, out var stream) || !stream.Joined)
            {
                throw new InvalidOperationException($"Join the room '{room}' before sending to it.");
            }

            connection = _ready && _connection is { } current
                ? current
                : throw new ChatClientException("Not connected right now (reconnecting); try again shortly.");
        }

        try
        {
            return await connection.SendAsync(room, _options.User, content, cancellationToken);
        }
        catch (Exception error) when (error is not (ChatClientException or TimeoutException) && !cancellationToken.IsCancellationRequested)
        {
            // The connection ended under the call (it is being moved or was lost): one kind of "not confirmed".
            throw new ChatClientException("The connection ended before the server confirmed the message: " + error.Message, error);
        }
    }

    /// <summary>Leaves a room: no more messages from it, not joined again on reconnects.</summary>
    public async Task LeaveAsync(string room, CancellationToken cancellationToken = default)
    {
        IChatConnection? connection;
        TaskCompletionSource<JoinResult>? waiter;
        lock (_lock)
        {
            if (!_rooms.Remove(room, out var stream))
            {
                return;
            }

            waiter = stream.Waiter;
            connection = _ready ? _connection : null;
        }

        waiter?.TrySetException(new ChatClientException($"Left the room '{room}' before it was joined."));
        if (connection is not null)
        {
            await connection.LeaveAsync(room, cancellationToken);
        }
    }

    /// <summary>Where the client is in a room: the epoch and offset of the last message handed over (null: none yet).</summary>
    public RoomPosition? GetPosition(string room)
    {
        lock (_lock)
        {
            return _rooms.TryGetValue(room, out var stream) ? stream.Position : null;
        }
    }

    /// <summary>Closes the connection and stops reconnecting.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stop.CancelAsync();
        await _loop;
        TaskCompletionSource<JoinResult>[] waiters;
        lock (_lock)
        {
            waiters = [.. _rooms.Values.Select(r => r.Waiter).OfType<TaskCompletionSource<JoinResult>>()];
        }

        foreach (var waiter in waiters)
        {
            waiter.TrySetException(new ObjectDisposedException(nameof(ChatClient)));
        }

        _firstConnection.TrySetCanceled();
        SetState(ChatClientState.Stopped, null, null);
        _stop.Dispose();
    }

    void IConnectionEvents.OnMessage(IChatConnection connection, ChatMessage message, MessageOrigin origin)
    {
        RoomStream? stream;
        bool gap, notRetained;
        lock (_lock)
        {
            if (connection != _connection || LoseArriving?.Invoke(message) == true)
            {
                return;
            }

            MessageArrived?.Invoke(message, origin == MessageOrigin.Backlog ? ChatMessageOrigin.Recovered : ChatMessageOrigin.Live);
            if (!_rooms.TryGetValue(message.Room, out stream) || stream.JoinedOn != connection)
            {
                return;
            }

            gap = !stream.Offer(message, origin, _deliver, out notRetained);
        }

        if (notRetained)
        {
            ReportNotRetained(message.Room);
        }

        if (gap)
        {
            Recover(connection, stream);
        }
    }

    void IConnectionEvents.OnPresence(IChatConnection connection, PresenceUpdate update)
    {
        if (connection == Volatile.Read(ref _connection))
        {
            PresenceChanged?.Invoke(update);
        }
    }

    void IConnectionEvents.OnServerError(IChatConnection connection, string reason) =>
        RaiseError(ChatErrorKind.ServerError, reason, new ChatServerException(reason));

    private void Deliver(ChatMessage message) => MessageReceived?.Invoke(message);

    /// <summary>One connection after another until disposed; each joins every room before it counts as connected.</summary>
    private async Task RunAsync(CancellationToken stop)
    {
        var failures = 0;
        while (!stop.IsCancellationRequested)
        {
            var connection = _connections.Create(_options, _options.NextBaseUrl(), this);
            lock (_lock)
            {
                (_connection, _ready) = (connection, false);
            }

            try
            {
                var end = await OpenAsync(connection, stop);
                long? opened = null;
                if (end is null)
                {
                    opened = Stopwatch.GetTimestamp();
                    SetState(ChatClientState.Connected, connection.Replica, null);
                    _firstConnection.TrySetResult();
                    end = await WhileFreshAsync(connection, stop);
                }

                lock (_lock)
                {
                    _ready = false;
                }

                failures = opened is { } since
                    ? ReconnectBackoff.FailuresAfterSession(failures, end.Moved, Stopwatch.GetElapsedTime(since))
                    : end.Moved ? 0 : failures + 1;
                if (end.Moved)
                {
                    SetState(ChatClientState.Moved, connection.Replica, end.Reason);
                }
                else
                {
                    SetState(ChatClientState.Reconnecting, null, end.Reason);
                    RaiseError(opened is null ? ChatErrorKind.ConnectFailed : ChatErrorKind.ConnectionLost, end.Reason ?? "The connection was lost.", end.Error);
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                break;
            }
            catch (Exception error)
            {
                failures++;
                var reason = error is ChatServerException refused ? refused.Reason : error.Message;
                SetState(ChatClientState.Reconnecting, null, reason);
                RaiseError(ChatErrorKind.ConnectFailed, reason, error);
            }
            finally
            {
                lock (_lock)
                {
                    if (_connection == connection)
                    {
                        (_connection, _ready) = (null, false);
                    }
                }

                await DisposeQuietlyAsync(connection);
            }

            try
            {
                await Task.Delay(ReconnectBackoff.Delay(failures, _options.MinReconnectDelay, _options.MaxReconnectDelay), stop);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    /// <summary>Waits for the connection's end, refreshing its token in band meanwhile (Jwt servers).</summary>
    private async Task<ConnectionEnd> WhileFreshAsync(IChatConnection connection, CancellationToken stop)
    {
        if (_options.AccessTokenProvider is not { } provider)
        {
            return await connection.Ended.WaitAsync(stop);
        }

        using var refreshing = CancellationTokenSource.CreateLinkedTokenSource(stop);
        var refresher = TokenRefresh.KeepFreshAsync(connection, provider, TimeProvider.System, async error =>
        {
            var reason = error is ChatServerException refused ? refused.Reason : error.Message;
            RaiseError(ChatErrorKind.TokenRefresh, "The token refresh failed, reconnecting: " + reason, error);
            await DisposeQuietlyAsync(connection);
        }, refreshing.Token);
        try
        {
            return await connection.Ended.WaitAsync(stop);
        }
        finally
        {
            await refreshing.CancelAsync();
            await refresher;
        }
    }

    /// <summary>Connects and joins every room, bounded by the connect timeout; the end instead when the connection ended first (a move).</summary>
    private async Task<ConnectionEnd?> OpenAsync(IChatConnection connection, CancellationToken stop)
    {
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(stop);
        attempt.CancelAfter(_options.ConnectTimeout);
        var session = OpenSessionAsync(connection, attempt.Token);
        await Task.WhenAny(session, connection.Ended);
        if (session.IsCompletedSuccessfully)
        {
            return null;
        }

        // A connection that ended (moved before its session began, or closed) says why better than the failed call.
        if (connection.Ended.IsCompleted && (connection.Ended.Result.Moved || !session.IsCompleted))
        {
            await attempt.CancelAsync();
            _ = session.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            return connection.Ended.Result;
        }

        await session;
        return null;
    }

    private async Task OpenSessionAsync(IChatConnection connection, CancellationToken cancellationToken)
    {
        await connection.ConnectAsync(cancellationToken);
        while (true)
        {
            List<RoomStream> pending;
            lock (_lock)
            {
                pending = [.. _rooms.Values.Where(r => (r.Joined || r.Waiter is not null) && r.JoinedOn != connection)];
                if (pending.Count == 0)
                {
                    _ready = true;
                    return;
                }
            }

            foreach (var stream in pending)
            {
                await JoinRoomAsync(connection, stream, essential: true, cancellationToken);
            }
        }
    }

    /// <summary>
    /// Joins the room on the connection from its position. An essential join (part of opening a connection) throws
    /// so that the connection is given up; otherwise a failure ends the connection and the next one joins again.
    /// </summary>
    private async Task JoinRoomAsync(IChatConnection connection, RoomStream stream, bool essential, CancellationToken cancellationToken)
    {
        RoomPosition? since;
        lock (_lock)
        {
            if (connection != _connection)
            {
                return;
            }

            stream.BeginJoin(connection);
            since = stream.Position;
        }

        JoinResult result;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(_options.ConnectTimeout);
            result = await connection.JoinAsync(stream.Room, _options.User, since, timeout.Token);
        }
        catch (ChatServerException refused) when (!stream.Joined)
        {
            TaskCompletionSource<JoinResult>? waiter;
            lock (_lock)
            {
                stream.AbandonJoin();
                waiter = stream.Waiter;
                stream.Waiter = null;
                if (_rooms.TryGetValue(stream.Room, out var current) && current == stream)
                {
                    _rooms.Remove(stream.Room);
                }
            }

            waiter?.TrySetException(refused);
            return;
        }
        catch (Exception error) when (!essential)
        {
            lock (_lock)
            {
                stream.AbandonJoin();
            }

            RaiseError(ChatErrorKind.Recovery, $"Joining '{stream.Room}' failed, reconnecting: {error.Message}", error);
            await DisposeQuietlyAsync(connection);
            return;
        }

        TaskCompletionSource<JoinResult>? joined;
        JoinResult answer;
        bool complete, notRetained;
        lock (_lock)
        {
            if (connection != _connection || stream.JoinedOn != connection)
            {
                return;
            }

            if (!connection.DeliversBacklogInOrder && MessageArrived is { } arrived)
            {
                foreach (var message in result.History)
                {
                    arrived(message, ChatMessageOrigin.Recovered);
                }
            }

            complete = stream.CompleteJoin(result, _deliver, out notRetained);
            // STOMP answers a join without a position when nothing came back: the room's position stands in for it.
            answer = result.Epoch.Length == 0 && stream.Epoch is { } epoch ? result with { Epoch = epoch, Offset = stream.Offset } : result;
            joined = stream.Waiter;
            stream.Waiter = null;
        }

        joined?.TrySetResult(answer);
        if (notRetained)
        {
            ReportNotRetained(stream.Room);
        }

        if (!complete)
        {
            Recover(connection, stream);
        }
    }

    /// <summary>A gap: join the room again on the same connection from the last position handed over.</summary>
    private void Recover(IChatConnection connection, RoomStream stream)
    {
        lock (_lock)
        {
            if (stream.Recovering || connection != _connection)
            {
                return;
            }

            stream.Recovering = true;
        }

        _ = JoinRoomAsync(connection, stream, essential: false, _stop.Token);
    }

    private void ReportNotRetained(string room) =>
        RaiseError(ChatErrorKind.Recovery, $"Some messages of '{room}' missed while away are no longer retained by the server.");

    private void SetState(ChatClientState state, string? replica, string? reason)
    {
        _replica = state == ChatClientState.Connected ? replica : null;
        _state = state;
        StateChanged?.Invoke(new ChatStateChange(state, replica, reason));
    }

    private void RaiseError(ChatErrorKind kind, string message, Exception? exception = null) =>
        Error?.Invoke(new ChatError(kind, message, exception));

    private static async Task DisposeQuietlyAsync(IChatConnection connection)
    {
        try
        {
            await connection.DisposeAsync();
        }
        catch (Exception)
        {
            // Closing a connection that already failed.
        }
    }
}
