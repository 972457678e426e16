using System.Globalization;
using System.IO.Pipelines;
using System.Net.WebSockets;
using Chat.Contracts;
using Chat.Server.Connections;
using Chat.Server.Identity;
using Chat.Server.Observability;
using Chat.Server.Rooms;
using Chat.Stomp;

namespace Chat.Server.Stomp;

/// <summary>
/// The transport of one STOMP connection over a WebSocket: reads frames (any WebSocket message boundaries, text or
/// binary) and hands them to its <see cref="StompFrameHandler"/> in order, writes through a bounded
/// <see cref="StompOutbox"/>, keeps heart-beats both ways, and on any error sends one ERROR frame and closes;
/// nothing after it is run.
/// </summary>
public sealed class StompSession : IClientConnection
{
    private static readonly TimeSpan FlushTimeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan CloseHandshakeTimeout = TimeSpan.FromSeconds(2);

    private readonly WebSocket _socket;
    private readonly string _replica;
    private readonly StompOptions _options;
    private readonly ChatMetrics _metrics;
    private readonly ILogger _logger;
    private readonly StompFrameParser _parser;
    private readonly StompOutbox _outbox;
    private readonly StompFrameHandler _handler;
    private readonly StompSessionClock _clock;
    private readonly CancellationTokenSource _abort = new();
    private readonly long _startedTicks = Environment.TickCount64;
    private long _lastReceivedTicks = Environment.TickCount64;
    private long _messageIds;
    private int _stopping;
    private WebSocketCloseStatus _closeStatus = WebSocketCloseStatus.NormalClosure;
    private string _closeDescription = string.Empty;
    private volatile string? _version;
    private StompHeartBeat _heartBeat = StompHeartBeat.None;

    public StompSession(WebSocket socket, IChatRooms rooms, ChatCaller caller, StompTokens? tokens, StompOptions options, StompSessionClock clock, int maxQueuedFrames, string replica, ChatMetrics metrics, ILogger logger)
    {
        _clock = clock;
        _socket = socket;
        _replica = replica;
        _options = options;
        _metrics = metrics;
        _logger = logger;
        _parser = new StompFrameParser(options.FrameLimits);
        MaxQueuedFrames = maxQueuedFrames;
        _outbox = new StompOutbox(maxQueuedFrames, options.OutgoingQueueBytes, SendAsync);
        _handler = new StompFrameHandler(this, rooms.Open(this, caller), tokens, options);
    }

    public string Id { get; } = "stomp-" + Guid.NewGuid().ToString("N")[..12];

    public string Protocol => "stomp";

    public DateTimeOffset ConnectedAt { get; } = DateTimeOffset.UtcNow;

    internal int MaxQueuedFrames { get; }

    /// <summary>The negotiated version, null before CONNECT.</summary>
    internal string? Version => _version;

    /// <summary>Headers are escaped in every version but 1.0.</summary>
    internal bool Escaped => _version is not StompVersion.V10;

    private bool IsStopping => Volatile.Read(ref _stopping) != 0;

    /// <summary>Runs the session until the connection ends; then leaves every room it was in.</summary>
    public async Task RunAsync()
    {
        var writer = _outbox.RunAsync(_abort.Token);
        var reader = ReadLoopAsync();
        _clock.Add(this);
        try
        {
            await writer;
        }
        catch (Exception e)
        {
            _logger.LogDebug(e, "STOMP session {Session}: sending stopped", Id);
            Stop(null, WebSocketCloseStatus.EndpointUnavailable, "send failed", dropQueued: true);
        }

        await CloseSocketAsync();
        if (await Task.WhenAny(reader, Task.Delay(CloseHandshakeTimeout)) != reader)
        {
            _socket.Abort();
        }

        await reader;
        _clock.Remove(this);
        _abort.Dispose();
        try
        {
            await _handler.DisposeAsync();
        }
        catch (Exception e) when (e is ChatException or OperationCanceledException)
        {
            _logger.LogWarning(e, "STOMP session {Session}: presence not updated on disconnect", Id);
        }
    }

