using System.Buffers;
using System.Globalization;
using System.Net.WebSockets;
using System.Text.Json;
using Chat.Contracts;
using Chat.Stomp;

namespace Chat.Client.Connections;

/// <summary>
/// One STOMP 1.2 connection to <c>/ws</c> over a <see cref="ClientWebSocket"/>, framed by Chat.Stomp: a room is a
/// SUBSCRIBE (with <c>x-epoch</c>/<c>x-since-offset</c> to recover) plus <c>chat.addUser</c>, a send waits for
/// its RECEIPT, close 1012 is a move. Idle connections hold no receive buffer (zero-byte reads), heart-beats
/// come from one shared timer.
/// </summary>
internal sealed class StompChatConnection : IChatConnection
{
    private const int ReceiveChunk = 4096;
    private static readonly StompFrameParser Parser = new(new StompFrameLimits(4 * 1024 * 1024, 1000, 64 * 1024));
    private static readonly ReadOnlyMemory<byte> HeartBeatBytes = "\n"u8.ToArray();

    private readonly ChatClientOptions _options;
    private readonly Uri _baseUrl;
    private readonly IConnectionEvents _events;
    private readonly ClientWebSocket _socket;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly Lock _lock = new();
    private readonly Dictionary<string, TaskCompletionSource> _receipts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Subscription> _subscriptionsById = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Subscription> _subscriptionsByRoom = new(StringComparer.Ordinal);
    private readonly HashSet<string> _announced = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource<ConnectionEnd> _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<StompFrame> _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _reader = Task.CompletedTask;
    private long _nextId;
    private bool _escape = true;
    private long _lastSent = Environment.TickCount64;
    private long _lastReceived = Environment.TickCount64;
    private long _sendEvery;
    private long _expectEvery;
    private string? _serverError;
    private bool _closed;
    private int _disposed;

    public StompChatConnection(ChatClientOptions options, Uri baseUrl, IConnectionEvents events)
    {
        _options = options;
        _baseUrl = baseUrl;
        _events = events;
        _socket = ChatHttp.CreateWebSocket(options);
        foreach (var subProtocol in StompVersion.SubProtocols)
        {
            _socket.Options.AddSubProtocol(subProtocol);
        }
    }

    public string? Replica { get; private set; }

    public string? ConnectionId { get; private set; }

    public bool DeliversBacklogInOrder => true;

    public Task<ConnectionEnd> Ended => _ended.Task;

    public async Task ConnectAsync(CancellationToken cancellationToken)
    {
        await ChatHttp.ConnectAsync(_socket, ChatHttp.WebSocketUri(_baseUrl, ChatStompProtocol.Path), _options, cancellationToken);
        Replica = ChatHttp.TakeReplica(_socket);
        _reader = Task.Run(ReadLoopAsync, CancellationToken.None);

        var heartBeat = ((long)_options.StompHeartBeat.TotalMilliseconds).ToString(CultureInfo.InvariantCulture);
        var token = AccessToken = _options.AccessTokenProvider is { } provider ? await provider(cancellationToken) : null;
        var secret = _options.ReconnectSecret;
        await WriteAsync(output =>
        {
            StompFrameWriter.WriteCommand(output, StompCommand.Connect);
            StompFrameWriter.WriteHeader(output, StompHeaders.AcceptVersion, "1.2,1.1,1.0", escape: false);
            StompFrameWriter.WriteHeader(output, StompHeaders.Host, _options.HostHeader ?? _baseUrl.Host, escape: false);
            StompFrameWriter.WriteHeader(output, StompHeaders.HeartBeat, heartBeat + "," + heartBeat, escape: false);
            if (token is not null)
            {
                StompFrameWriter.WriteHeader(output, "Authorization", "Bearer " + token, escape: false);
            }

            if (secret is not null)
            {
                StompFrameWriter.WriteHeader(output, ChatStompProtocol.ReconnectSecret, secret, escape: false);
            }

            StompFrameWriter.WriteBody(output, default);
        }, cancellationToken);

        var connected = await _connected.Task.WaitAsync(cancellationToken);
        ConnectionId = connected[StompHeaders.Session];
        if (connected[ChatStompProtocol.ReconnectSecret] is { } kept)
        {
            _options.ReconnectSecret = kept;
        }

        _escape = connected[StompHeaders.Version] is not StompVersion.V10;
        var offer = (int)_options.StompHeartBeat.TotalMilliseconds;
        var (serverSends, serverWants) = StompHeartBeat.Parse(connected[StompHeaders.HeartBeat]);
        // Negotiate is written from the server's side: what it expects from us is what we send.
        var agreed = StompHeartBeat.Negotiate((offer, offer), serverSends, serverWants);
        _sendEvery = (long)agreed.ExpectEvery.TotalMilliseconds;
        _expectEvery = (long)agreed.SendEvery.TotalMilliseconds;
        if (_sendEvery > 0 || _expectEvery > 0)
        {
            StompHeartBeats.Register(this);
        }
    }

