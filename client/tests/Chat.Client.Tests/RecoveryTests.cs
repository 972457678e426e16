using Chat.Contracts;
using Chat.Testing;

namespace Chat.Client.Tests;

/// <summary>What the client recovers from by itself: a lost delivery (a gap), a Redis restart, a server not up yet.</summary>
[Collection(ProcessCollection.Name)]
public sealed class RecoveryTests
{
    [Theory]
    [InlineData(ChatProtocol.SignalR)]
    [InlineData(ChatProtocol.Stomp)]
    public async Task A_lost_delivery_is_a_gap_recovered_by_joining_again_from_the_position(ChatProtocol protocol)
    {
        await using var servers = await ChatServers.StartAsync(replicas: 1, redis: false);
        await using var sender = await RecordingChatClient.StartAsync(servers.Entry, "sender");
        await using var receiver = await RecordingChatClient.StartAsync(servers.Entry, "receiver", protocol);
        await sender.JoinAsync("gaps");
        var joined = await receiver.JoinAsync("gaps");
        var lost = new HashSet<string>();
        receiver.Client.LoseArriving = m => m.Content is "m3" or "m7" && lost.Add(m.Content); // the first arrival of each

        long last = 0;
        for (var i = 1; i <= 10; i++)
        {
            last = (await sender.SendAsync("gaps", $"m{i}"))!.Value;
        }

        Assert.True(await receiver.WaitForAsync(r => r.HasSeen("gaps", last)), $"got {string.Join(",", receiver.Chats("gaps").Select(m => m.Content))}");
        Assert.Equal(Enumerable.Range(1, 10).Select(i => $"m{i}"), receiver.Chats("gaps").Select(m => m.Content));
        Assert.Empty(receiver.SequenceProblems("gaps", joined.Epoch, joined.Offset, last));
        Assert.Equal(2, lost.Count);
        // The lost ones came back in the answers to the joins from the position, on the same connection.
        Assert.Contains(receiver.Arrivals("gaps"), a => a is { Origin: ChatMessageOrigin.Recovered, Message.Content: "m3" });
        Assert.Contains(receiver.Arrivals("gaps"), a => a is { Origin: ChatMessageOrigin.Recovered, Message.Content: "m7" });
        Assert.Equal(0, receiver.Reconnects);
    }

    [Fact]
    public async Task After_a_redis_restart_both_protocols_go_on_in_the_new_epoch_with_nothing_twice()
    {
        await using var servers = await ChatServers.StartAsync(replicas: 2, redis: true);
        var clients = new[]
        {
            await RecordingChatClient.StartAsync(servers.Replicas[0].BaseAddress, "signalr-1"),
            await RecordingChatClient.StartAsync(servers.Replicas[1].BaseAddress, "stomp-2", ChatProtocol.Stomp),
            await RecordingChatClient.StartAsync(servers.Replicas[1].BaseAddress, "signalr-2"),
            await RecordingChatClient.StartAsync(servers.Replicas[0].BaseAddress, "stomp-1", ChatProtocol.Stomp),
        };
        try
        {
            foreach (var client in clients)
            {
                await client.JoinAsync("outage");
            }

            for (var i = 0; i < 3; i++)
            {
                await clients[i % 2].SendAsync("outage", $"before{i}");
            }

            foreach (var client in clients)
            {
                Assert.True(await client.WaitForAsync(r => r.Chats("outage").Count == 3), client.User);
            }

            var epoch = clients[0].Chats("outage")[0].Epoch;

            await servers.Redis!.StopAsync();
            var refused = await Assert.ThrowsAsync<ChatServerException>(() => clients[0].SendAsync("outage", "lost?"));
            Assert.Contains("unavailable", refused.Reason);
            await servers.Redis.StartAgainAsync();

            // Once the replicas are back on Redis, a send goes through (from either protocol).
            Assert.True(await Eventually.TrueAsync(async () =>
            {
                await clients[0].SendAsync("outage", "after0");
                return true;
            }, TimeSpan.FromSeconds(40), TimeSpan.FromMilliseconds(500)), servers.Logs());
            Assert.True(await Eventually.TrueAsync(async () =>
            {
                await clients[1].SendAsync("outage", "after1");
                return true;
            }, TimeSpan.FromSeconds(40), TimeSpan.FromMilliseconds(500)), servers.Logs());

            foreach (var client in clients)
            {
                Assert.True(await client.WaitForAsync(c => c.Chats("outage").Any(m => m.Content == "after1"), 40),
                    $"{client.User}: {string.Join(",", client.Chats("outage").Select(m => m.Content))} ({client.Client.State})");
                var chats = client.Chats("outage").Select(m => m.Content!).ToArray();
                Assert.Equal(["before0", "before1", "before2", "after0", "after1"], chats);
                var after = client.Chats("outage").Single(m => m.Content == "after0");
                Assert.NotEqual(epoch, after.Epoch);
                Assert.DoesNotContain(client.Chats("outage"), m => m.Content == "lost?");
            }
        }
        finally
        {
            await Task.WhenAll(clients.Select(c => c.DisposeAsync().AsTask()));
        }
    }

    [Theory]
    [InlineData(ChatProtocol.SignalR)]
    [InlineData(ChatProtocol.Stomp)]
    public async Task A_client_started_before_its_server_retries_with_back_off_and_joins_once_it_is_up(ChatProtocol protocol)
    {
        var port = FreePort.Next();
        await using var client = new RecordingChatClient(new ChatClientOptions
        {
            BaseUrl = new Uri($"http://127.0.0.1:{port}/"),
            User = "early",
            Protocol = protocol,
        });
        var joining = client.Client.JoinAsync("early");
        var started = client.Client.StartAsync();
        Assert.True(await client.WaitForAsync(c => c.Errors.Count(e => e.Kind == ChatErrorKind.ConnectFailed) >= 2), "no failed attempts");
        Assert.False(started.IsCompleted);

        await using var server = await ServiceProcess.StartAsync("chat-server", "Chat.Server", OneHostLimits.With(OneHostLimits.ChatServer, new Dictionary<string, string?> { ["Chat:ReplicaId"] = "late" }), port);
        await started.WaitAsync(TimeSpan.FromSeconds(30));
        var joined = await joining.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("late", joined.Replica);
        await client.SendAsync("early", "hello");
        Assert.True(await client.WaitForAsync(c => c.Chats("early").Count == 1));
        Assert.Contains(client.States, s => s.State == ChatClientState.Reconnecting);
        Assert.Equal(ChatClientState.Connected, client.Client.State);
    }
}
