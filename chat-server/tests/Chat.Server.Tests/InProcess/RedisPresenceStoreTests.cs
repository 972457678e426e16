using Chat.Server.Hosting;
using Chat.Server.Backplane;
using Chat.Server.Backplane.Redis;
using Chat.Testing;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Chat.Server.Tests.InProcess;

/// <summary>Presence in a real redis-server, as two replicas see it.</summary>
public sealed class RedisPresenceStoreTests
{
    [Fact]
    public async Task A_user_joins_once_leaves_with_the_last_replica_and_drops_out_when_their_replica_stops_refreshing()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var connection = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString);
        var a = Store(connection, "a");
        var b = Store(connection, "b");

        Assert.True(await a.AddAsync("room", "carol"));
        Assert.False(await b.AddAsync("room", "carol")); // already present through a: no second JOIN
        Assert.True(await b.AddAsync("room", "dave"));
        Assert.Equal(["carol", "dave"], await a.GetMembersAsync("room"));

        Assert.False(await a.RemoveAsync("room", "carol")); // still on b
        Assert.True(await b.RemoveAsync("room", "carol"));  // gone everywhere: LEAVE
        Assert.Equal(["dave"], await a.GetMembersAsync("room"));

        // b "crashes": dave's entry is no longer refreshed. After the TTL, he is no member, and one prune reports him.
        await Task.Delay(TimeSpan.FromSeconds(3.2));
        Assert.Empty(await a.GetMembersAsync("room"));
        Assert.Equal(["dave"], await a.PruneAsync("room"));
        Assert.Empty(await b.PruneAsync("room"));
    }

    private static RedisPresenceStore Store(IConnectionMultiplexer connection, string replica) =>
        new(connection, Options.Create(new ChatOptions { ReplicaId = replica, PresenceTtlSeconds = 3 }));
}
