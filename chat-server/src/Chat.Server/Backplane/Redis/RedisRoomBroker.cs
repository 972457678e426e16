using System.Collections.Concurrent;
using System.Globalization;
using Chat.Server.Hosting;
using Chat.Contracts;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Chat.Server.Backplane.Redis;

/// <summary>
/// The broker of several replicas. Each room is a Redis stream (order and bounded history) with an epoch and an
/// offset; a Lua script appends and publishes in one step. Each replica subscribes to the rooms its local
/// listeners are in and delivers to them only. A replica that sees a gap in the offsets (a pub/sub message lost
/// while its connection was away) reads the gap from the stream, and it catches up whenever the connection comes
/// back, so every listener gets every message once, in order. A listener joining a room already live here gets its
/// backlog from the room's <see cref="RecentMessages"/> when they hold it.
/// </summary>
public sealed partial class RedisRoomBroker : IRoomBroker, IDisposable
{
    private readonly IConnectionMultiplexer _redis;
    private readonly TimeProvider _time;
    private readonly ILogger<RedisRoomBroker> _logger;
    private readonly int _historyLength;
    private readonly long _retentionMs;
    private readonly int _recentLength;
    private static readonly TimeSpan TouchInterval = TimeSpan.FromMinutes(1);
    private readonly ConcurrentDictionary<string, RedisRoom> _rooms = new(StringComparer.Ordinal);

    private readonly RedisBackplaneOptions _redisOptions;
    private readonly RedisReplicaCounts _replicaCounts;

    public RedisRoomBroker(IConnectionMultiplexer redis, IOptions<ChatOptions> options, IOptions<RedisBackplaneOptions> redisOptions, TimeProvider time, ILogger<RedisRoomBroker> logger)
    {
        _redis = redis;
        _time = time;
        _logger = logger;
        _historyLength = options.Value.HistoryLength;
        _retentionMs = options.Value.RoomRetentionSeconds * 1000L;
        _recentLength = Math.Max(1, Math.Min(options.Value.JoinHistoryCount, _historyLength));
        _redisOptions = redisOptions.Value;
        _replicaCounts = new RedisReplicaCounts(redis, time);
        _redis.ConnectionRestored += OnConnectionRestored;
        _watchdog = time.CreateTimer(_ => _ = CheckSubscriptionsAsync(), null, WatchInterval, WatchInterval);
    }

    public async Task<ChatMessage> PublishAsync(string room, MessageType type, string sender, string? content, CancellationToken cancellationToken = default)
    {
        var stored = new StoredMessage(type, sender, content, _time.GetUtcNow());
        var result = await RunAsync(room, RedisRoomScripts.Publish,
        [
            NewEpoch(), _historyLength, stored.Serialize(), RedisKeys.Channel(room).ToString(), _retentionMs,
        ]);
        var values = (RedisResult[])result!;
        await WaitForReplicasAsync(room);
        return new ChatMessage(type, sender, content, room, (long)values[1], (string)values[0]!, stored.SentAt);
    }

