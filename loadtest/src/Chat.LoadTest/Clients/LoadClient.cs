using System.Diagnostics;
using Chat.LoadTest.Metrics;

namespace Chat.LoadTest.Clients;

/// <summary>
/// One simulated user on one connection in one room. It keeps itself connected like the browser client: when
/// the server asks it to move (close 1012, the hub's `reconnect`) or the connection drops, it connects again
/// through the entry point and resumes from the last offset it saw. It records the replica it is on, what it
/// received (per room and epoch, per publisher) and what it published and the server confirmed.
/// </summary>
public abstract class LoadClient : IAsyncDisposable
{
    private readonly IEntryPoints _entries;
    private readonly TaskCompletionSource _firstConnection = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Dictionary<int, OffsetSet> _receivedByPublisher = [];
    private readonly OffsetSet _acked = new();
    private readonly Lock _lock = new();
    private volatile string? _replica;
    private RoomPosition? _position;
    private long _pushedChatMessages;
    private long _nextSequence;
    private Task _loop = Task.CompletedTask;

    protected LoadClient(ClientIdentity identity, IEntryPoints entries, LoadMetrics metrics)
    {
        Identity = identity;
        _entries = entries;
        Metrics = metrics;
    }

    public ClientIdentity Identity { get; }

    /// <summary>The replica this client is connected to, or null while it is not connected.</summary>
    public string? Replica => _replica;

    public SequenceChecker Sequence { get; } = new();

    /// <summary>Completes when the client is connected and joined for the first time.</summary>
    public Task FirstConnection => _firstConnection.Task;

    /// <summary>Sends that went out but that the server did not confirm in time; they are not expected anywhere.</summary>
    public long Unconfirmed { get; private set; }

    protected LoadMetrics Metrics { get; }

    protected string Room => Identity.Room;

    protected string User => Identity.User;

    /// <summary>The Host header the connection sends, when the entry point names one (see <see cref="IEntryPoints.Host"/>).</summary>
    protected string? HostHeader => _entries.Host;

    /// <summary>Starts the connect-and-stay-connected loop; it ends when <paramref name="stop"/> is cancelled.</summary>
    public void Start(CancellationToken stop) => _loop = Task.Run(() => RunAsync(stop), CancellationToken.None);

    /// <summary>Publishes one load-test message; confirmed ones are remembered to count what receivers lost.</summary>
    public async Task PublishAsync(CancellationToken cancellationToken)
    {
        var sequence = Interlocked.Increment(ref _nextSequence);
        Metrics.SendStarted();
        if (_replica is null)
        {
            Metrics.SendFailed(new NotConnectedException());
            return;
        }

        try
        {
            if (await SendAsync(Payload.Create(Identity.Index, sequence).ToString(), cancellationToken))
            {
                lock (_lock)
                {
                    _acked.Add(sequence);
                }

                Metrics.SendAcked();
            }
            else
            {
                lock (_lock)
                {
                    Unconfirmed++;
                }
            }
        }
        catch (Exception error) when (!cancellationToken.IsCancellationRequested)
        {
            Metrics.SendFailed(error);
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
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
        }

        GC.SuppressFinalize(this);
    }

    /// <summary>
    /// Opens a connection, joins <see cref="Room"/> as <see cref="User"/> and, with a position, asks for what was
    /// missed. Returns the replica. <paramref name="lost"/> is called once when this connection ends (true: the
    /// server moved the client on purpose).
    /// </summary>
    protected abstract Task<string> OpenAsync(Uri entry, RoomPosition? resumeFrom, Action<bool> lost, CancellationToken cancellationToken);

    /// <summary>Sends a chat message; true when the server confirmed it was stored.</summary>
    protected abstract Task<bool> SendAsync(string content, CancellationToken cancellationToken);

    /// <summary>Closes the current connection, if any, and releases it.</summary>
    protected abstract ValueTask CloseAsync();

    /// <summary>The room's position at join; what comes after it must all arrive.</summary>
    protected void OnJoined(string epoch, long offset)
    {
        Sequence.Baseline(Room, epoch, offset);
        lock (_lock)
        {
            _position ??= new RoomPosition(epoch, offset);
        }
    }

    /// <summary>A message arrived: pushed by the server, or <paramref name="requested"/> in a resume reply.</summary>
    protected void OnMessage(WireMessage message, bool requested)
    {
        if (message.Room != Room)
        {
            return;
        }

        var payload = default(Payload);
        var isLoadMessage = message.Type == "CHAT" && Payload.TryParse(message.Content, out payload);
        if (!requested && isLoadMessage && Identity.DropPushedMessage is { } drop
            && Interlocked.Increment(ref _pushedChatMessages) == drop)
        {
            return;
        }

        var arrival = Sequence.Record(Room, message.Epoch, message.Offset, requested);
        if (arrival == Arrival.Duplicate)
        {
            Metrics.Duplicate();
            return;
        }

        lock (_lock)
        {
            _position = _position is null || _position.Epoch != message.Epoch
                ? new RoomPosition(message.Epoch, message.Offset)
                : _position with { Offset = Math.Max(_position.Offset, message.Offset) };
            if (arrival == Arrival.Repeat)
            {
                return;
            }

            if (isLoadMessage)
            {
                if (!_receivedByPublisher.TryGetValue(payload.Publisher, out var received))
                {
                    _receivedByPublisher[payload.Publisher] = received = new OffsetSet();
                }

                received.Add(payload.Sequence);
            }
        }

        if (isLoadMessage)
        {
            Metrics.Received(payload.Age);
        }
    }

    private async Task RunAsync(CancellationToken stop)
    {
        var failures = 0;
        var reconnect = false;
        while (!stop.IsCancellationRequested)
        {
            var session = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            var started = Stopwatch.GetTimestamp();
            try
            {
                RoomPosition? position;
                lock (_lock)
                {
                    position = _position;
                }

                _replica = await OpenAsync(_entries.Next(), reconnect ? position : null, rebalance => session.TrySetResult(rebalance), stop);
                Metrics.Connected(reconnect, Stopwatch.GetElapsedTime(started));
                _firstConnection.TrySetResult();
                reconnect = true;
                var opened = Stopwatch.GetTimestamp();
                var rebalance = await session.Task.WaitAsync(stop);
                _replica = null;
                Metrics.Lost(rebalance);
                failures = ReconnectBackoff.FailuresAfterSession(failures, rebalance, Stopwatch.GetElapsedTime(opened));
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                break;
            }
            catch (MovedBeforeSessionException)
            {
                _replica = null;
                Metrics.Lost(rebalance: true);
                failures = 0;
                reconnect = true;
            }
            catch (Exception error)
            {
                _replica = null;
                failures++;
                Metrics.ConnectFailed(error);
            }
            finally
            {
                await CloseQuietlyAsync();
            }

            try
            {
                await Task.Delay(ReconnectBackoff.Delay(failures), stop);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        _replica = null;
        await CloseQuietlyAsync();
    }

    private async Task CloseQuietlyAsync()
    {
        try
        {
            await CloseAsync();
        }
        catch (Exception)
        {
            // Closing a connection that already failed.
        }
    }
}

/// <summary>A send while the client was between connections.</summary>
public sealed class NotConnectedException() : InvalidOperationException("not connected");

/// <summary>The server asked the client to move (rebalancing, drain) before its session was set up.</summary>
public sealed class MovedBeforeSessionException() : InvalidOperationException("moved by the server before the session began");