    public async Task<JoinResult> JoinAsync(string room, string user, RoomPosition? since, CancellationToken cancellationToken)
    {
        Subscription subscription;
        Subscription? replaced;
        bool announce;
        lock (_lock)
        {
            // The new id takes over at once: MESSAGE frames still on their way for the old one are dropped.
            subscription = new Subscription(room, "sub-" + (++_nextId).ToString(CultureInfo.InvariantCulture));
            _subscriptionsByRoom.Remove(room, out replaced);
            if (replaced is not null)
            {
                _subscriptionsById.Remove(replaced.Id);
            }

            _subscriptionsByRoom[room] = subscription;
            _subscriptionsById[subscription.Id] = subscription;
            announce = _announced.Add(room);
        }

        var subscribed = Expect(subscription.Id);
        var announceReceipt = announce ? "user-" + subscription.Id : null;
        var announced = announceReceipt is null ? Task.CompletedTask : Expect(announceReceipt);
        await WriteAsync(output =>
        {
            if (replaced is not null)
            {
                StompFrameWriter.WriteCommand(output, StompCommand.Unsubscribe);
                StompFrameWriter.WriteHeader(output, StompHeaders.Id, replaced.Id, _escape);
                StompFrameWriter.WriteBody(output, default);
            }

            StompFrameWriter.WriteCommand(output, StompCommand.Subscribe);
            StompFrameWriter.WriteHeader(output, StompHeaders.Id, subscription.Id, _escape);
            StompFrameWriter.WriteHeader(output, StompHeaders.Destination, StompDestination.TopicOf(room), _escape);
            if (since is not null)
            {
                StompFrameWriter.WriteHeader(output, ChatStompProtocol.Epoch, since.Epoch, _escape);
                StompFrameWriter.WriteHeader(output, ChatStompProtocol.SinceOffset, since.Offset.ToString(CultureInfo.InvariantCulture), _escape);
            }

            StompFrameWriter.WriteHeader(output, StompHeaders.Receipt, subscription.Id, _escape);
            StompFrameWriter.WriteBody(output, default);
            if (announceReceipt is not null)
            {
                WriteChatSend(output, StompDestination.AddUserOf(room), new StompChatBody(user, null, nameof(MessageType.JOIN)), announceReceipt);
            }
        }, cancellationToken);

        await Task.WhenAll(subscribed, announced).WaitAsync(cancellationToken);
        IReadOnlyList<ChatMessage> history;
        lock (_lock)
        {
            history = subscription.TakeBacklog();
        }

        var last = history.Count > 0 ? history[^1] : null;
        return new JoinResult(room, Replica ?? "", last?.Epoch ?? since?.Epoch ?? "", last?.Offset ?? since?.Offset ?? 0, history, []);
    }

