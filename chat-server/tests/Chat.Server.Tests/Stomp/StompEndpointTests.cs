using System.Net.WebSockets;
using Chat.Server.Connections;
using Chat.Contracts;
using Chat.Stomp;
using Microsoft.Extensions.DependencyInjection;

namespace Chat.Server.Tests.Stomp;

/// <summary>The endpoint doing what a STOMP client expects: the Spring demo's flow, rooms, resume, receipts, transactions, heart-beats.</summary>
public sealed class StompEndpointTests(StompServerFixture fixture) : IClassFixture<StompServerFixture>
{
    private Uri Server => fixture.BaseAddress;

    [Theory]
    [InlineData(new[] { "v10.stomp", "v11.stomp", "v12.stomp" }, "v12.stomp")]
    [InlineData(new[] { "v11.stomp" }, "v11.stomp")]
    [InlineData(new[] { "v10.stomp" }, "v10.stomp")]
    [InlineData(new[] { "mqtt", "v11.stomp" }, "v11.stomp")]
    [InlineData(new string[0], null)]
    public async Task Subprotocol_is_negotiated(string[] offered, string? expected)
    {
        await using var client = await StompTestClient.OpenAsync(Server, offered);
        Assert.Equal(expected, client.SubProtocol);
    }

    [Fact]
    public async Task Connected_frame_negotiates_version_and_heart_beats()
    {
        await using var client = await StompTestClient.OpenAsync(Server);
        await client.SendAsync("STOMP\naccept-version:1.0,1.1,2.0\nhost:x\nheart-beat:0,100\n\n^@");
        var connected = await client.ReceiveAsync();
        Assert.Equal(StompCommand.Connected, connected.Command);
        Assert.Equal("1.1", connected["version"]);
        Assert.Equal("200,1000", connected["heart-beat"]);
        Assert.StartsWith("stomp-", connected["session"]);
        Assert.Equal(Environment.MachineName, connected[ChatStompProtocol.Replica]); // Chat:ReplicaId's default
        // The client wants heart-beats every MAX(200, 100) ms and sends none itself, so it is never timed out.
        Assert.True(await Chat.Testing.Eventually.TrueAsync(() => client.HeartBeats >= 3, TimeSpan.FromSeconds(5)));
        Assert.Equal(WebSocketState.Open, client.CloseStatus is null ? WebSocketState.Open : WebSocketState.Closed);
    }

    [Fact]
    public async Task Spring_demo_flow_join_chat_and_leave_with_offsets()
    {
        await using var alice = await StompTestClient.JoinAsync(Server, "public", "alice");
        await using var bob = await StompTestClient.JoinAsync(Server, "public", "bob");
        var (joinFrame, bobJoined) = await alice.ReceiveMessageAsync(m => m.Type == MessageType.JOIN && m.Sender == "bob");
        Assert.Equal("/topic/public", joinFrame["destination"]);
        Assert.Equal("sub-0", joinFrame["subscription"]);
        Assert.Equal("application/json", joinFrame["content-type"]);
        Assert.Equal(bobJoined.Offset.ToString(System.Globalization.CultureInfo.InvariantCulture), joinFrame["x-offset"]);
        Assert.Equal(bobJoined.Epoch, joinFrame["x-epoch"]);
        Assert.NotNull(joinFrame["message-id"]);

        await bob.ChatAsync("public", "hi alice");
        var (_, atAlice) = await alice.ReceiveMessageAsync(m => m.Type == MessageType.CHAT);
        var (_, atBob) = await bob.ReceiveMessageAsync(m => m.Type == MessageType.CHAT);
        Assert.Equal(("bob", "hi alice", "public"), (atAlice.Sender, atAlice.Content, atAlice.Room));
        Assert.Equal(atAlice.Offset, atBob.Offset);
        Assert.Equal(bobJoined.Offset + 1, atAlice.Offset);

        await bob.DisposeAsync();
        var (_, left) = await alice.ReceiveMessageAsync(m => m.Type == MessageType.LEAVE);
        Assert.Equal("bob", left.Sender);
    }

    [Fact]
    public async Task Named_rooms_are_separate_and_resume_replays_what_was_missed()
    {
        await using var carol = await StompTestClient.JoinAsync(Server, "room-a", "carol");
        await using var dave = await StompTestClient.JoinAsync(Server, "room-b", "dave");
        await carol.ChatAsync("room-a", "one");
        var (frame, one) = await carol.ReceiveMessageAsync(m => m.Content == "one");
        Assert.Equal("/topic/room/room-a", frame["destination"]);
        await carol.ChatAsync("room-a", "two");
        await carol.ChatAsync("room-a", "three");
        await carol.ReceiveMessageAsync(m => m.Content == "three");

        await using var again = await StompTestClient.ConnectAsync(Server);
        await again.SendAsync($"SUBSCRIBE\nid:7\ndestination:/topic/room/room-a\nx-epoch:{one.Epoch}\nx-since-offset:{one.Offset}\n\n^@");
        await again.SendJsonAsync("/app/room/room-a/chat.addUser", new { sender = "carol-again" });
        var (_, first) = await again.ReceiveMessageAsync(m => m.Type == MessageType.CHAT);
        var (_, second) = await again.ReceiveMessageAsync(m => m.Type == MessageType.CHAT);
        Assert.Equal(("two", "three"), (first.Content, second.Content));
        await dave.ChatAsync("room-b", "elsewhere");
        await dave.ReceiveMessageAsync(m => m.Content == "elsewhere");
        await carol.ChatAsync("room-a", "four");
        var (_, next) = await again.ReceiveMessageAsync(m => m.Type != MessageType.JOIN);
        Assert.Equal("four", next.Content); // nothing from room-b in between
    }

