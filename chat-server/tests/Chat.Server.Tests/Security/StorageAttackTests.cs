using Chat.Contracts;
using Chat.Server.Tests.Support;
using Chat.Testing;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using StackExchange.Redis;

namespace Chat.Server.Tests.Security;

/// <summary>
/// Redis storage attacked through the hub (issue "Why": keys without TTL forever, reads that create keys,
/// `Resume(room, epoch, 1e14)` failing with "ERR Invalid stream ID" and a stack trace per call, unbounded growth).
/// </summary>
public sealed class StorageAttackTests : IAsyncLifetime
{
    private RedisServer _redis = null!;
    private InProcessChatServer _server = null!;
    private ConnectionMultiplexer _admin = null!;

    public async Task InitializeAsync()
    {
        _redis = await RedisServer.StartAsync();
        _admin = await ConnectionMultiplexer.ConnectAsync(_redis.ConnectionString + ",allowAdmin=true");
        _server = new InProcessChatServer(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Redis"] = _redis.ConnectionString,
            ["Chat:RoomRetentionSeconds"] = "3600",
        });
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _admin.DisposeAsync();
        await _redis.DisposeAsync();
    }

    [Fact]
    public async Task Any_offset_is_clamped_and_nonsense_is_a_clear_error_without_a_stack_trace()
    {
        await using var client = await RawHubClient.ConnectAsync(_server.BaseAddress);
        var joined = await client.JoinAsync("offsets", "olga");
        await client.SendAsync("offsets", "one");

        Assert.Empty(await client.ResumeAsync("offsets", joined.Epoch, 100_000_000_000_000)); // 1e14: past the end, nothing
        Assert.Empty(await client.ResumeAsync("offsets", joined.Epoch, long.MaxValue));
        Assert.Equal(["one"], (await client.ResumeAsync("offsets", joined.Epoch, joined.Offset)).Select(m => m.Content));
        var negative = await Assert.ThrowsAsync<HubException>(() => client.ResumeAsync("offsets", joined.Epoch, -5));
        Assert.Contains("Invalid resume position", negative.Message);
        var metrics = await _server.CreateClient().GetStringAsync("/metrics");
        Assert.DoesNotContain("kind=\"internal\"", metrics); // no failure of ours, nothing logged with a stack trace
    }

    [Fact]
    public async Task Room_keys_expire_and_reads_create_none()
    {
        await using var client = await RawHubClient.ConnectAsync(_server.BaseAddress);
        await client.JoinAsync("ttl", "tina");
        await client.SendAsync("ttl", "kept for an hour");
        var db = _admin.GetDatabase();
        foreach (var key in new[] { "chat:{ttl}:meta", "chat:{ttl}:stream", "chat:{ttl}:members" })
        {
            var ttl = await db.KeyTimeToLiveAsync(key);
            Assert.True(ttl is { } t && t > TimeSpan.Zero && t <= TimeSpan.FromHours(1), $"{key}: TTL {ttl}");
        }

        // A member whose room Redis lost reads it: nothing is created by the read.
        await db.KeyDeleteAsync(["chat:{ttl}:meta", "chat:{ttl}:stream"]);
        await client.ResumeAsync("ttl", "oldepoch", 3);
        Assert.False(await db.KeyExistsAsync("chat:{ttl}:meta"));
        Assert.False(await db.KeyExistsAsync("chat:{ttl}:stream"));

        var server = _admin.GetServer(_admin.GetEndPoints()[0]);
        var withoutTtl = new List<string>();
        await foreach (var key in server.KeysAsync(pattern: "chat:*"))
        {
            if (await db.KeyTimeToLiveAsync(key) is null && key != "chat:load")
            {
                withoutTtl.Add(key!);
            }
        }

        Assert.Empty(withoutTtl);
    }

    [Fact]
    public async Task A_full_redis_refuses_writes_and_the_sender_gets_the_clear_unavailable_error()
    {
        await using var client = await RawHubClient.ConnectAsync(_server.BaseAddress);
        await client.JoinAsync("full", "fred");
        var server = _admin.GetServer(_admin.GetEndPoints()[0]);
        var used = (await server.InfoAsync("memory")).SelectMany(g => g).First(p => p.Key == "used_memory").Value;
        await server.ConfigSetAsync("maxmemory-policy", "noeviction");
        await server.ConfigSetAsync("maxmemory", long.Parse(used) + 1024);
        try
        {
            HubException? refused = null;
            for (var i = 0; i < 200 && refused is null; i++)
            {
                try
                {
                    await client.SendAsync("full", new string('x', 1500));
                }
                catch (HubException e)
                {
                    refused = e;
                }
            }

            Assert.NotNull(refused);
            Assert.Contains("unavailable", refused.Message);
            Assert.Contains("kind=\"broker_unavailable\"", await _server.CreateClient().GetStringAsync("/metrics"));
        }
        finally
        {
            await server.ConfigSetAsync("maxmemory", 0);
        }

        await client.SendAsync("full", "room again"); // and it works again once Redis has room
    }
}
