using Chat.Contracts;
using Chat.Testing;

namespace Chat.Server.Tests.Stomp;

/// <summary>One room, two protocols, two replicas, one Redis: everyone sees every message once, in one order.</summary>
[Collection(StompReplicasCollection.Name)]
public sealed class StompCrossProtocolTests(StompReplicas replicas)
{
    [Fact]
    public async Task Stomp_and_signalr_clients_on_two_replicas_see_the_same_messages_in_the_same_order()
    {
        const string room = "mixed";
        await using var stompA = await StompTestClient.JoinAsync(replicas.A.BaseAddress, room, "stomp-a");
        await using var stompB = await StompTestClient.JoinAsync(replicas.B.BaseAddress, room, "stomp-b");
        await using var signalrA = await RecordingChatClient.StartAsync(replicas.A.BaseAddress, "signalr-a");
        await using var signalrB = await RecordingChatClient.StartAsync(replicas.B.BaseAddress, "signalr-b");
        await signalrA.JoinAsync(room);
        await signalrB.JoinAsync(room);

        // Everyone sends at once, interleaved across protocols and replicas.
        await Task.WhenAll(
            Task.Run(async () => { for (var i = 0; i < 10; i++) { await stompA.ChatAsync(room, $"stomp-a {i}"); } }),
            Task.Run(async () => { for (var i = 0; i < 10; i++) { await stompB.ChatAsync(room, $"stomp-b {i}"); } }),
            Task.Run(async () => { for (var i = 0; i < 10; i++) { await signalrA.SendAsync(room, $"signalr-a {i}"); } }),
            Task.Run(async () => { for (var i = 0; i < 10; i++) { await signalrB.SendAsync(room, $"signalr-b {i}"); } }));

        Assert.True(await signalrA.WaitForAsync(c => c.Chats(room).Count == 40), $"signalr-a got {signalrA.Chats(room).Count} of 40");
        Assert.True(await signalrB.WaitForAsync(c => c.Chats(room).Count == 40), $"signalr-b got {signalrB.Chats(room).Count} of 40");
        var reference = signalrA.Chats(room).Select(m => (m.Offset, m.Sender, m.Content)).ToArray();
        Assert.Equal(reference, signalrB.Chats(room).Select(m => (m.Offset, m.Sender, m.Content)));
        foreach (var stomp in new[] { stompA, stompB })
        {
            var received = new List<ChatMessage>();
            while (received.Count < 40)
            {
                received.Add((await stomp.ReceiveMessageAsync(m => m.Type == MessageType.CHAT)).Message);
            }

            Assert.Equal(reference, received.Select(m => (m.Offset, m.Sender, m.Content)));
        }

        // Each sender's own messages keep their order, and offsets have no gap.
        Assert.Equal(Enumerable.Range(0, 10).Select(i => $"stomp-b {i}"), reference.Where(r => r.Sender == "stomp-b").Select(r => r.Content));
        Assert.Equal(reference.Select(r => r.Offset).Order(), reference.Select(r => r.Offset));
    }
}
