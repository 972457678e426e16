using Microsoft.AspNetCore.SignalR.Client;
using Chat.Contracts;
using Chat.Server.Tests.Support;
using Microsoft.AspNetCore.SignalR;

namespace Chat.Server.Tests.MultiProcess;

/// <summary>Two chat-server processes sharing one redis-server; .NET SignalR clients on each. Each test uses its own room.</summary>
public sealed class TwoReplicaChatTests(TwoReplicas replicas) : IClassFixture<TwoReplicas>
{
    [Fact]
    public async Task Messages_sent_on_both_replicas_reach_everyone_once_in_one_order()
    {
        const string room = "order";
        var clients = new List<TestChatClient>();
        try
        {
            for (var i = 0; i < 4; i++)
            {
                var client = await TestChatClient.ConnectAsync(i % 2 == 0 ? replicas.A.BaseAddress : replicas.B.BaseAddress);
                clients.Add(client);
                await client.JoinAsync(room, $"user{i}");
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
                Assert.Equal(client.Raw.Count, client.Raw.Select(m => m.Offset).Distinct().Count()); // never delivered twice
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
        await using var alice = await TestChatClient.ConnectAsync(replicas.A.BaseAddress);
        await alice.JoinAsync(room, "alice");
        for (var i = 1; i <= 5; i++)
        {
            await alice.SendAsync(room, $"h{i}");
        }

        await using var bob = await TestChatClient.ConnectAsync(replicas.B.BaseAddress);
        var joined = await bob.JoinAsync(room, "bob");
        Assert.Equal("b", joined.Replica);
        Assert.Equal(["h1", "h2", "h3", "h4", "h5"], joined.History.Where(m => m.Type == MessageType.CHAT).Select(m => m.Content));
        Assert.Equal(["alice", "bob"], joined.Members);
        Assert.Equal((MessageType.JOIN, "bob", joined.Offset), (joined.History[^1].Type, joined.History[^1].Sender, joined.History[^1].Offset));
    }

    [Fact]
    public async Task Resume_after_a_killed_connection_returns_exactly_the_gap_on_the_other_replica()
    {
        const string room = "resume";
        await using var bob = await TestChatClient.ConnectAsync(replicas.B.BaseAddress);
        await bob.JoinAsync(room, "bob");
        var alice = await TestChatClient.ConnectAsync(replicas.A.BaseAddress);
        var aliceJoined = await alice.JoinAsync(room, "alice");
        for (var i = 1; i <= 3; i++)
        {
            await bob.SendAsync(room, $"before{i}");
        }

        Assert.True(await alice.WaitForAsync(c => c.Chats(room).Count == 3));
        var last = alice.Messages(room)[^1];
        await alice.Connection.DisposeAsync(); // gone without leaving

        var gap = new List<long>();
        for (var i = 1; i <= 4; i++)
        {
            gap.Add(await bob.SendAsync(room, $"missed{i}"));
        }

        await using var again = await TestChatClient.ConnectAsync(replicas.B.BaseAddress);
        // Back as alice within the grace period, with the secret of her first connection: the gap, then live.
        var rejoined = await again.Connection.InvokeAsync<JoinResult>("Join", room, "alice", new RoomPosition(last.Epoch, last.Offset), aliceJoined.ReconnectSecret);
        var missed = rejoined.History;
        Assert.Equal(["missed1", "missed2", "missed3", "missed4"], missed.Select(m => m.Content));
        Assert.Equal(gap, missed.Select(m => m.Offset));

        // No LEAVE/JOIN flicker, and live messages follow the gap.
        await bob.SendAsync(room, "after");
        Assert.True(await again.WaitForAsync(c => c.Chats(room).Any(m => m.Content == "after")));
        await Task.Delay(TwoReplicas.PresenceGrace + TimeSpan.FromSeconds(1));
        Assert.Equal(1, bob.Messages(room).Count(m => m.Type == MessageType.JOIN && m.Sender == "alice"));
        Assert.DoesNotContain(bob.Messages(room), m => m.Type == MessageType.LEAVE);
    }

    [Fact]
    public async Task Presence_counts_a_user_once_across_replicas_and_leaves_after_the_last_connection_and_grace()
    {
        const string room = "presence";
        await using var watcher = await TestChatClient.ConnectAsync(replicas.B.BaseAddress);
        await watcher.JoinAsync(room, "watcher");

        var first = await TestChatClient.ConnectAsync(replicas.A.BaseAddress);
        var second = await TestChatClient.ConnectAsync(replicas.B.BaseAddress);
        var firstJoined = await first.JoinAsync(room, "carol");
        // Another connection of carol's (another tab) presents her reconnection secret; without it the name is taken.
        var joined = await second.Connection.InvokeAsync<JoinResult>("Join", room, "carol", null, firstJoined.ReconnectSecret);
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
        await using var bob = await TestChatClient.ConnectAsync(replicas.B.BaseAddress);
        await bob.JoinAsync(room, "bob");
        await using var mallory = await TestChatClient.ConnectAsync(replicas.A.BaseAddress);
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
