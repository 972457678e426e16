using Chat.Server.Hosting;
using Chat.Contracts;
using Chat.Server.Rooms;
using Chat.Server.Backplane;
using Chat.Server.Backplane.Redis;
using Chat.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Chat.Server.Tests.InProcess;

/// <summary>The Redis broker against a real redis-server: gaps in the fan-out are filled, lost rooms get a new epoch.</summary>
public sealed class RedisRoomBrokerTests : IAsyncLifetime
{
    private RedisServer _redis = null!;
    private ConnectionMultiplexer _connection = null!;
    private RedisRoomBroker _broker = null!;

    public async Task InitializeAsync()
    {
        _redis = await RedisServer.StartAsync();
        _connection = await ConnectionMultiplexer.ConnectAsync(_redis.ConnectionString + ",allowAdmin=true");
        _broker = new RedisRoomBroker(_connection, Options.Create(new ChatOptions { HistoryLength = 100 }), Options.Create(new RedisBackplaneOptions()), TimeProvider.System, NullLogger<RedisRoomBroker>.Instance);
    }

    public async Task DisposeAsync()
    {
        _broker.Dispose();
        await _connection.DisposeAsync();
        await _redis.DisposeAsync();
    }

    [Fact]
    public async Task A_message_whose_fan_out_was_lost_is_read_from_the_stream_before_the_next_one()
    {
        var listener = new CollectingListener();
        await using var subscription = await _broker.SubscribeAsync("gap", null, 10, listener);
        await _broker.PublishAsync("gap", MessageType.CHAT, "a", "1");

        // Appended to the stream, but its pub/sub message goes nowhere, as during a blip of this replica's connection.
        await _connection.GetDatabase().ScriptEvaluateAsync(RedisRoomScripts.Publish,
            [RedisKeys.Meta("gap"), RedisKeys.Stream("gap")],
            ["unused", 100, new StoredMessage(MessageType.CHAT, "a", "2", DateTimeOffset.UtcNow).Serialize(), "nobody-listens", 60_000]);
        await _broker.PublishAsync("gap", MessageType.CHAT, "a", "3");

        Assert.True(await Eventually.TrueAsync(() => listener.Count == 3, TimeSpan.FromSeconds(10)));
        Assert.Equal(["1", "2", "3"], listener.Messages.Select(m => m.Content));
        Assert.Equal([1L, 2, 3], listener.Messages.Select(m => m.Offset));
    }

    [Fact]
    public async Task Resuming_in_the_same_epoch_returns_the_gap_and_after_Redis_lost_the_room_everything_retained()
    {
        var first = await _broker.PublishAsync("epochs", MessageType.CHAT, "a", "1");
        await _broker.PublishAsync("epochs", MessageType.CHAT, "a", "2");
        await _broker.PublishAsync("epochs", MessageType.CHAT, "a", "3");

        var gap = await _broker.ReadSinceAsync("epochs", new RoomPosition(first.Epoch, 1), 10);
        Assert.False(gap.EpochChanged);
        Assert.Equal(["2", "3"], gap.Messages.Select(m => m.Content));

        await _connection.GetServer(_connection.GetEndPoints()[0]).FlushAllDatabasesAsync();
        var fresh = await _broker.PublishAsync("epochs", MessageType.CHAT, "a", "new");
        Assert.NotEqual(first.Epoch, fresh.Epoch);
        Assert.Equal(1, fresh.Offset);

        var resumed = await _broker.ReadSinceAsync("epochs", new RoomPosition(first.Epoch, 3), 10);
        Assert.True(resumed.EpochChanged);
        Assert.Equal(["new"], resumed.Messages.Select(m => m.Content));
    }

    [Fact]
    public async Task History_is_bounded_and_served_oldest_first()
    {
        for (var i = 1; i <= 150; i++)
        {
            await _broker.PublishAsync("bounded", MessageType.CHAT, "a", i.ToString());
        }

        var latest = await _broker.ReadSinceAsync("bounded", null, 5);
        Assert.Equal(["146", "147", "148", "149", "150"], latest.Messages.Select(m => m.Content));
        Assert.InRange(await _connection.GetDatabase().StreamLengthAsync(RedisKeys.Stream("bounded")), 100, 149);
    }

