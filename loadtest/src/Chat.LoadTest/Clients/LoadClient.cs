using System.Diagnostics;
using Chat.Client;
using Chat.Contracts;
using Chat.LoadTest.Metrics;

namespace Chat.LoadTest.Clients;

/// <summary>
/// One simulated user on one connection in one room, on <see cref="ChatClient"/>: it keeps itself connected (a move
/// by the server, a drop or a failed connect: again through the entry point, resumed from its last offset). This
/// records the replica it is on, what it was handed (per room and epoch, per publisher), what the server pushed twice,
/// and what it published and the server confirmed.
/// </summary>
public sealed class LoadClient : IAsyncDisposable
{
    private readonly IEntryPoints _entries;
    private readonly LoadMetrics _metrics;
    private readonly TaskCompletionSource _firstConnection = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Dictionary<int, OffsetSet> _receivedByPublisher = [];
    private readonly OffsetSet _acked = new();
    private readonly Lock _lock = new();
    private ChatClient? _client;
    private long _attemptStarted;
    private bool _connectedBefore;
    private ChatClientState _lastState;
    private long _handedChatMessages;
    private long _nextSequence;

    public LoadClient(ClientIdentity identity, IEntryPoints entries, LoadMetrics metrics)
    {
        Identity = identity;
        _entries = entries;
        _metrics = metrics;
    }

    public ClientIdentity Identity { get; }

    /// <summary>The replica this client is connected to, or null while it is not connected.</summary>
    public string? Replica => _client?.Replica;

    public SequenceChecker Sequence { get; } = new();

    /// <summary>Completes when the client is connected and joined for the first time.</summary>
    public Task FirstConnection => _firstConnection.Task;

    /// <summary>Sends that went out but that the server did not confirm in time; they are not expected anywhere.</summary>
    public long Unconfirmed { get; private set; }

    /// <summary>Starts connecting and joins the room; the client stays connected until disposed (or <paramref name="stop"/>).</summary>
    public void Start(CancellationToken stop)
    {
        // The first attempt starts now, when the ramp reaches this client, not when the fleet was built.
        Interlocked.Exchange(ref _attemptStarted, Stopwatch.GetTimestamp());
        var client = new ChatClient(new ChatClientOptions
        {
            BaseUrlProvider = _entries.Next,
            User = Identity.User,
            Protocol = Identity.ChatProtocol,
            HostHeader = _entries.Host,
            LocalAddress = Identity.SourceAddress,
        });
        client.MessageReceived += OnMessage;
        client.MessageArrived += OnArrived;
        client.StateChanged += OnStateChanged;
        client.Error += OnError;
        _client = client;
        _ = JoinAsync(client, stop);
        _ = client.StartAsync(stop).ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
        stop.Register(() => _ = client.DisposeAsync().AsTask());
    }

    /// <summary>Publishes one load-test message; confirmed ones are remembered to count what receivers lost.</summary>
    public async Task PublishAsync(CancellationToken cancellationToken)
    {
        var sequence = Interlocked.Increment(ref _nextSequence);
        _metrics.SendStarted();
        if (_client is not { Replica: not null } client)
        {
            _metrics.SendFailed(new NotConnectedException());
            return;
        }

        try
        {
            await client.SendAsync(Identity.Room, Payload.Create(Identity.Index, sequence).ToString(), cancellationToken);
            lock (_lock)
            {
                _acked.Add(sequence);
            }

            _metrics.SendAcked();
        }
        catch (TimeoutException)
        {
            // STOMP: no RECEIPT in time; the message may or may not be stored.
            lock (_lock)
            {
                Unconfirmed++;
            }
        }
        catch (Exception error) when (!cancellationToken.IsCancellationRequested)
        {
            _metrics.SendFailed(error);
        }
    }

    /// <summary>How many of <paramref name="publisher"/>'s confirmed messages this client never received.</summary>
    public long CountMissingFrom(LoadClient publisher)
    {
        OffsetSet received;
        lock (_lock)
        {
            if (!_receivedByPublisher.TryGetValue(publisher.Identity.Index, out received!))
            {
                received = new OffsetSet();
            }
        }

        lock (publisher._lock)
        {
            lock (_lock)
            {
                return publisher._acked.CountNotIn(received);
            }
        }
    }

