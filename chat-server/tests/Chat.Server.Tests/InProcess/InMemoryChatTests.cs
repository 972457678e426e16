using Chat.Client;
using Chat.Server.Connections;
using Chat.Contracts;
using Chat.Server.Tests.Support;
using Chat.Testing;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;

namespace Chat.Server.Tests.InProcess;

/// <summary>The single-node default: no Redis configured at all.</summary>
public sealed class InMemoryChatTests
{
    [Fact]
    public async Task Messages_reach_every_member_once_in_order_with_history_for_late_joiners()
    {
        await using var server = new InProcessChatServer(new Dictionary<string, string?> { ["Chat:ReplicaId"] = "solo" });
        await using var alice = await RecordingChatClient.StartAsync(server.BaseAddress, "alice");
        await using var bob = await RecordingChatClient.StartAsync(server.BaseAddress, "bob");

        var joined = await alice.JoinAsync("public");
        Assert.Equal("solo", joined.Replica);
        Assert.Equal(["alice"], joined.Members);
        await bob.JoinAsync("public");

        for (var i = 1; i <= 20; i++)
        {
            await (i % 2 == 0 ? alice : bob).SendAsync("public", $"m{i}");
        }

        Assert.True(await alice.WaitForAsync(c => c.Chats("public").Count == 20));
        Assert.True(await bob.WaitForAsync(c => c.Chats("public").Count == 20));
        Assert.Equal(Enumerable.Range(1, 20).Select(i => $"m{i}"), alice.Chats("public").Select(m => m.Content));
        Assert.Equal(alice.Messages("public").Select(m => m.Offset), bob.Messages("public").Select(m => m.Offset));
        Assert.Equal(bob.Arrivals("public").Count, bob.Arrivals("public").Select(a => a.Message.Offset).Distinct().Count()); // the server sent each once

        await using var carol = await RecordingChatClient.StartAsync(server.BaseAddress, "carol");
        var late = await carol.JoinAsync("public");
        Assert.Equal(Enumerable.Range(1, 20).Select(i => $"m{i}"), late.History.Where(m => m.Type == MessageType.CHAT).Select(m => m.Content));
        Assert.Equal(["alice", "bob", "carol"], late.Members);

        // An explicit Leave is immediate: LEAVE for everyone, a presence update without bob, and bob gets no more messages.
        await bob.LeaveAsync("public");
        Assert.True(await alice.WaitForAsync(c => c.Messages("public").Any(m => m is { Type: MessageType.LEAVE, Sender: "bob" })));
        Assert.True(await alice.WaitForAsync(c => c.Presence.LastOrDefault()?.Members is ["alice", "carol"]));
        await carol.SendAsync("public", "after bob left");
        Assert.True(await alice.WaitForAsync(c => c.Chats("public").Any(m => m.Content == "after bob left")));
        Assert.DoesNotContain(bob.Arrivals("public"), a => a.Message.Content == "after bob left");
    }

