using Chat.Testing;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace Chat.Server.Tests.Cluster;

/// <summary>
/// Two chat-server processes on a real Redis Cluster (each test its own cluster): both stay up, rooms on every shard
/// keep one order for every subscriber, and neither a primary killed while clients send nor a slot moved to another
/// primary with <c>redis-cli --cluster reshard</c> loses or duplicates a confirmed message.
/// </summary>
public sealed class TwoReplicasOnClusterTests(ITestOutputHelper output) : IAsyncLifetime
{
    private RedisCluster _cluster = null!;
    private ServiceProcess _a = null!;
    private ServiceProcess _b = null!;

    public async Task InitializeAsync()
    {
        _cluster = await RedisCluster.StartAsync();
        var started = await Task.WhenAll(StartReplicaAsync("a"), StartReplicaAsync("b"));
        (_a, _b) = (started[0], started[1]);
    }

    public async Task DisposeAsync()
    {
        foreach (var replica in new[] { _a, _b })
        {
            if (replica is not null)
            {
                await replica.DisposeAsync();
            }
        }

        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }

    [Fact]
    public async Task Rooms_on_every_shard_keep_one_order_across_two_replicas()
    {
        var rooms = Enumerable.Range(0, 12).Select(i => $"order-{i}").ToArray();
        await using var onA = await ClusterSubscriber.JoinAsync(_a, rooms);
        await using var onB = await ClusterSubscriber.JoinAsync(_b, rooms);
        for (var i = 0; i < 10; i++)
        {
            await Task.WhenAll(rooms.Select(room => (i % 2 == 0 ? onA : onB).SendAsync(room, $"m{i}")));
        }

        Assert.True(await Eventually.TrueAsync(() => rooms.All(r => onA.Chats(r).Count == 10 && onB.Chats(r).Count == 10), TimeSpan.FromSeconds(30)));
        foreach (var room in rooms)
        {
            Assert.Equal(onA.Chats(room).Select(m => (m.Offset, m.Content)), onB.Chats(room).Select(m => (m.Offset, m.Content)));
            Assert.Equal(onA.Chats(room).Select(m => m.Offset).Order(), onA.Chats(room).Select(m => m.Offset));
        }

        Assert.False(_a.Process.HasExited || _b.Process.HasExited, "a chat replica stopped on the cluster");
    }

    [Fact]
    public async Task A_primary_killed_while_clients_send_loses_and_duplicates_no_confirmed_message()
    {
        const string room = "failover";
        await using var onA = await ClusterSubscriber.JoinAsync(_a, [room]);
        await using var onB = await ClusterSubscriber.JoinAsync(_b, [room]);
        var epoch = await onA.SendAndReadEpochAsync(room, "before");
        await using var traffic = new ConfirmedTraffic(onB, room);
        await traffic.ConfirmedAtLeastAsync(50);

        await using var redis = await ConnectionMultiplexer.ConnectAsync(_cluster.ConnectionString);
        var primary = ((System.Net.IPEndPoint)redis.GetDatabase().IdentifyEndpoint($"chat:{{{room}}}:meta")!).Port;
        var killedAt = DateTime.UtcNow;
        _cluster.Kill(primary);
        var countAtKill = traffic.Confirmed.Count;
        Assert.True(await Eventually.TrueAsync(_cluster.IsHealthyAsync, TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(200)), "no replica took over");
        Assert.True(await traffic.ConfirmedAtLeastAsync(countAtKill + 50), "sending did not recover after the failover");
        output.WriteLine($"failover: sends confirmed again {(DateTime.UtcNow - killedAt).TotalSeconds:0.0} s after the kill; {traffic.Refused.Count} refused meanwhile");

        await traffic.StopAndVerifyAsync(room, epoch, onA, onB);
        output.WriteLine($"{traffic.Confirmed.Count} confirmed, {traffic.Refused.Count} refused, lost 0, duplicated 0");
    }

    [Fact]
    public async Task A_room_whose_slot_is_resharded_while_clients_send_loses_and_duplicates_no_confirmed_message()
    {
        var ranges = await _cluster.SlotRangesAsync();
        var source = ranges.OrderBy(r => r.First).First();
        var target = ranges.First(r => r.NodeId != source.NodeId);
        await using var redis = await ConnectionMultiplexer.ConnectAsync(_cluster.ConnectionString);
        var room = Enumerable.Range(0, 1_000_000).Select(i => $"reshard-{i}").First(r => redis.HashSlot($"chat:{{{r}}}:meta") == source.First);
        await using var onA = await ClusterSubscriber.JoinAsync(_a, [room]);
        await using var onB = await ClusterSubscriber.JoinAsync(_b, [room]);
        var epoch = await onA.SendAndReadEpochAsync(room, "before");
        await using var traffic = new ConfirmedTraffic(onB, room);
        await traffic.ConfirmedAtLeastAsync(50);

        await _cluster.ReshardAsync(source.NodeId, target.NodeId, slots: 1);
        var moved = (await _cluster.SlotRangesAsync()).Single(r => r.First <= source.First && source.First <= r.Last);
        Assert.Equal(target.NodeId, moved.NodeId);
        var countAfterMove = traffic.Confirmed.Count;
        Assert.True(await traffic.ConfirmedAtLeastAsync(countAfterMove + 50), "sending did not go on after the reshard");

        await traffic.StopAndVerifyAsync(room, epoch, onA, onB);
        output.WriteLine($"reshard of slot {source.First} to :{target.Port}: {traffic.Confirmed.Count} confirmed, {traffic.Refused.Count} refused, lost 0, duplicated 0");
    }

    private Task<ServiceProcess> StartReplicaAsync(string replica) =>
        ServiceProcess.StartAsync("chat-server", "Chat.Server", OneHostLimits.With(OneHostLimits.ChatServer, new Dictionary<string, string?>
        {
            ["ConnectionStrings:Redis"] = _cluster.ConnectionString,
            ["Chat:ReplicaId"] = replica,
            ["Chat:Redis:WaitForReplicas"] = "1",
        }));
}