    public async Task<RoomSubscription> SubscribeAsync(string room, RoomPosition? since, int historyLimit, IRoomListener listener, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            var state = _rooms.GetOrAdd(room, r => new RedisRoom(r, _recentLength));
            await state.Gate.WaitAsync(cancellationToken);
            try
            {
                if (state.Closed)
                {
                    continue; // Its last listener just left; take the fresh one.
                }

                var backlog = await SubscribeLockedAsync(state, since, historyLimit, listener);
                return new RoomSubscription(backlog.Position, backlog.EpochChanged, () => new ValueTask(UnsubscribeAsync(state, listener)));
            }
            finally
            {
                state.Gate.Release();
            }
        }
    }

    public async Task<RoomBacklog> ReadSinceAsync(string room, RoomPosition? since, int historyLimit, CancellationToken cancellationToken = default)
    {
        // The first id after `since`, as an integer string: Lua would format a large number as 1e+14.
        var first = since is null ? "-" : (Math.Min(since.Offset, long.MaxValue - 1) + 1).ToString(CultureInfo.InvariantCulture) + "-0";
        var result = await RunAsync(room, RedisRoomScripts.Read,
        [
            since?.Epoch ?? string.Empty, first, Math.Max(1, historyLimit), _retentionMs,
        ]);
        var values = (RedisResult[])result!;
        var epoch = (string)values[0]!;
        var offset = long.Parse((string)values[1]!, CultureInfo.InvariantCulture);
        var entries = (RedisResult[])values[2]!;
        var messages = new ChatMessage[entries.Length];
        for (var i = 0; i < entries.Length; i++)
        {
            var parts = (RedisResult[])entries[i]!;
            var id = (string)parts[0]!;
            var fields = (RedisResult[])parts[1]!;
            var entryOffset = long.Parse(id.AsSpan(0, id.IndexOf('-')), CultureInfo.InvariantCulture);
            messages[entries.Length - 1 - i] = StoredMessage.Parse((string)fields[1]!, room, epoch, entryOffset); // newest first
        }

        return new RoomBacklog(room, new RoomPosition(epoch, offset), messages, EpochChanged: since is not null && since.Epoch != epoch);
    }

    public void Dispose()
    {
        _redis.ConnectionRestored -= OnConnectionRestored;
        _watchdog.Dispose();
    }

    private async Task<RoomBacklog> SubscribeLockedAsync(RedisRoom state, RoomPosition? since, int historyLimit, IRoomListener listener)
    {
        if (state.Queue is null)
        {
            // Subscribe before reading, so nothing published in between is missed.
            EnsureConnected();
            state.Queue = await _redis.GetSubscriber().SubscribeAsync(RedisKeys.Channel(state.Name));
            state.Queue.OnMessage(message => OnPublishedAsync(state, message));
        }

        try
        {
            var backlog = state.Delivered is { } delivered && state.Recent.End == delivered
                && state.Recent.TryRead(since, Math.Max(1, historyLimit), out var recent)
                ? new RoomBacklog(state.Name, delivered, Touched(state, recent), EpochChanged: false)
                : await ReadSinceAsync(state.Name, since, historyLimit);
            // Under the gate: live messages for this room wait, so they come after the backlog and after its end.
            foreach (var message in backlog.Messages)
            {
                listener.OnMessage(message);
            }

            state.Listeners.Add(new ListenerEntry(listener, backlog.Position));
            if (state.Delivered is null)
            {
                state.Delivered = backlog.Position;
                state.Recent.Reset(backlog);
            }
            else if (state.Delivered != backlog.Position)
            {
                // Redis moved on further than this replica has delivered: bring the existing listeners along.
                await CatchUpLockedAsync(state);
            }

            return backlog;
        }
        catch when (state.Listeners.Count == 0)
        {
            await CloseLockedAsync(state);
            throw;
        }
    }

    private async Task UnsubscribeAsync(RedisRoom state, IRoomListener listener)
    {
        await state.Gate.WaitAsync();
        try
        {
            state.Listeners.RemoveAll(l => ReferenceEquals(l.Listener, listener));
            if (state.Listeners.Count == 0 && !state.Closed)
            {
                await CloseLockedAsync(state);
            }
        }
        finally
        {
            state.Gate.Release();
        }
    }

    private async Task CloseLockedAsync(RedisRoom state)
    {
        state.Closed = true;
        _rooms.TryRemove(new KeyValuePair<string, RedisRoom>(state.Name, state));
        if (state.Queue is { } queue)
        {
            state.Queue = null;
            try
            {
                await queue.UnsubscribeAsync();
            }
            catch (Exception e) when (e is RedisException or TimeoutException)
            {
                _logger.LogDebug(e, "Unsubscribing from {Room} failed; Redis drops it with the connection", state.Name);
            }
        }
    }

    private async Task OnPublishedAsync(RedisRoom state, ChannelMessage published)
    {
        var text = (string)published.Message!;
        var first = text.IndexOf('\n');
        var second = text.IndexOf('\n', first + 1);
        var epoch = text[..first];
        var offset = long.Parse(text.AsSpan(first + 1, second - first - 1), CultureInfo.InvariantCulture);

        await state.Gate.WaitAsync();
        try
        {
            if (state.Closed || state.Delivered is not { } delivered)
            {
                return;
            }

            if (epoch == delivered.Epoch && offset <= delivered.Offset)
            {
                return; // Already delivered (read from the stream while catching up).
            }

            if (epoch == delivered.Epoch && offset == delivered.Offset + 1)
            {
                Deliver(state, StoredMessage.Parse(text[(second + 1)..], state.Name, epoch, offset));
                return;
            }

            // A gap, or a new epoch: the stream has the truth.
            await CatchUpLockedAsync(state);
        }
        catch (Exception e)
        {
            // The next message or the reconnect catches up again.
            _logger.LogWarning(e, "Delivery in room {Room} failed at {Epoch}/{Offset}", state.Name, epoch, offset);
        }
        finally
        {
            state.Gate.Release();
        }
    }

    private async Task CatchUpLockedAsync(RedisRoom state)
    {
        var backlog = await ReadSinceAsync(state.Name, state.Delivered, _historyLength);
        if (backlog.EpochChanged && state.Delivered is { Epoch.Length: > 0 })
        {
            _logger.LogWarning("Room {Room} was lost by Redis; it continues in epoch {Epoch}", state.Name, backlog.Position.Epoch);
        }

        foreach (var message in backlog.Messages)
        {
            Deliver(state, message);
        }

        state.Delivered = backlog.Position;
        if (state.Recent.End != backlog.Position)
        {
            state.Recent.Reset(backlog.Position);
        }
    }

    /// <summary>A read served here still keeps the room alive in Redis, as a stream read would (at most once a minute).</summary>
    private IReadOnlyList<ChatMessage> Touched(RedisRoom state, IReadOnlyList<ChatMessage> messages)
    {
        var now = _time.GetTimestamp();
        if (_time.GetElapsedTime(state.TouchedAt, now) >= TouchInterval)
        {
            state.TouchedAt = now;
            var db = _redis.GetDatabase();
            var retention = TimeSpan.FromMilliseconds(_retentionMs);
            db.KeyExpire(RedisKeys.Meta(state.Name), retention, CommandFlags.FireAndForget);
            db.KeyExpire(RedisKeys.Stream(state.Name), retention, CommandFlags.FireAndForget);
        }

        return messages;
    }

    private static void Deliver(RedisRoom state, ChatMessage message)
    {
        state.Delivered = new RoomPosition(message.Epoch, message.Offset);
        state.Recent.Add(message);
        foreach (var entry in state.Listeners)
        {
            if (entry.Floor.Epoch == message.Epoch && message.Offset <= entry.Floor.Offset)
            {
                continue; // Part of this listener's backlog already.
            }

            entry.Floor = state.Delivered;
            entry.Listener.OnMessage(message);
        }
    }

    private void OnConnectionRestored(object? sender, ConnectionFailedEventArgs e)
    {
        foreach (var state in _rooms.Values)
        {
            _ = CatchUpAfterReconnectAsync(state);
        }
    }

    private async Task CatchUpAfterReconnectAsync(RedisRoom state)
    {
        await state.Gate.WaitAsync();
        try
        {
            if (!state.Closed && state.Delivered is not null)
            {
                await CatchUpLockedAsync(state);
            }
        }
        catch (Exception e)
        {
            _logger.LogWarning(e, "Catching up room {Room} after a reconnect failed", state.Name);
        }
        finally
        {
            state.Gate.Release();
        }
    }

    private async Task<RedisResult> RunAsync(string room, string script, RedisValue[] arguments)
    {
        EnsureConnected();
        try
        {
            return await _redis.GetDatabase().ScriptEvaluateAsync(script, [RedisKeys.Meta(room), RedisKeys.Stream(room)], arguments);
        }
        catch (Exception e) when (RedisFailures.IsUnavailable(e))
        {
            throw RedisFailures.Unavailable(e);
        }
    }

    /// <summary>
    /// Redis WAIT on the connection that ran the append (the room's primary): the message is on enough replicas to
    /// survive a failover. A primary with fewer replicas than asked for (one was just promoted) needs all it has.
    /// When they do not confirm in time the sender hears "unavailable": it was stored on the primary and may still
    /// be delivered, but it is not promised.
    /// </summary>
    private async Task WaitForReplicasAsync(string room)
    {
        if (_redisOptions.WaitForReplicas == 0)
        {
            return;
        }

        long acknowledged;
        int required;
        try
        {
            var endpoint = _redis.GetDatabase().IdentifyEndpoint(RedisKeys.Meta(room))!;
            required = Math.Min(_redisOptions.WaitForReplicas, await _replicaCounts.OfAsync(endpoint));
            if (required == 0)
            {
                return;
            }

            acknowledged = (long)await _redis.GetServer(endpoint).ExecuteAsync("WAIT", required, (long)_redisOptions.WaitTimeout.TotalMilliseconds);
        }
        catch (Exception e) when (RedisFailures.IsUnavailable(e))
        {
            throw new BrokerUnavailableException("Redis did not confirm the message.", e);
        }

        if (acknowledged < required)
        {
            throw new BrokerUnavailableException(
                $"The message reached {acknowledged} of {required} Redis replicas within {_redisOptions.WaitTimeout.TotalMilliseconds:0} ms: it is not confirmed (it may still appear).");
        }
    }

    /// <summary>Fail at once while Redis is away instead of queueing until a timeout.</summary>
    private void EnsureConnected()
    {
        if (!_redis.IsConnected)
        {
            throw new BrokerUnavailableException("Redis is not connected.");
        }
    }

    private static string NewEpoch() => Guid.NewGuid().ToString("N")[..12];

    private sealed class RedisRoom(string name, int recentLength)
    {
        public string Name { get; } = name;

        /// <summary>Kept in step with <see cref="Delivered"/>: the backlog of the next listener to join here.</summary>
        public RecentMessages Recent { get; } = new(recentLength);

        public SemaphoreSlim Gate { get; } = new(1, 1);

        public List<ListenerEntry> Listeners { get; } = [];

        public ChannelMessageQueue? Queue { get; set; }

        /// <summary>The last position delivered to this replica's listeners.</summary>
        public RoomPosition? Delivered { get; set; }

        public bool Closed { get; set; }

        /// <summary>When a read served from <see cref="Recent"/> last refreshed the room's TTL.</summary>
        public long TouchedAt { get; set; }
    }

    private sealed class ListenerEntry(IRoomListener listener, RoomPosition floor)
    {
        public IRoomListener Listener { get; } = listener;

        /// <summary>The last position this listener has (backlog or live); anything at or before it is skipped.</summary>
        public RoomPosition Floor { get; set; } = floor;
    }
}
