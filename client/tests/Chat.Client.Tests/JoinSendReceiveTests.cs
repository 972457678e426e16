using Chat.Contracts;
using Chat.Testing;

namespace Chat.Client.Tests;

/// <summary>Both protocols against a real chat server: join, send, receive, errors with the server's reason.</summary>
[Collection(ProcessCollection.Name)]
public sealed class JoinSendReceiveTests
{
    [Fact]
    public async Task SignalR_and_STOMP_clients_join_send_and_receive_every_message_once_in_order()
    {
        await using var servers = await ChatServers.StartAsync(replicas: 1, redis: false);
        await using var alice = await RecordingChatClient.StartAsync(servers.Entry, "alice", ChatProtocol.SignalR);
        await using var bob = await RecordingChatClient.StartAsync(servers.Entry, "bob", ChatProtocol.Stomp);

        var aliceJoined = await alice.JoinAsync("lobby");
        var bobJoined = await bob.JoinAsync("lobby");
        Assert.Equal("r1", aliceJoined.Replica);
        Assert.Equal(["alice"], aliceJoined.Members);
        Assert.Equal("r1", bobJoined.Replica);
        Assert.Equal(("r1", ChatClientState.Connected), (alice.Replica, alice.Client.State));
        Assert.Equal("r1", bob.Replica);

        var offsets = new List<long?>();
        for (var i = 1; i <= 10; i++)
        {
            offsets.Add(await (i % 2 == 0 ? alice : bob).SendAsync("lobby", $"m{i}"));
        }

        Assert.All(offsets.Where((_, i) => i % 2 == 1), o => Assert.NotNull(o)); // SignalR returns the offset
        Assert.All(offsets.Where((_, i) => i % 2 == 0), o => Assert.Null(o));    // STOMP confirms by RECEIPT
        foreach (var client in new[] { alice, bob })
        {
            Assert.True(await client.WaitForAsync(c => c.Chats("lobby").Count == 10), $"{client.User}: {client.Chats("lobby").Count} of 10");
            Assert.Equal(Enumerable.Range(1, 10).Select(i => $"m{i}"), client.Chats("lobby").Select(m => m.Content));
            var handed = client.Messages("lobby").Select(m => m.Offset).ToArray();
            Assert.Equal(handed.Order().Distinct(), handed);
        }

        // Alice (SignalR) saw bob's JOIN after her own, and the offsets are contiguous from her join on.
        Assert.Equal(Enumerable.Range(1, 12).Select(i => (long)i), alice.Messages("lobby").Select(m => m.Offset));
        Assert.Equal(alice.Messages("lobby").Last().Offset, alice.Client.GetPosition("lobby")!.Offset);
        Assert.Equal(offsets[^1], alice.Messages("lobby").Last().Offset);
    }

    [Fact]
    public async Task A_refused_call_fails_with_the_servers_reason_and_the_client_stays_connected()
    {
        await using var servers = await ChatServers.StartAsync(replicas: 1, redis: false);
        await using var alice = await RecordingChatClient.StartAsync(servers.Entry, "alice", ChatProtocol.SignalR);

        var refused = await Assert.ThrowsAsync<ChatServerException>(() => alice.JoinAsync("../etc"));
        Assert.Contains("Invalid room", refused.Reason);
        Assert.Null(alice.Client.GetPosition("../etc"));

        await alice.JoinAsync("lobby");
        var empty = await Assert.ThrowsAsync<ChatServerException>(() => alice.SendAsync("lobby", "  "));
        Assert.Contains("empty", empty.Reason);
        Assert.DoesNotContain("HubException", empty.Reason);
        await Assert.ThrowsAsync<InvalidOperationException>(() => alice.SendAsync("elsewhere", "hi"));

        Assert.NotNull(await alice.SendAsync("lobby", "still connected"));
        Assert.Equal(ChatClientState.Connected, alice.Client.State);
        Assert.Equal(0, alice.Reconnects);

        await using var stomp = await RecordingChatClient.StartAsync(servers.Entry, "bad\tname", ChatProtocol.Stomp);
        var badName = await Assert.ThrowsAsync<ChatServerException>(() => stomp.JoinAsync("lobby"));
        Assert.Contains("control or invisible characters", badName.Reason);
        // The ERROR frame's event can reach the client's handlers just after the refused call returned.
        Assert.True(await Eventually.TrueAsync(() => stomp.Errors.Any(e => e.Kind == ChatErrorKind.ServerError && e.Message.Contains("control or invisible characters")), TimeSpan.FromSeconds(10)),
            "the ERROR frame was not reported as an error event");
    }
}