    public Task CloseForRebalanceAsync(string reason, CancellationToken cancellationToken = default)
    {
        Stop(null, (WebSocketCloseStatus)ChatStompProtocol.ServiceRestartCloseStatus, reason, dropQueued: false);
        return Task.CompletedTask;
    }

    /// <summary>The chat ended the session (an expired token): one ERROR with the reason, then the close.</summary>
    public Task EndAsync(ChatException reason, CancellationToken cancellationToken = default)
    {
        Fail(new StompSessionException(StompError.Of(reason), reason.Message));
        return Task.CompletedTask;
    }

    /// <summary>CONNECT was accepted: answer CONNECTED and start heart-beating.</summary>
    internal void Connected(string version, StompHeartBeat offer, StompHeartBeat negotiated, string? reconnectSecret)
    {
        _heartBeat = negotiated;
        _outbox.TryEnqueue(StompServerFrames.Connected(version, offer, Id, _replica, reconnectSecret));
        _version = version;
    }

    /// <summary>Queues a frame for the client (a RECEIPT, say); the queue's bounds are checked.</summary>
    internal void Send(byte[] frame)
    {
        if (!_outbox.TryEnqueue(frame))
        {
            OnSlowConsumer();
        }
    }

    /// <summary>DISCONNECT: what is queued (the RECEIPT) goes out, then the close.</summary>
    internal void Disconnect() => Stop(null, WebSocketCloseStatus.NormalClosure, "DISCONNECT", dropQueued: false);

    /// <summary>A subscription has a message for the client (any thread).</summary>
    internal void Deliver(StompSubscription subscription, ChatMessage message)
    {
        var frame = StompOutgoing.Message(subscription.MessageHead, Interlocked.Increment(ref _messageIds), subscription.ClientAck, StompServerFrames.MessageTail(message, Escaped));
        if (_outbox.TryEnqueue(frame))
        {
            _metrics.MessagesDelivered();
        }
        else
        {
            OnSlowConsumer();
        }
    }

    private void OnSlowConsumer() => Fail(new StompSessionException(
        StompError.SlowConsumer,
        $"Slow consumer: more than {MaxQueuedFrames} frames or {_options.OutgoingQueueBytes} bytes waiting to be sent"));

    private void Fail(StompSessionException error)
    {
        if (IsStopping)
        {
            return;
        }

        var kind = error.Error;
        _metrics.Error(kind.Tag);
        _logger.LogInformation("STOMP session {Session} closed with ERROR ({Kind}): {Message}", Id, kind.Tag, error.Message);
        var frame = StompServerFrames.Error(error.Message, error.ReceiptId, Escaped, kind == StompError.UnsupportedVersion ? StompVersion.Supported : null);
        Stop(frame, kind.CloseStatus, kind.Tag, kind.DropQueued);
    }

    /// <summary>Ends the session once: no frame is read or run after this; queued frames (then <paramref name="lastFrame"/>) are flushed.</summary>
    private void Stop(byte[]? lastFrame, WebSocketCloseStatus status, string description, bool dropQueued)
    {
        if (Interlocked.Exchange(ref _stopping, 1) != 0)
        {
            return;
        }

        _closeStatus = status;
        _closeDescription = description;
        _outbox.Complete(lastFrame, dropQueued);
        _abort.CancelAfter(FlushTimeout);
    }