    [Fact]
    public async Task A_listener_joining_a_room_live_here_gets_the_backlog_a_stream_read_gives_as_the_messages_already_delivered()
    {
        var first = new CollectingListener();
        await using var live = await _broker.SubscribeAsync("live", null, 50, first);
        for (var i = 1; i <= 60; i++)
        {
            await _broker.PublishAsync("live", MessageType.CHAT, "a", i.ToString());
        }

        Assert.True(await Eventually.TrueAsync(() => first.Count == 60, TimeSpan.FromSeconds(10)));
        var epoch = first.Messages[0].Epoch;

        var joining = new CollectingListener();
        await using var joined = await _broker.SubscribeAsync("live", null, 50, joining);
        var read = await _broker.ReadSinceAsync("live", null, 50);
        Assert.Equal(read.Messages.Select(m => m.Content), joining.Messages.Select(m => m.Content));
        Assert.Equal(read.Position, joined.Position);
        Assert.All(joining.Messages, m => Assert.Same(first.Messages[(int)m.Offset - 1], m));

        var resuming = new CollectingListener();
        await using var resumed = await _broker.SubscribeAsync("live", new RoomPosition(epoch, 30), 1000, resuming);
        Assert.Equal(Enumerable.Range(31, 30).Select(i => i.ToString()), resuming.Messages.Select(m => m.Content));

        var older = new CollectingListener();
        await using var fromStream = await _broker.SubscribeAsync("live", new RoomPosition(epoch, 5), 1000, older);
        Assert.Equal(Enumerable.Range(6, 55).Select(i => i.ToString()), older.Messages.Select(m => m.Content));

        await _broker.PublishAsync("live", MessageType.CHAT, "a", "61");
        CollectingListener[] all = [first, joining, resuming, older];
        Assert.True(await Eventually.TrueAsync(() => all.All(l => l.Messages.LastOrDefault()?.Content == "61"), TimeSpan.FromSeconds(10)));
        Assert.All(all, l => Assert.Equal(l.Messages.Select(m => m.Offset).Distinct().Count(), l.Count));
    }

    [Fact]
    public async Task A_listener_resuming_from_further_than_this_replica_delivered_gets_each_later_message_once()
    {
        var first = new CollectingListener();
        await using var live = await _broker.SubscribeAsync("ahead", null, 10, first);
        var one = await _broker.PublishAsync("ahead", MessageType.CHAT, "a", "1");
        Assert.True(await Eventually.TrueAsync(() => first.Count == 1, TimeSpan.FromSeconds(10)));

        // Offset 2 reaches the stream but not this replica (yet): a client that saw it elsewhere resumes from it here.
        await _connection.GetDatabase().ScriptEvaluateAsync(RedisRoomScripts.Publish,
            [RedisKeys.Meta("ahead"), RedisKeys.Stream("ahead")],
            ["unused", 100, new StoredMessage(MessageType.CHAT, "a", "2", DateTimeOffset.UtcNow).Serialize(), "nobody-listens", 60_000]);
        var resuming = new CollectingListener();
        await using var resumed = await _broker.SubscribeAsync("ahead", new RoomPosition(one.Epoch, 2), 1000, resuming);
        await _broker.PublishAsync("ahead", MessageType.CHAT, "a", "3");

        Assert.True(await Eventually.TrueAsync(() => first.Count == 3 && resuming.Count == 1, TimeSpan.FromSeconds(10)));
        Assert.Equal(["1", "2", "3"], first.Messages.Select(m => m.Content));
        Assert.Equal(["3"], resuming.Messages.Select(m => m.Content));
    }

    private sealed class CollectingListener : IRoomListener
    {
        private readonly List<ChatMessage> _messages = [];

        public int Count
        {
            get
            {
                lock (_messages)
                {
                    return _messages.Count;
                }
            }
        }

        public IReadOnlyList<ChatMessage> Messages
        {
            get
            {
                lock (_messages)
                {
                    return _messages.ToArray();
                }
            }
        }

        public void OnMessage(ChatMessage message)
        {
            lock (_messages)
            {
                _messages.Add(message);
            }
        }
    }
}
