using Microsoft.AspNetCore.SignalR.Client;
using Chat.Contracts;
using Chat.Server.Tests.Support;
using Chat.Testing;
using Microsoft.AspNetCore.SignalR;

namespace Chat.Server.Tests.MultiProcess;

/// <summary>
/// Two chat-server processes sharing one redis-server; Chat.Client clients on each (the hub called directly where a
/// test needs the older contract or a second name). Each test uses its own room.
/// </summary>
public sealed class TwoReplicaChatTests(TwoReplicas replicas) : IClassFixture<TwoReplicas>
{
    [Fact]
    public async Task Messages_sent_on_both_replicas_reach_everyone_once_in_one_order()
    {
        const string room = "order";
        var clients = new List<RecordingChatClient>();
        try
        {
            for (var i = 0; i < 4; i++)
            {
                var client = await RecordingChatClient.StartAsync(i % 2 == 0 ? replicas.A.BaseAddress : replicas.B.BaseAddress, $"user{i}");
                clients.Add(client);
                await client.JoinAsync(room);
            }

            // Everyone sends at once, from both replicas.
            await Task.WhenAll(clients.Select((c, i) => Task.Run(async () =>
            {
                for (var n = 0; n < 15; n++)
                {
                    await c.SendAsync(room, $"{i}:{n}");
                }
            })));

            foreach (var client in clients)
            {
                Assert.True(await client.WaitForAsync(c => c.Chats(room).Count == 60), $"got {client.Chats(room).Count} of 60");
            }

            var reference = clients[0].Messages(room).Select(m => (m.Offset, m.Sender, m.Content)).ToArray();
            var chats = clients[0].Chats(room);
            Assert.Equal(Enumerable.Range(1, reference.Length).Select(o => (long)o), reference.Select(r => r.Offset));
            foreach (var client in clients)
            {
                Assert.Equal(reference, client.Messages(room).Select(m => (m.Offset, m.Sender, m.Content)));
                Assert.Equal(client.Arrivals(room).Count, client.Arrivals(room).Select(a => a.Message.Offset).Distinct().Count()); // never sent twice
            }

            // Each sender's own messages keep the order it sent them in.
            for (var i = 0; i < 4; i++)
            {
                var mine = chats.Where(m => m.Sender == $"user{i}").Select(m => m.Content);
                Assert.Equal(Enumerable.Range(0, 15).Select(n => $"{i}:{n}"), mine);
            }
        }
        finally
        {
            foreach (var client in clients)
            {
                await client.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task History_written_on_one_replica_is_served_by_the_other()
    {
        const string room = "history";
        await using var alice = await RecordingChatClient.StartAsync(replicas.A.BaseAddress, "alice");
        await alice.JoinAsync(room);
        for (var i = 1; i <= 5; i++)
        {
            await alice.SendAsync(room, $"h{i}");
        }

        await using var bob = await RecordingChatClient.StartAsync(replicas.B.BaseAddress, "bob");
        var joined = await bob.JoinAsync(room);
        Assert.Equal("b", joined.Replica);
        Assert.Equal(["h1", "h2", "h3", "h4", "h5"], joined.History.Where(m => m.Type == MessageType.CHAT).Select(m => m.Content));
        Assert.Equal(["alice", "bob"], joined.Members);
        Assert.Equal((MessageType.JOIN, "bob", joined.Offset), (joined.History[^1].Type, joined.History[^1].Sender, joined.History[^1].Offset));
    }

    [Fact]
    public async Task Resume_after_a_killed_connection_returns_exactly_the_gap_on_the_other_replica()
    {
        const string room = "resume";
        await using var bob = await RecordingChatClient.StartAsync(replicas.B.BaseAddress, "bob");
        await bob.JoinAsync(room);
        var alice = await RecordingChatClient.StartAsync(replicas.A.BaseAddress, "alice");
        await alice.JoinAsync(room);
        for (var i = 1; i <= 3; i++)
        {
            await bob.SendAsync(room, $"before{i}");
        }

        Assert.True(await alice.WaitForAsync(c => c.Chats(room).Count == 3));
        var last = alice.Messages(room)[^1];
        await alice.DisposeAsync(); // gone without leaving

        var gap = new List<long>();
        for (var i = 1; i <= 4; i++)
        {
            gap.Add((await bob.SendAsync(room, $"missed{i}"))!.Value);
        }

        // Back as alice on the other replica within the grace period, with her first connection's secret: the gap, then live.
        await using var again = await RawHubClient.ConnectAsync(replicas.B.BaseAddress);
        var rejoined = await again.Connection.InvokeAsync<JoinResult>(ChatHubProtocol.Join, room, "alice", new RoomPosition(last.Epoch, last.Offset), alice.Client.ReconnectSecret);
        var missed = rejoined.History;
        Assert.Equal(["missed1", "missed2", "missed3", "missed4"], missed.Select(m => m.Content));
        Assert.Equal(gap, missed.Select(m => m.Offset));

        // No LEAVE/JOIN flicker, and live messages follow the gap.
        await bob.SendAsync(room, "after");
        Assert.True(await again.WaitForAsync(c => c.Received(room).Any(m => m.Content == "after")));
        await Task.Delay(TwoReplicas.PresenceGrace + TimeSpan.FromSeconds(1));
        Assert.Equal(1, bob.Messages(room).Count(m => m.Type == MessageType.JOIN && m.Sender == "alice"));
        Assert.DoesNotContain(bob.Messages(room), m => m.Type == MessageType.LEAVE);
    }

    [Fact]
    public async Task Presence_counts_a_user_once_across_replicas_and_leaves_after_the_last_connection_and_grace()
    {
        const string room = "presence";
        await using var watcher = await RecordingChatClient.StartAsync(replicas.B.BaseAddress, "watcher");
        await watcher.JoinAsync(room);

        var first = await RecordingChatClient.StartAsync(replicas.A.BaseAddress, "carol");
        await first.JoinAsync(room);
        // Another connection of carol's (another tab) presents her reconnection secret; without it the name is taken.
        var second = await RecordingChatClient.StartAsync(replicas.B.BaseAddress, "carol", configure: o => o.ReconnectSecret = first.Client.ReconnectSecret);
        var joined = await second.JoinAsync(room);
        Assert.Equal(["carol", "watcher"], joined.Members);

        // The JOIN made on replica a reaches the watcher on b through the room broker, and its presence update with it.
        Assert.True(await watcher.WaitForAsync(c => c.Presence.Any(p => p.Room == room && p.Members.Contains("carol"))));

        await first.DisposeAsync();
        await Task.Delay(TwoReplicas.PresenceGrace + TimeSpan.FromSeconds(1)); // past the grace period: carol is still there on b
        Assert.DoesNotContain(watcher.Messages(room), m => m.Type == MessageType.LEAVE);

        await second.DisposeAsync();
        Assert.True(await watcher.WaitForAsync(c => c.Messages(room).Any(m => m is { Type: MessageType.LEAVE, Sender: "carol" })));
        Assert.True(await watcher.WaitForAsync(c => c.Presence.LastOrDefault(p => p.Room == room)?.Members is ["watcher"]));
        Assert.Equal(1, watcher.Messages(room).Count(m => m is { Type: MessageType.JOIN, Sender: "carol" }));
        Assert.Equal(1, watcher.Messages(room).Count(m => m is { Type: MessageType.LEAVE, Sender: "carol" }));
    }

    [Fact]
    public async Task The_sender_is_the_joined_name_and_cannot_be_changed()
    {
        const string room = "identity";
        await using var bob = await RecordingChatClient.StartAsync(replicas.B.BaseAddress, "bob");
        await bob.JoinAsync(room);
        await using var mallory = await RawHubClient.ConnectAsync(replicas.A.BaseAddress);
        await mallory.JoinAsync(room, "mallory");

        var refused = await Assert.ThrowsAsync<HubException>(() => mallory.JoinAsync("elsewhere", "bob"));
        Assert.Contains("already joined as 'mallory'", refused.Message);
        await mallory.SendAsync(room, "hello");
        Assert.True(await bob.WaitForAsync(c => c.Chats(room).Any()));
        Assert.Equal("mallory", bob.Chats(room).Single().Sender);
    }

    [Fact]
    public async Task Every_response_names_its_replica_and_both_are_ready()
    {
        var a = await replicas.A.GetAsync("/readyz");
        var b = await replicas.B.GetAsync("/");
        Assert.Equal(200, a.Status);
        Assert.Equal("a", a.Headers["X-Chat-Replica"]);
        Assert.Equal("b", b.Headers["X-Chat-Replica"]);
    }
}
