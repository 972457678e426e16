using System.IO.Pipelines;
using System.Net.WebSockets;
using Chat.Server.Connections;
using Chat.Contracts;
using Chat.Server.Observability;
using Chat.Server.Rooms;
using Chat.Stomp;

namespace Chat.Server.Stomp;

/// <summary>
/// One STOMP connection over a WebSocket: reads frames (any WebSocket message boundaries, text or binary), runs
/// them in order (<see cref="StompSession"/>.Commands.cs), writes through a bounded <see cref="StompOutbox"/>,
/// keeps heart-beats both ways, and on any error sends one ERROR frame and closes; nothing after it is run.
/// </summary>
public sealed partial class StompSession : IClientConnection
{
    private static readonly TimeSpan FlushTimeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan CloseHandshakeTimeout = TimeSpan.FromSeconds(2);

    private readonly WebSocket _socket;
    private readonly IChatRooms _rooms;
    private readonly StompOptions _options;
    private readonly ChatMetrics _metrics;
    private readonly ILogger _logger;
    private readonly StompFrameParser _parser;
    private readonly StompOutbox _outbox;
    private readonly StompRateLimiter _rateLimiter;
    private readonly CancellationTokenSource _abort = new();
    private readonly long _startedTicks = Environment.TickCount64;
    private long _lastReceivedTicks = Environment.TickCount64;
    private long _messageIds;
    private int _stopping;
    private WebSocketCloseStatus _closeStatus = WebSocketCloseStatus.NormalClosure;
    private string _closeDescription = string.Empty;
    private volatile string? _version;
    private StompHeartBeat _heartBeat = StompHeartBeat.None;
    private readonly TaskCompletionSource _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public StompSession(WebSocket socket, IChatRooms rooms, StompOptions options, int maxQueuedFrames, ChatMetrics metrics, ILogger logger)
    {
        _socket = socket;
        _rooms = rooms;
        _options = options;
        _metrics = metrics;
        _logger = logger;
        _parser = new StompFrameParser(options.FrameLimits);
        MaxQueuedFrames = maxQueuedFrames;
        _outbox = new StompOutbox(maxQueuedFrames, options.OutgoingQueueBytes, SendAsync);
        _rateLimiter = new StompRateLimiter(options.MaxFramesPerSecond, options.FrameBurst);
    }

    public string Id { get; } = "stomp-" + Guid.NewGuid().ToString("N")[..12];

    public string Protocol => "stomp";

    public DateTimeOffset ConnectedAt { get; } = DateTimeOffset.UtcNow;

    public string? User { get; set; }

    internal int MaxQueuedFrames { get; }

    private bool IsStopping => Volatile.Read(ref _stopping) != 0;

    private bool Escaped => _version is not StompVersion.V10;

    /// <summary>Runs the session until the connection ends; then leaves every room it was in.</summary>
    public async Task RunAsync()
    {
        using var timers = new CancellationTokenSource();
        var writer = _outbox.RunAsync(_abort.Token);
        var reader = ReadLoopAsync();
        var timer = RunTimersAsync(timers.Token);
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
        await timers.CancelAsync();
        await timer;
        await EndAsync();
    }

    public Task CloseForRebalanceAsync(string reason, CancellationToken cancellationToken = default)
    {
        Stop(null, (WebSocketCloseStatus)ChatStompProtocol.ServiceRestartCloseStatus, reason, dropQueued: false);
        return Task.CompletedTask;
    }

    /// <summary>A subscription has a message for the client (any thread).</summary>
    internal void Deliver(StompSubscription subscription, ChatMessage message)
    {
        var messageId = Interlocked.Increment(ref _messageIds).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var frame = StompServerFrames.Message(message, subscription.Destination, subscription.Id, messageId, subscription.ClientAck, Escaped);
        if (_outbox.TryEnqueue(frame))
        {
            _metrics.MessagesDelivered();
        }
        else
        {
            OnSlowConsumer();
        }
    }

