using Chat.Contracts;
using Chat.Server.Backplane;
using Chat.Server.Backplane.Redis;
using Chat.Server.Hosting;
using Chat.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace Chat.Server.Tests.Cluster;

/// <summary>The Redis broker on a real Redis Cluster: rooms spread over every shard, each in one slot, in order.</summary>
[Collection(RedisClusterCollection.Name)]
public sealed class RedisClusterBrokerTests(RedisClusterFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task A_thousand_rooms_spread_over_all_three_primaries_and_each_keeps_its_order()
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync(fixture.Cluster.ConnectionString);
        using var broker = new RedisRoomBroker(redis, Options.Create(new ChatOptions()), Options.Create(new RedisBackplaneOptions()), TimeProvider.System, NullLogger<RedisRoomBroker>.Instance);

        var rooms = Enumerable.Range(0, 1000).Select(i => $"spread-{i}").ToArray();
        var byPrimary = rooms.GroupBy(r => redis.GetDatabase().IdentifyEndpoint(RedisKeys.Meta(r))!.ToString()!).ToDictionary(g => g.Key, g => g.Count());
        output.WriteLine("rooms per primary: " + string.Join(", ", byPrimary.Select(p => $"{p.Key} {p.Value}")));
        Assert.Equal(3, byPrimary.Count);
        Assert.All(byPrimary.Values, count => Assert.InRange(count, 250, 420));

        // Every room's stream, meta and channel hash to one slot: its script and subscription work on its shard.
        var listeners = rooms.Take(30).ToDictionary(r => r, _ => new CollectingListener());
        var subscriptions = new List<RoomSubscription>();
        foreach (var (room, listener) in listeners)
        {
            subscriptions.Add(await broker.SubscribeAsync(room, null, 10, listener));
        }

        foreach (var i in Enumerable.Range(1, 5))
        {
            await Task.WhenAll(listeners.Keys.Select(room => broker.PublishAsync(room, MessageType.CHAT, "a", $"{i}")));
        }

        Assert.True(await Eventually.TrueAsync(() => listeners.Values.All(l => l.Messages.Count == 5), TimeSpan.FromSeconds(20)));
        Assert.All(listeners.Values, l => Assert.Equal([1L, 2, 3, 4, 5], l.Messages.Select(m => m.Offset)));
        foreach (var subscription in subscriptions)
        {
            await subscription.DisposeAsync();
        }
    }

    internal sealed class CollectingListener : IRoomListener
    {
        private readonly List<ChatMessage> _messages = [];

        public IReadOnlyList<ChatMessage> Messages
        {
            get
            {
                lock (_messages)
                {
                    return [.. _messages];
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