    public long ConfirmedCount
    {
        get
        {
            lock (_lock)
            {
                return _acked.Count;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_client is { } client)
        {
            await client.DisposeAsync();
        }
    }

    /// <summary>
    /// Joins the room. A refused join is asked again a few times, as a user would (the refusals this tool meets are
    /// "the store is unavailable" and rate limits, both worth a retry under overload); each refusal is counted.
    /// </summary>
    private async Task JoinAsync(ChatClient client, CancellationToken stop)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var joined = await client.JoinAsync(Identity.Room, stop);
                if (joined.Epoch.Length > 0)
                {
                    Sequence.Baseline(Identity.Room, joined.Epoch, joined.Offset);
                }

                return;
            }
            catch (ChatServerException refused) when (JoinRetry.After(attempt) is { } wait)
            {
                _metrics.Error("join refused, retried: " + refused.Reason);
                try
                {
                    await Task.Delay(wait, stop);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
            catch (ChatServerException refused)
            {
                _metrics.Error("join: " + refused.Reason);
                return;
            }
            catch (Exception)
            {
                // Stopped or disposed before it joined.
                return;
            }
        }
    }

    private void OnStateChanged(ChatStateChange change)
    {
        var now = Stopwatch.GetTimestamp();
        switch (change.State)
        {
            case ChatClientState.Connected:
                _metrics.Connected(_connectedBefore, Stopwatch.GetElapsedTime(Interlocked.Read(ref _attemptStarted), now));
                _connectedBefore = true;
                _firstConnection.TrySetResult();
                break;
            case ChatClientState.Moved:
                _metrics.Lost(rebalance: true);
                _connectedBefore = true;
                Interlocked.Exchange(ref _attemptStarted, now);
                break;
            case ChatClientState.Reconnecting:
                if (_lastState == ChatClientState.Connected)
                {
                    _metrics.Lost(rebalance: false);
                }

                Interlocked.Exchange(ref _attemptStarted, now);
                break;
        }

        _lastState = change.State;
    }

    private void OnError(ChatError error)
    {
        switch (error.Kind)
        {
            case ChatErrorKind.ConnectFailed:
                _metrics.ConnectFailed(error.Exception ?? new ChatClientException(error.Message));
                break;
            case ChatErrorKind.ServerError:
                _metrics.Error((Identity.Protocol == ClientProtocol.Stomp ? "stomp ERROR: " : "server error: ") + error.Message);
                break;
            case ChatErrorKind.Recovery:
                _metrics.Error("recovery: " + error.Message);
                break;
        }
    }

    /// <summary>What the server pushed: an offset pushed twice is a duplicate (what a join recovers never is).</summary>
    private void OnArrived(ChatMessage message, ChatMessageOrigin origin)
    {
        if (origin == ChatMessageOrigin.Live && message.Room == Identity.Room && Sequence.Pushed(message.Room, message.Epoch, message.Offset))
        {
            _metrics.Duplicate();
        }
    }

    /// <summary>What the client handed over: once each, in order; load-test messages are accounted per publisher.</summary>
    private void OnMessage(ChatMessage message)
    {
        if (message.Room != Identity.Room)
        {
            return;
        }

        var payload = default(Payload);
        var isLoadMessage = message.Type == MessageType.CHAT && Payload.TryParse(message.Content, out payload);
        if (isLoadMessage && Identity.DropPushedMessage is { } drop && Interlocked.Increment(ref _handedChatMessages) == drop)
        {
            return;
        }

        if (Sequence.Delivered(message.Room, message.Epoch, message.Offset) == Arrival.Duplicate)
        {
            _metrics.Duplicate();
            return;
        }

        if (!isLoadMessage)
        {
            return;
        }

        lock (_lock)
        {
            if (!_receivedByPublisher.TryGetValue(payload.Publisher, out var received))
            {
                _receivedByPublisher[payload.Publisher] = received = new OffsetSet();
            }

            received.Add(payload.Sequence);
        }

        _metrics.Received(payload.Age);
    }
}

/// <summary>A send while the client was between connections.</summary>
public sealed class NotConnectedException() : InvalidOperationException("not connected");