    [Fact]
    public async Task Frames_batched_in_one_websocket_message_or_split_over_several_text_and_binary()
    {
        await using var client = await StompTestClient.OpenAsync(Server);
        var frames = "CONNECT\naccept-version:1.2\nhost:x\n\n^@\nSUBSCRIBE\nid:1\ndestination:/topic/room/split\nreceipt:r1\n\n^@"
            + "SEND\ndestination:/app/room/split/chat.addUser\ncontent-length:16\n\n{\"sender\":\"eve\"}^@\r\n";
        var bytes = SpecText.Bytes(frames);
        for (var i = 0; i < bytes.Length; i += 13)
        {
            await client.SendBytesAsync(bytes[i..Math.Min(bytes.Length, i + 13)], binary: i % 2 == 0);
        }

        Assert.Equal(StompCommand.Connected, (await client.ReceiveAsync()).Command);
        Assert.Equal("r1", (await client.ReceiveAsync())["receipt-id"]);
        await client.ReceiveMessageAsync(m => m.Type == MessageType.JOIN && m.Sender == "eve");
        await client.SendAsync("SEND\ndestination:/app/room/split/chat.sendMessage\n\n{\"content\":\"a\"}^@SEND\ndestination:/app/room/split/chat.sendMessage\n\n{\"content\":\"b\"}^@");
        Assert.Equal("a", (await client.ReceiveMessageAsync(m => m.Type == MessageType.CHAT)).Message.Content);
        Assert.Equal("b", (await client.ReceiveMessageAsync(m => m.Type == MessageType.CHAT)).Message.Content);
    }

    [Fact]
    public async Task Transactions_commit_in_order_and_abort_discards()
    {
        await using var client = await StompTestClient.JoinAsync(Server, "tx", "frank");
        await client.SendAsync("BEGIN\ntransaction:t1\n\n^@");
        await client.ChatAsync("tx", "dropped", "transaction:t1\n");
        await client.SendAsync("ABORT\ntransaction:t1\n\n^@BEGIN\ntransaction:t2\n\n^@");
        await client.ChatAsync("tx", "first", "transaction:t2\n");
        await client.ChatAsync("tx", "second", "transaction:t2\n");
        await client.SendAsync("COMMIT\ntransaction:t2\nreceipt:c2\n\n^@");
        var received = new List<string?>();
        while (received.Count < 2)
        {
            var frame = await client.ReceiveAsync();
            Assert.NotEqual(StompCommand.Error, frame.Command);
            if (frame.Command == StompCommand.Message)
            {
                received.Add(StompTestClient.Parse(frame).Content);
            }
        }

        Assert.Equal(["first", "second"], received);
    }

    [Fact]
    public async Task Ack_nack_unsubscribe_and_disconnect_with_receipt()
    {
        await using var client = await StompTestClient.ConnectAsync(Server);
        await client.SendAsync("SUBSCRIBE\nid:s\ndestination:/topic/room/acks\nack:client-individual\n\n^@");
        await client.SendJsonAsync("/app/room/acks/chat.addUser", new { sender = "gina" });
        var (frame, _) = await client.ReceiveMessageAsync(m => m.Type == MessageType.JOIN);
        Assert.Equal(frame["message-id"], frame["ack"]);
        await client.SendAsync($"ACK\nid:{frame["ack"]}\n\n^@NACK\nid:{frame["ack"]}\n\n^@UNSUBSCRIBE\nid:s\nreceipt:u\n\n^@");
        Assert.Equal("u", (await client.ReceiveAsync())["receipt-id"]);
        await client.SendAsync("DISCONNECT\nreceipt:77\n\n^@");
        Assert.Equal("77", (await client.ReceiveAsync())["receipt-id"]);
        await client.ExpectClosedAsync();
        Assert.Equal(WebSocketCloseStatus.NormalClosure, client.CloseStatus);
    }

    [Fact]
    public async Task Rebalancing_closes_with_1012_and_the_client_resumes_without_loss()
    {
        await using var client = await StompTestClient.JoinAsync(Server, "move", "hank");
        await client.ChatAsync("move", "before");
        var (_, before) = await client.ReceiveMessageAsync(m => m.Content == "before");
        var registry = fixture.Server.Services.GetRequiredService<ConnectionRegistry>();
        var stomp = registry.Snapshot().Single(c => c.Id == client.SessionId);
        await stomp.CloseForRebalanceAsync("rebalance");
        await client.ExpectClosedAsync();
        Assert.Equal((WebSocketCloseStatus)1012, client.CloseStatus);

        await using var other = await StompTestClient.JoinAsync(Server, "move", "ida");
        await other.ChatAsync("move", "while away");
        // Back as hank with the secret of the moved connection (the name is held for it), subscribing before joining.
        await using var back = await StompTestClient.ConnectAsync(Server, $"{ChatStompProtocol.ReconnectSecret}:{client.ReconnectSecret}\n");
        Assert.Equal(client.ReconnectSecret, back.ReconnectSecret);
        await back.SendAsync($"SUBSCRIBE\nid:0\ndestination:/topic/room/move\nx-epoch:{before.Epoch}\nx-since-offset:{before.Offset}\n\n^@");
        await back.SendJsonAsync("/app/room/move/chat.addUser", new { sender = "hank" });
        await back.ReceiveMessageAsync(m => m.Content == "while away");
    }
}