    [Fact]
    public async Task Bad_input_and_impersonation_are_refused_with_clear_errors()
    {
        await using var server = new InProcessChatServer();
        await using var alice = await RawHubClient.ConnectAsync(server.BaseAddress);

        var notJoined = await Assert.ThrowsAsync<HubException>(() => alice.SendAsync("public", "hi"));
        Assert.Contains("Join the room", notJoined.Message);

        await alice.JoinAsync("public", "alice");
        var impersonation = await Assert.ThrowsAsync<HubException>(() => alice.JoinAsync("other", "mallory"));
        Assert.Contains("already joined as 'alice'", impersonation.Message);

        Assert.Contains("empty", (await Assert.ThrowsAsync<HubException>(() => alice.SendAsync("public", "  "))).Message);
        Assert.Contains("longer than", (await Assert.ThrowsAsync<HubException>(() => alice.SendAsync("public", new string('x', 2001)))).Message);
        Assert.Contains("control characters", (await Assert.ThrowsAsync<HubException>(() => alice.SendAsync("public", "a\u0007b"))).Message);
        Assert.Contains("Invalid room", (await Assert.ThrowsAsync<HubException>(() => alice.SendAsync("../etc", "x"))).Message);

        Assert.Contains("Invalid resume position", (await Assert.ThrowsAsync<HubException>(() => alice.ResumeAsync("public", "e p o c h", 1))).Message);
        Assert.Contains("Invalid resume position", (await Assert.ThrowsAsync<HubException>(() => alice.ResumeAsync("public", "abc", -1))).Message);

        await using var bob = await RawHubClient.ConnectAsync(server.BaseAddress);
        Assert.Contains("user name", (await Assert.ThrowsAsync<HubException>(() => bob.JoinAsync("public", "bad\nname"))).Message);

        // Nothing was written by the refused calls: only alice's JOIN is there.
        Assert.Equal(2, await alice.SendAsync("public", "still works"));
        Assert.True(await alice.WaitForAsync(c => c.Received("public").Any(m => m.Offset == 2)));
    }

    [Fact]
    public async Task Closing_for_rebalance_sends_reconnect_first_and_the_client_resumes_without_loss()
    {
        await using var server = new InProcessChatServer(new Dictionary<string, string?> { ["Chat:PresenceGraceSeconds"] = "30" });
        await using var alice = await RecordingChatClient.StartAsync(server.BaseAddress, "alice");
        // Negotiating, bob's client knows the server's id of its connection.
        await using var bob = await RecordingChatClient.StartAsync(server.BaseAddress, "bob", configure: o => o.SignalRNegotiate = true);
        await alice.JoinAsync("public");
        await bob.JoinAsync("public");
        await alice.SendAsync("public", "one");
        Assert.True(await bob.WaitForAsync(c => c.Chats("public").Count == 1));

        var registry = server.Services.GetRequiredService<ConnectionRegistry>();
        Assert.Equal(2, registry.Count);
        var target = registry.Snapshot().Single(c => c.Id == bob.Client.ConnectionId);
        Assert.Equal("signalr", target.Protocol);
        await target.CloseForRebalanceAsync("rebalance");
        Assert.True(await bob.WaitForAsync(c => c.Moves == 1 && c.Connected));
        Assert.Equal("rebalance", bob.States.Single(s => s.State == ChatClientState.Moved).Reason);
        Assert.True(await Eventually.TrueAsync(() => registry.Count == 2 && registry.Snapshot().All(c => c.Id != target.Id), TimeSpan.FromSeconds(10)));

        // Back by itself from where it was: "two" once, and no second JOIN (within the grace period).
        var two = await alice.SendAsync("public", "two");
        Assert.True(await bob.WaitForAsync(c => c.Chats("public").Count == 2));
        Assert.Equal(["one", "two"], bob.Chats("public").Select(m => m.Content!));
        Assert.Equal(1, alice.Messages("public").Count(m => m is { Type: MessageType.JOIN, Sender: "bob" }));

        // The older form of recovery still answers existing clients: Resume gives exactly what came after.
        await using var older = await RawHubClient.ConnectAsync(server.BaseAddress);
        await older.JoinAsync("public", "older"); // history is for members: Resume of a joined room
        var one = bob.Chats("public")[0];
        var missed = await older.ResumeAsync("public", one.Epoch, one.Offset);
        Assert.Equal([two], missed.Where(m => m.Type == MessageType.CHAT).Select(m => (long?)m.Offset)); // and the JOIN of "older"

        var metrics = await server.CreateClient().GetStringAsync("/metrics");
        Assert.Contains("chat_messages_received_total", metrics);
        Assert.Contains("chat_connections_active", metrics);
        Assert.Contains("kestrel_active_connections", metrics);
        Assert.DoesNotContain("aspnetcore_memory_pool", metrics); // counted on every buffer rent: not exported
    }
}
