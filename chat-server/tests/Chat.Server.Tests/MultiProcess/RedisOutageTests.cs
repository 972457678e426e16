using Chat.Client;
using Chat.Contracts;
using Chat.Server.Tests.Support;
using Chat.Testing;

namespace Chat.Server.Tests.MultiProcess;

/// <summary>Redis stopped and started again while two replicas and their clients stay up.</summary>
public sealed class RedisOutageTests : IAsyncLifetime
{
    private readonly TwoReplicas _replicas = new();

    public Task InitializeAsync() => _replicas.InitializeAsync();

    public Task DisposeAsync() => _replicas.DisposeAsync();

    [Fact]
    public async Task While_Redis_is_down_sends_fail_clearly_and_readiness_drops_then_everything_recovers_by_itself()
    {
        const string room = "outage";
        await using var alice = await RecordingChatClient.StartAsync(_replicas.A.BaseAddress, "alice");
        await using var bob = await RecordingChatClient.StartAsync(_replicas.B.BaseAddress, "bob");
        await alice.JoinAsync(room);
        await bob.JoinAsync(room);
        await alice.SendAsync(room, "before");
        Assert.True(await bob.WaitForAsync(c => c.Chats(room).Count == 1));

        await _replicas.Redis.StopAsync();

        var error = await Assert.ThrowsAsync<ChatServerException>(() => alice.SendAsync(room, "lost?"));
        Assert.Contains("unavailable", error.Reason);
        Assert.True(await Eventually.TrueAsync(async () => !await _replicas.A.IsReadyAsync() && !await _replicas.B.IsReadyAsync(), TimeSpan.FromSeconds(10)));
        Assert.Equal(503, (await _replicas.B.GetAsync("/readyz")).Status);

        await _replicas.Redis.StartAgainAsync();

        Assert.True(await Eventually.TrueAsync(async () => await _replicas.A.IsReadyAsync() && await _replicas.B.IsReadyAsync(), TimeSpan.FromSeconds(30)));
        // The first send may still meet a connection that is coming back; then it gets the same clear error.
        Assert.True(await Eventually.TrueAsync(async () =>
        {
            await bob.SendAsync(room, "after");
            return true;
        }, TimeSpan.FromSeconds(15), TimeSpan.FromMilliseconds(500)));

        Assert.True(await alice.WaitForAsync(c => c.Chats(room).Any(m => m.Content == "after"), 15));
        Assert.DoesNotContain(alice.Arrivals(room), a => a.Message.Content == "lost?");
        Assert.DoesNotContain(bob.Arrivals(room), a => a.Message.Content == "lost?");
        // Redis lost the room (no persistence): it goes on in a new epoch, the same for both replicas.
        var after = alice.Arrivals(room).Select(a => a.Message).Single(m => m.Content == "after");
        Assert.NotEqual(alice.Messages(room).First(m => m.Content == "before").Epoch, after.Epoch);
        Assert.True(await bob.WaitForAsync(c => c.Messages(room).Any(m => m.Content == "after" && m.Epoch == after.Epoch)));
        // Presence was put back by the replicas.
        Assert.True(await Eventually.TrueAsync(async () =>
        {
            var joined = await bob.JoinAsync(room);
            return joined.Members.SequenceEqual(["alice", "bob"]);
        }, TimeSpan.FromSeconds(15), TimeSpan.FromMilliseconds(500)));
        var arrived = alice.Arrivals(room).Select(a => a.Message).ToArray();
        Assert.DoesNotContain(arrived, m => m.Type == MessageType.CHAT && arrived.Count(x => x.Epoch == m.Epoch && x.Offset == m.Offset) > 1);
    }
}