    public async Task<long?> SendAsync(string room, string user, string content, CancellationToken cancellationToken)
    {
        var receipt = "m-" + Interlocked.Increment(ref _nextId).ToString(CultureInfo.InvariantCulture);
        var confirmed = Expect(receipt);
        try
        {
            await WriteAsync(output => WriteChatSend(output, StompDestination.SendMessageOf(room), new StompChatBody(user, content, nameof(MessageType.CHAT)), receipt),
                cancellationToken);
            await confirmed.WaitAsync(_options.SendTimeout, cancellationToken);
            return null;
        }
        finally
        {
            lock (_lock)
            {
                _receipts.Remove(receipt);
            }
        }
    }

    public string? AccessToken { get; private set; }

    /// <summary>SEND to <c>/app/token.refresh</c> with the new token; a refusal is an ERROR (and the server closes).</summary>
    public async Task RefreshTokenAsync(string token, CancellationToken cancellationToken)
    {
        var receipt = "token-" + Interlocked.Increment(ref _nextId).ToString(CultureInfo.InvariantCulture);
        var confirmed = Expect(receipt);
        await WriteAsync(output =>
        {
            StompFrameWriter.WriteCommand(output, StompCommand.Send);
            StompFrameWriter.WriteHeader(output, StompHeaders.Destination, ChatStompProtocol.TokenRefreshDestination, _escape);
            StompFrameWriter.WriteHeader(output, "Authorization", "Bearer " + token, _escape);
            StompFrameWriter.WriteHeader(output, StompHeaders.Receipt, receipt, _escape);
            StompFrameWriter.WriteBody(output, default);
        }, cancellationToken);
        await confirmed.WaitAsync(_options.SendTimeout, cancellationToken);
        AccessToken = token;
    }