    internal void OnSlowConsumer() => Fail(new StompProtocolException(
        $"Slow consumer: more than {MaxQueuedFrames} frames or {_options.OutgoingQueueBytes} bytes waiting to be sent",
        "stomp_slow_consumer"));

    private void Fail(StompProtocolException error)
    {
        if (IsStopping)
        {
            return;
        }

        _metrics.Error(error.Kind);
        _logger.LogInformation("STOMP session {Session} closed with ERROR ({Kind}): {Message}", Id, error.Kind, error.Message);
        var frame = StompServerFrames.Error(error.Message, error.ReceiptId, Escaped, error.Kind == "stomp_version" ? StompVersion.Supported : null);
        var status = error.Kind switch
        {
            "stomp_slow_consumer" or "stomp_rate_limit" or "stomp_limit" => WebSocketCloseStatus.PolicyViolation,
            "broker_unavailable" or "stomp_internal" => WebSocketCloseStatus.InternalServerError,
            _ => WebSocketCloseStatus.ProtocolError,
        };
        Stop(frame, status, error.Kind, dropQueued: error.Kind == "stomp_slow_consumer");
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
                var memory = pipe.Writer.GetMemory(4096);
                var received = await _socket.ReceiveAsync(memory, CancellationToken.None);
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
                        var result = _parser.TryRead(ref buffer, Escaped, out var frame);
                        if (result == StompReadResult.Incomplete)
                        {
                            break;
                        }

                        if (result == StompReadResult.HeartBeat)
                        {
                            _metrics.Heartbeat();
                            continue;
                        }

                        await RunFrameAsync(frame!);
                    }
                }
                finally
                {
                    pipe.Reader.AdvanceTo(buffer.Start, read.Buffer.End);
                }
            }
        }
        catch (StompProtocolException e)
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
            Fail(new StompProtocolException("Internal server error", "stomp_internal"));
            await DrainUntilClosedAsync();
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

    private async Task RunTimersAsync(CancellationToken cancellationToken)
    {
        var beforeConnect = TimeSpan.FromMilliseconds(Math.Clamp(_options.ConnectTimeoutMilliseconds / 4, 50, 1000));
        try
        {
            while (!IsStopping)
            {
                if (_version is null)
                {
                    await Task.WhenAny(Task.Delay(beforeConnect, cancellationToken), _connected.Task);
                    cancellationToken.ThrowIfCancellationRequested();
                }
                else
                {
                    await Task.Delay(HeartBeatTick(_heartBeat), cancellationToken);
                }

                var now = Environment.TickCount64;
                if (_version is null)
                {
                    if (now - _startedTicks > _options.ConnectTimeoutMilliseconds)
                    {
                        Fail(new StompProtocolException($"No CONNECT frame within {_options.ConnectTimeoutMilliseconds} ms", "stomp_timeout"));
                    }

                    continue;
                }

                var heartBeat = _heartBeat;
                if (heartBeat.SendEvery > TimeSpan.Zero && now - _outbox.LastSentTicks >= heartBeat.SendEvery.TotalMilliseconds / 2
                    && _outbox.QueuedFrames == 0 && _outbox.TryEnqueue(StompServerFrames.HeartBeat))
                {
                    _metrics.Heartbeat();
                }

                if (heartBeat.ExpectEvery > TimeSpan.Zero
                    && now - Interlocked.Read(ref _lastReceivedTicks) > heartBeat.ExpectEvery.TotalMilliseconds * _options.HeartBeatTolerance)
                {
                    Fail(new StompProtocolException($"No heart-beat or frame from the client for {heartBeat.ExpectEvery.TotalMilliseconds * _options.HeartBeatTolerance:0} ms", "stomp_heartbeat"));
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static TimeSpan HeartBeatTick(StompHeartBeat heartBeat)
    {
        var shortest = new[] { heartBeat.SendEvery, heartBeat.ExpectEvery }.Where(t => t > TimeSpan.Zero).DefaultIfEmpty(TimeSpan.FromSeconds(4)).Min();
        return TimeSpan.FromMilliseconds(Math.Clamp(shortest.TotalMilliseconds / 4, 25, 1000));
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