    private async Task ReadLoopAsync()
    {
        var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 0, resumeWriterThreshold: 0, useSynchronizationContext: false));
        try
        {
            while (true)
            {
                // A zero-byte read first: an idle connection waits without holding a receive buffer.
                var received = await _socket.ReceiveAsync(Memory<byte>.Empty, CancellationToken.None);
                if (received.MessageType != WebSocketMessageType.Close)
                {
                    received = await _socket.ReceiveAsync(pipe.Writer.GetMemory(4096), CancellationToken.None);
                }

                if (received.MessageType == WebSocketMessageType.Close)
                {
                    Stop(null, WebSocketCloseStatus.NormalClosure, string.Empty, dropQueued: true);
                    return;
                }

                Interlocked.Exchange(ref _lastReceivedTicks, Environment.TickCount64);
                if (IsStopping)
                {
                    continue; // Frames after an ERROR or DISCONNECT are not run.
                }

                pipe.Writer.Advance(received.Count);
                await pipe.Writer.FlushAsync();
                var read = await pipe.Reader.ReadAsync();
                var buffer = read.Buffer;
                try
                {
                    while (!IsStopping)
                    {
                        var result = Parse(ref buffer, out var frame);
                        if (result == StompReadResult.Incomplete)
                        {
                            break;
                        }

                        if (result == StompReadResult.HeartBeat)
                        {
                            _metrics.Heartbeat();
                            continue;
                        }

                        await _handler.RunAsync(frame!);
                    }
                }
                finally
                {
                    pipe.Reader.AdvanceTo(buffer.Start, read.Buffer.End);
                }
            }
        }
        catch (StompSessionException e)
        {
            Fail(e);
            await DrainUntilClosedAsync();
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            Stop(null, WebSocketCloseStatus.EndpointUnavailable, string.Empty, dropQueued: true);
        }
        catch (Exception e)
        {
            // A fault of ours (not the client's): the client still gets an ERROR and a close, never a hung session.
            _logger.LogError(e, "STOMP session {Session} failed", Id);
            Fail(new StompSessionException(StompError.Internal, "Internal server error"));
            await DrainUntilClosedAsync();
        }
    }

    private StompReadResult Parse(ref System.Buffers.ReadOnlySequence<byte> buffer, out StompFrame? frame)
    {
        try
        {
            return _parser.TryRead(ref buffer, Escaped, out frame);
        }
        catch (StompProtocolException e)
        {
            throw new StompSessionException(StompError.Of(e.Fault), e.Message);
        }
    }

    /// <summary>After an ERROR: read (and ignore) until the client closes or the socket is aborted.</summary>
    private async Task DrainUntilClosedAsync()
    {
        var scratch = new byte[1024];
        try
        {
            while ((await _socket.ReceiveAsync(scratch.AsMemory(), CancellationToken.None)).MessageType != WebSocketMessageType.Close)
            {
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
    }

    /// <summary>
    /// A tick of the replica's <see cref="StompSessionClock"/>: before CONNECT its deadline; after, a heart-beat when
    /// nothing was written for half the negotiated interval, and an ERROR when the client has been silent too long.
    /// </summary>
    internal void OnTick(long now)
    {
        if (IsStopping)
        {
            return;
        }

        if (_version is null)
        {
            if (now - _startedTicks > _options.ConnectTimeoutMilliseconds)
            {
                Fail(new StompSessionException(StompError.ConnectTimeout, $"No CONNECT frame within {_options.ConnectTimeoutMilliseconds} ms"));
            }

            return;
        }

        var heartBeat = _heartBeat;
        if (heartBeat.SendEvery > TimeSpan.Zero && now - _outbox.LastSentTicks >= heartBeat.SendEvery.TotalMilliseconds / 2
            && _outbox.QueuedFrames == 0 && _outbox.TryEnqueue(StompServerFrames.HeartBeat))
        {
            _metrics.Heartbeat();
        }

        var silence = heartBeat.ExpectEvery.TotalMilliseconds * _options.HeartBeatTolerance;
        if (heartBeat.ExpectEvery > TimeSpan.Zero && now - Interlocked.Read(ref _lastReceivedTicks) > silence)
        {
            Fail(new StompSessionException(StompError.HeartBeatMissed, $"No heart-beat or frame from the client for {silence:0} ms"));
        }
    }

    private async ValueTask SendAsync(ReadOnlyMemory<byte> frame, CancellationToken cancellationToken) =>
        await _socket.SendAsync(frame, WebSocketMessageType.Text, endOfMessage: true, cancellationToken);

    private async Task CloseSocketAsync()
    {
        if (_socket.State is not (WebSocketState.Open or WebSocketState.CloseReceived))
        {
            return;
        }

        using var timeout = new CancellationTokenSource(CloseHandshakeTimeout);
        try
        {
            await _socket.CloseOutputAsync(_closeStatus, _closeDescription, timeout.Token);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            _socket.Abort();
        }
    }
}
