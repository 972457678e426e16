using Microsoft.AspNetCore.SignalR.Client;
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
        await using var alice = await TestChatClient.ConnectAsync(server.BaseAddress);
        await using var bob = await TestChatClient.ConnectAsync(server.BaseAddress);

        var joined = await alice.JoinAsync("public", "alice");
        Assert.Equal("solo", joined.Replica);
        Assert.Equal(["alice"], joined.Members);
        await bob.JoinAsync("public", "bob");

        for (var i = 1; i <= 20; i++)
        {
            await (i % 2 == 0 ? alice : bob).SendAsync("public", $"m{i}");
        }

        Assert.True(await alice.WaitForAsync(c => c.Chats("public").Count == 20));
        Assert.True(await bob.WaitForAsync(c => c.Chats("public").Count == 20));
        Assert.Equal(Enumerable.Range(1, 20).Select(i => $"m{i}"), alice.Chats("public").Select(m => m.Content));
        Assert.Equal(alice.Messages("public").Select(m => m.Offset), bob.Messages("public").Select(m => m.Offset));
        Assert.Equal(bob.Raw.Count, bob.Raw.Select(m => m.Offset).Distinct().Count());

        await using var carol = await TestChatClient.ConnectAsync(server.BaseAddress);
        var late = await carol.JoinAsync("public", "carol");
        Assert.Equal(Enumerable.Range(1, 20).Select(i => $"m{i}"), late.History.Where(m => m.Type == MessageType.CHAT).Select(m => m.Content));
        Assert.Equal(["alice", "bob", "carol"], late.Members);

        // An explicit Leave is immediate: LEAVE for everyone, a presence update without bob, and bob gets no more messages.
        await bob.LeaveAsync("public");
        Assert.True(await alice.WaitForAsync(c => c.Messages("public").Any(m => m is { Type: MessageType.LEAVE, Sender: "bob" })));
        Assert.True(await alice.WaitForAsync(c => c.Presence.LastOrDefault()?.Members is ["alice", "carol"]));
        await carol.SendAsync("public", "after bob left");
        Assert.True(await alice.WaitForAsync(c => c.Chats("public").Any(m => m.Content == "after bob left")));
        Assert.DoesNotContain(bob.Raw, m => m.Content == "after bob left");
    }

    [Fact]
    public async Task Bad_input_and_impersonation_are_refused_with_clear_errors()
    {
        await using var server = new InProcessChatServer();
        await using var alice = await TestChatClient.ConnectAsync(server.BaseAddress);

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

        await using var bob = await TestChatClient.ConnectAsync(server.BaseAddress);
        Assert.Contains("user name", (await Assert.ThrowsAsync<HubException>(() => bob.JoinAsync("public", "bad\nname"))).Message);

        // Nothing was written by the refused calls: only alice's JOIN is there.
        await alice.SendAsync("public", "still works");
        Assert.True(await alice.WaitForAsync(c => c.Chats("public").Count == 1));
        Assert.Equal(2, alice.Messages("public").Last().Offset);
    }

    [Fact]
    public async Task Closing_for_rebalance_sends_reconnect_first_and_the_client_resumes_without_loss()
    {
        await using var server = new InProcessChatServer(new Dictionary<string, string?> { ["Chat:PresenceGraceSeconds"] = "30" });
        await using var alice = await TestChatClient.ConnectAsync(server.BaseAddress);
        await using var bob = await TestChatClient.ConnectAsync(server.BaseAddress);
        await alice.JoinAsync("public", "alice");
        var bobJoined = await bob.JoinAsync("public", "bob");
        await alice.SendAsync("public", "one");
        Assert.True(await bob.WaitForAsync(c => c.Chats("public").Count == 1));
        var closed = new TaskCompletionSource();
        bob.Connection.Closed += _ => { closed.TrySetResult(); return Task.CompletedTask; };

        var registry = server.Services.GetRequiredService<ConnectionRegistry>();
        Assert.Equal(2, registry.Count);
        var target = registry.Snapshot().Single(c => c.Id == bob.Connection.ConnectionId);
        Assert.Equal("signalr", target.Protocol);
        await target.CloseForRebalanceAsync("rebalance");
        await closed.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("rebalance", Assert.Single(bob.Reconnects).Reason);
        Assert.True(await Eventually.TrueAsync(() => registry.Count == 1, TimeSpan.FromSeconds(10)));

        await alice.SendAsync("public", "two");
        var last = bob.Messages("public")[^1];
        await using var again = await TestChatClient.ConnectAsync(server.BaseAddress);
        // Back as bob (the name is held through the grace period for the connection with its secret), from where it was.
        var rejoined = await again.Connection.InvokeAsync<JoinResult>("Join", "public", "bob", new RoomPosition(last.Epoch, last.Offset), bobJoined.ReconnectSecret);
        Assert.Equal(["two"], rejoined.History.Select(m => m.Content));
        Assert.Equal(1, alice.Messages("public").Count(m => m is { Type: MessageType.JOIN, Sender: "bob" }));

        var metrics = await server.CreateClient().GetStringAsync("/metrics");
        Assert.Contains("chat_messages_received_total", metrics);
        Assert.Contains("chat_connections_active", metrics);
    }
}