    public async Task LeaveAsync(string room, CancellationToken cancellationToken)
    {
        Subscription? subscription;
        lock (_lock)
        {
            if (_subscriptionsByRoom.Remove(room, out subscription))
            {
                _subscriptionsById.Remove(subscription.Id);
            }
        }

        if (subscription is null)
        {
            return;
        }

        var receipt = "leave-" + subscription.Id;
        var done = Expect(receipt);
        await WriteAsync(output =>
        {
            StompFrameWriter.WriteCommand(output, StompCommand.Unsubscribe);
            StompFrameWriter.WriteHeader(output, StompHeaders.Id, subscription.Id, _escape);
            StompFrameWriter.WriteHeader(output, StompHeaders.Receipt, receipt, _escape);
            StompFrameWriter.WriteBody(output, default);
        }, cancellationToken);
        await done.WaitAsync(_options.SendTimeout, cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            await _ended.Task;
            return;
        }

        StompHeartBeats.Unregister(this);
        if (_socket.State == WebSocketState.Open)
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", timeout.Token);
            }
            catch (Exception error) when (error is WebSocketException or OperationCanceledException or ObjectDisposedException)
            {
                // The peer went away first.
            }
        }

        if (await Task.WhenAny(_reader, Task.Delay(TimeSpan.FromSeconds(2))) != _reader)
        {
            _socket.Abort();
        }

        await _reader;
        End(new ConnectionEnd(false, "closed by the client", null));
        _socket.Dispose();
    }

    /// <summary>From the shared heart-beat timer: sends a due heart-beat; aborts when the server has been silent too long.</summary>
    internal void OnHeartBeatTick(long now, long tick)
    {
        if (_expectEvery > 0 && now - Volatile.Read(ref _lastReceived) > (2 * _expectEvery) + tick)
        {
            _serverError ??= $"no data nor heart-beat from the server for {2 * _expectEvery} ms";
            _socket.Abort();
            return;
        }

        if (_sendEvery > 0 && now - Volatile.Read(ref _lastSent) >= _sendEvery - tick && _sendLock.Wait(0))
        {
            _ = SendHeartBeatAsync();
        }
    }

    private async Task SendHeartBeatAsync()
    {
        try
        {
            await _socket.SendAsync(HeartBeatBytes, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
            Volatile.Write(ref _lastSent, Environment.TickCount64);
        }
        catch (Exception error) when (error is WebSocketException or ObjectDisposedException or OperationCanceledException)
        {
            // The receive loop reports the end of the connection.
        }
        finally
        {
            _sendLock.Release();
        }
    }

    private Task Expect(string receipt)
    {
        var pending = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            if (_closed)
            {
                pending.TrySetException(ClosedBeforeReceipt());
            }
            else
            {
                _receipts[receipt] = pending;
            }
        }

        return pending.Task;
    }

    private void WriteChatSend(IBufferWriter<byte> output, string destination, StompChatBody body, string receipt)
    {
        using var json = new PooledBufferWriter(256);
        using (var writer = new Utf8JsonWriter(json))
        {
            JsonSerializer.Serialize(writer, body, ChatJson.Options);
        }

        StompFrameWriter.WriteCommand(output, StompCommand.Send);
        StompFrameWriter.WriteHeader(output, StompHeaders.Destination, destination, _escape);
        StompFrameWriter.WriteHeader(output, StompHeaders.ContentType, "application/json", _escape);
        StompFrameWriter.WriteHeader(output, StompHeaders.Receipt, receipt, _escape);
        StompFrameWriter.WriteBody(output, json.WrittenSpan);
    }

    private async Task WriteAsync(Action<IBufferWriter<byte>> write, CancellationToken cancellationToken)
    {
        using var frame = new PooledBufferWriter();
        write(frame);
        await _sendLock.WaitAsync(cancellationToken);
        try
        {
            await _socket.SendAsync(frame.WrittenMemory, WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
            Volatile.Write(ref _lastSent, Environment.TickCount64);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>
    /// Waits for data with a zero-byte read, so that an idle connection holds no buffer; then reads whole WebSocket
    /// messages into a rented buffer and parses the frames in it (a frame may span messages).
    /// </summary>
    private async Task ReadLoopAsync()
    {
        byte[]? buffer = null;
        var filled = 0;
        Exception? failure = null;
        try
        {
            while (true)
            {
                if (filled == 0)
                {
                    var ready = await _socket.ReceiveAsync(Memory<byte>.Empty, CancellationToken.None);
                    if (ready.MessageType == WebSocketMessageType.Close)
                    {
                        break;
                    }
                }

                buffer ??= ArrayPool<byte>.Shared.Rent(ReceiveChunk);
                if (buffer.Length - filled < ReceiveChunk / 2)
                {
                    var larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    buffer.AsSpan(0, filled).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                var received = await _socket.ReceiveAsync(buffer.AsMemory(filled), CancellationToken.None);
                if (received.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }

                filled += received.Count;
                Volatile.Write(ref _lastReceived, Environment.TickCount64);
                var consumed = Parse(buffer.AsMemory(0, filled));
                buffer.AsSpan(consumed, filled - consumed).CopyTo(buffer);
                filled -= consumed;
                if (filled == 0)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = null;
                }
            }
        }
        catch (Exception error)
        {
            failure = error;
        }
        finally
        {
            if (buffer is not null)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }

        StompHeartBeats.Unregister(this);
        if (_socket.CloseStatus == (WebSocketCloseStatus)ChatStompProtocol.ServiceRestartCloseStatus)
        {
            End(new ConnectionEnd(true, string.IsNullOrEmpty(_socket.CloseStatusDescription) ? "moved by the server" : _socket.CloseStatusDescription, null));
            return;
        }

        var reason = _serverError
            ?? (failure is not null ? failure.Message : $"closed by the server ({_socket.CloseStatus} {_socket.CloseStatusDescription})".TrimEnd());
        End(new ConnectionEnd(false, reason, _serverError is not null ? new ChatServerException(_serverError, failure) : failure ?? new ChatClientException(reason)));
    }

    private int Parse(ReadOnlyMemory<byte> data)
    {
        var buffer = new ReadOnlySequence<byte>(data);
        var start = buffer.Length;
        while (Parser.TryRead(ref buffer, _escape, out var frame) != StompReadResult.Incomplete)
        {
            if (frame is not null)
            {
                Handle(frame);
            }
        }

        return (int)(start - buffer.Length);
    }

    private void Handle(StompFrame frame)
    {
        switch (frame.Command)
        {
            case StompCommand.Connected:
                _connected.TrySetResult(frame);
                break;
            case StompCommand.Message:
                OnMessageFrame(frame);
                break;
            case StompCommand.Receipt:
                OnReceipt(frame[StompHeaders.ReceiptId]);
                break;
            case StompCommand.Error:
                var reason = frame[StompHeaders.Message] ?? System.Text.Encoding.UTF8.GetString(frame.Body.Span);
                _serverError = reason;
                _connected.TrySetException(new ChatServerException(reason));
                FailReceipts(new ChatServerException(reason));
                _events.OnServerError(this, reason);
                break;
        }
    }

    private void OnMessageFrame(StompFrame frame)
    {
        Subscription? subscription;
        lock (_lock)
        {
            if (frame[StompHeaders.Subscription] is not { } id || !_subscriptionsById.TryGetValue(id, out subscription))
            {
                return; // An earlier subscription of the room, replaced or left.
            }
        }

        var message = JsonSerializer.Deserialize<ChatMessage>(frame.Body.Span, ChatJson.Options)
            ?? throw new FormatException("A MESSAGE frame without a chat message body.");
        var origin = MessageOrigin.Live;
        lock (_lock)
        {
            if (subscription.Backlog is { } backlog)
            {
                backlog.Add(message);
                origin = MessageOrigin.Backlog;
            }
        }

        _events.OnMessage(this, message, origin);
    }

    private void OnReceipt(string? id)
    {
        if (id is null)
        {
            return;
        }

        TaskCompletionSource? pending;
        lock (_lock)
        {
            // A SUBSCRIBE's receipt follows the backlog it delivered: what comes after it is live.
            if (_subscriptionsById.TryGetValue(id, out var subscription))
            {
                subscription.BacklogDone = true;
            }

            _receipts.Remove(id, out pending);
        }

        pending?.TrySetResult();
    }

    /// <summary>The end is known before anything waiting fails, so that a failed connect can tell a move from a failure.</summary>
    private void End(ConnectionEnd end)
    {
        lock (_lock)
        {
            _closed = true;
        }

        _ended.TrySetResult(end);
        _connected.TrySetException(end.Moved ? new ChatClientException("moved by the server before the session began: " + end.Reason) : end.Error ?? new ChatClientException(end.Reason ?? "closed"));
        FailReceipts(ClosedBeforeReceipt());
    }

    private void FailReceipts(Exception error)
    {
        TaskCompletionSource[] pending;
        lock (_lock)
        {
            pending = [.. _receipts.Values];
            _receipts.Clear();
        }

        foreach (var receipt in pending)
        {
            receipt.TrySetException(error);
        }
    }

    private ChatClientException ClosedBeforeReceipt() =>
        _serverError is { } reason ? new ChatServerException(reason) : new ChatClientException("The connection closed before the server confirmed.");

    /// <summary>One SUBSCRIBE of a room; until its RECEIPT, its messages are the join's backlog.</summary>
    private sealed class Subscription(string room, string id)
    {
        private List<ChatMessage>? _backlog = [];

        public string Room { get; } = room;

        public string Id { get; } = id;

        public bool BacklogDone { get; set; }

        public List<ChatMessage>? Backlog => BacklogDone ? null : _backlog;

        public IReadOnlyList<ChatMessage> TakeBacklog()
        {
            var backlog = _backlog ?? [];
            _backlog = null;
            BacklogDone = true;
            return backlog;
        }
    }
}
