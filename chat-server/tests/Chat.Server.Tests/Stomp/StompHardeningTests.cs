using System.Net;
using System.Net.WebSockets;
using System.Text;
using Chat.Contracts;
using Chat.Stomp;

using Chat.Server.Tests.Support;

namespace Chat.Server.Tests.Stomp;

/// <summary>
/// Every bad input gets one ERROR frame with a clear message (and receipt-id when asked), then the connection
/// closes; the fixture's bystander client keeps chatting on the same server throughout.
/// </summary>
public sealed class StompHardeningTests(StompServerFixture fixture) : IClassFixture<StompServerFixture>
{
    private const string Connect = "CONNECT\naccept-version:1.2\nhost:x\n\n^@";

    private Uri Server => fixture.BaseAddress;

    [Theory]
    [InlineData("HELLO\n\n^@", "unknown command")]
    [InlineData("SEND\ndestination /app/chat.sendMessage\n\n{}^@", "missing ':'")]
    [InlineData("SEND\ndestination:/app/chat\\tsendMessage\n\n{}^@", "Invalid header escape")]
    [InlineData("SEND\nreceipt:r-9\n\n{}^@", "missing the required 'destination' header")]
    [InlineData("SUBSCRIBE\ndestination:/topic/public\nreceipt:r-9\n\n^@", "missing the required 'id' header")]
    [InlineData("SUBSCRIBE\nid:1\ndestination:/queue/other\nreceipt:r-9\n\n^@", "Unknown destination '/queue/other'")]
    [InlineData("SUBSCRIBE\nid:1\ndestination:/topic/room/bad room\n\n^@", "Invalid room name")]
    [InlineData("SEND\ndestination:/topic/public\nreceipt:r-9\n\n{}^@", "Unknown destination '/topic/public'")]
    [InlineData("SEND\ndestination:/app/chat.sendMessage\n\nnot json^@", "JSON")]
    [InlineData("SEND\ndestination:/app/chat.sendMessage\nreceipt:r-9\n\n{\"content\":\"hi\"}^@", "Join the room")]
    [InlineData("SEND\ndestination:/app/chat.sendMessage\ncontent-length:x\n\n{}^@", "content-length")]
    [InlineData("SUBSCRIBE\nid:1\ndestination:/topic/public\n\nbody^@", "must not have a body")]
    [InlineData("MESSAGE\ndestination:/topic/public\n\n^@", "server frame")]
    [InlineData("CONNECT\naccept-version:1.2\n\n^@", "Already connected")]
    [InlineData("COMMIT\ntransaction:nope\n\n^@", "No open transaction 'nope'")]
    [InlineData("ACK\nmessage-id:1\n\n^@", "missing the required 'id' header")]
    public async Task Bad_frames_get_an_error_with_a_message_then_close(string frame, string expected)
    {
        await using var client = await StompTestClient.ConnectAsync(Server);
        await client.SendAsync(frame);
        var error = await client.ExpectErrorAndCloseAsync();
        Assert.Contains(expected, error[StompHeaders.Message]);
        Assert.Equal(frame.Contains("receipt:r-9") ? "r-9" : null, error[StompHeaders.ReceiptId]);
        await fixture.AssertBystanderUnaffectedAsync();
    }

    [Theory]
    [InlineData("SEND\ndestination:/app/chat.sendMessage\nreceipt:early\n\n{\"content\":\"x\"}^@", "Not connected")]
    [InlineData("CONNECT\naccept-version:2.0,3.1\nhost:x\n\n^@", "Supported protocol versions are 1.0 1.1 1.2")]
    [InlineData("CONNECT\naccept-version:1.2\nheart-beat:fast\n\n^@", "Malformed heart-beat")]
    public async Task Frames_before_or_instead_of_a_valid_connect_are_refused(string frame, string expected)
    {
        await using var client = await StompTestClient.OpenAsync(Server);
        await client.SendAsync(frame);
        var error = await client.ExpectErrorAndCloseAsync();
        Assert.Contains(expected, error[StompHeaders.Message]);
        if (frame.Contains("receipt:early"))
        {
            Assert.Equal("early", error[StompHeaders.ReceiptId]);
        }

        if (frame.Contains("2.0,3.1"))
        {
            Assert.Equal("1.0,1.1,1.2", error[StompHeaders.Version]);
        }

        await fixture.AssertBystanderUnaffectedAsync();
    }

    [Fact]
    public async Task Frames_after_an_error_are_not_run()
    {
        await using var client = await StompTestClient.ConnectAsync(Server);
        // One WebSocket message: a valid join, a broken frame, then a join and a chat in the bystander's room.
        await client.SendAsync(
            "SEND\ndestination:/app/room/after-error/chat.addUser\n\n{\"sender\":\"mallory\"}^@"
            + "BOGUS\n\n^@"
            + $"SEND\ndestination:/app/room/{StompServerFixture.BystanderRoom}/chat.addUser\n\n{{\"sender\":\"mallory\"}}^@"
            + $"SEND\ndestination:/app/room/{StompServerFixture.BystanderRoom}/chat.sendMessage\n\n{{\"content\":\"must not arrive\"}}^@");
        await client.ExpectErrorAndCloseAsync();
        await fixture.AssertBystanderUnaffectedAsync();
        var probe = $"after {Guid.NewGuid():N}";
        await fixture.Bystander.ChatAsync(StompServerFixture.BystanderRoom, probe);
        var (_, next) = await fixture.Bystander.ReceiveMessageAsync(m => m.Type != MessageType.LEAVE);
        Assert.Equal(probe, next.Content); // nothing from mallory came before it
    }

    [Fact]
    public async Task Oversized_frames_headers_and_header_lines_are_refused()
    {
        var cases = new[]
        {
            ($"SEND\ndestination:/app/chat.sendMessage\n\n{new string('x', 5000)}^@", "Frame exceeds 4096 bytes"),
            ("SEND\ndestination:/app/chat.sendMessage\ncontent-length:100000\n\n", "Frame exceeds 4096 bytes"),
            ("SEND\n" + string.Concat(Enumerable.Range(0, 11).Select(i => $"h{i}:v\n")) + "\n^@", "more than 10 headers"),
            ($"SEND\nx:{new string('y', 2000)}\n\n^@", "Header line exceeds 1024 bytes"),
        };
        foreach (var (frame, expected) in cases)
        {
            await using var client = await StompTestClient.ConnectAsync(Server);
            await client.SendAsync(frame);
            Assert.Contains(expected, (await client.ExpectErrorAndCloseAsync())[StompHeaders.Message]);
            Assert.Equal(WebSocketCloseStatus.PolicyViolation, client.CloseStatus);
        }

        await fixture.AssertBystanderUnaffectedAsync();
    }

    [Fact]
    public async Task Invalid_utf8_in_headers_and_bodies_is_refused()
    {
        var badHeader = Encoding.UTF8.GetBytes("SEND\ndestination:/app/chat.sendMessage\nx:").Concat(new byte[] { 0xFF, 0xFE }).Concat(Encoding.UTF8.GetBytes("\n\n{}\0")).ToArray();
        var badBody = Encoding.UTF8.GetBytes("SEND\ndestination:/app/chat.sendMessage\n\n{\"content\":\"").Concat(new byte[] { 0xC3, 0x28 }).Concat(Encoding.UTF8.GetBytes("\"}\0")).ToArray();
        foreach (var bytes in new[] { badHeader, badBody })
        {
            await using var client = await StompTestClient.ConnectAsync(Server);
            await client.SendBytesAsync(bytes, binary: true);
            Assert.Contains("not valid UTF-8", (await client.ExpectErrorAndCloseAsync())[StompHeaders.Message]);
        }

        // In a text WebSocket message the WebSocket layer itself refuses it first (close 1007 or reset; no frame is read).
        await using var textClient = await StompTestClient.ConnectAsync(Server);
        await textClient.SendBytesAsync(badHeader);
        await textClient.ExpectClosedAsync();
        Assert.NotEqual(WebSocketCloseStatus.NormalClosure, textClient.CloseStatus);
        await fixture.AssertBystanderUnaffectedAsync();
    }

    [Fact]
    public async Task A_flooding_client_hits_the_rate_limit()
    {
        await using var client = await StompTestClient.ConnectAsync(Server);
        var flood = string.Concat(Enumerable.Repeat("BEGIN\ntransaction:t\n\n^@ABORT\ntransaction:t\n\n^@", 100));
        await client.SendAsync(flood);
        var error = await client.ExpectErrorAndCloseAsync();
        Assert.Contains("Rate limit exceeded: at most 40 frames per second", error[StompHeaders.Message]);
        await fixture.AssertBystanderUnaffectedAsync();
    }

    [Fact]
    public async Task Subscriptions_per_connection_are_capped()
    {
        await using var client = await StompTestClient.ConnectAsync(Server);
        await client.SendAsync(string.Concat(Enumerable.Range(0, 4).Select(i => $"SUBSCRIBE\nid:{i}\ndestination:/topic/room/cap{i}\nreceipt:s{i}\n\n^@")));
        var error = await client.ExpectErrorAndCloseAsync();
        Assert.Contains("Too many subscriptions: at most 3", error[StompHeaders.Message]);
        Assert.Equal("s3", error[StompHeaders.ReceiptId]);
        await fixture.AssertBystanderUnaffectedAsync();
    }

    [Fact]
    public async Task A_slow_consumer_is_closed_and_its_queue_dropped()
    {
        // The reader never reads (tiny socket buffer); writers fill the room with large messages meanwhile, until the
        // kernel's send buffer for the reader (a few MB) and the server's pipes are full and its queue passes the bound.
        await using var reader = await SlowReader.OpenAsync(Server, "slow");
        var writers = new List<StompTestClient>();
        try
        {
            for (var i = 0; i < 10; i++)
            {
                // Writers join without subscribing: they must not become slow consumers of the flood themselves.
                var writer = await StompTestClient.ConnectAsync(Server);
                writers.Add(writer);
                await writer.SendJsonAsync("/app/room/slow/chat.addUser", new { sender = $"writer{i}" }, "receipt:joined\n");
                Assert.Equal("joined", (await writer.ReceiveAsync())[StompHeaders.ReceiptId]);
            }

            var big = new string('z', 1900);
            var burst = string.Concat(Enumerable.Range(0, 15).Select(_ => $"SEND\ndestination:/app/room/slow/chat.sendMessage\n\n{{\"content\":\"{big}\"}}^@"));
            using var errors = new ChatErrorsCollector(fixture.Server);
            for (var round = 0; round < 60 && errors.Count("stomp_slow_consumer") == 0; round++)
            {
                await Task.WhenAll(writers.Select(w => w.SendAsync(burst)));
                await Task.Delay(400); // 37.5 frames/s per writer: under the limit of 40
            }

            Assert.Equal(1, errors.Count("stomp_slow_consumer"));
            Assert.True(await reader.WaitClosedByServerAsync(TimeSpan.FromSeconds(20)), "the slow consumer was never closed");
            await fixture.AssertBystanderUnaffectedAsync();
        }
        finally
        {
            foreach (var writer in writers)
            {
                await writer.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task A_client_that_stops_heart_beating_is_closed()
    {
        await using var client = await StompTestClient.OpenAsync(Server);
        await client.SendAsync("CONNECT\naccept-version:1.2\nhost:x\nheart-beat:100,0\n\n^@");
        Assert.Equal(StompCommand.Connected, (await client.ReceiveAsync()).Command);
        var error = await client.ExpectErrorAndCloseAsync(); // it promised every 1000 ms (MAX(100, 1000)) and sends nothing
        Assert.Contains("No heart-beat", error[StompHeaders.Message]);
        await fixture.AssertBystanderUnaffectedAsync();
    }

    [Fact]
    public async Task A_client_heart_beating_on_time_stays_connected()
    {
        await using var client = await StompTestClient.OpenAsync(Server);
        await client.SendAsync("CONNECT\naccept-version:1.2\nhost:x\nheart-beat:100,0\n\n^@");
        Assert.Equal(StompCommand.Connected, (await client.ReceiveAsync()).Command);
        for (var i = 0; i < 10; i++)
        {
            await Task.Delay(100);
            await client.SendAsync("\n");
        }

        await client.SendAsync("DISCONNECT\nreceipt:ok\n\n^@");
        var receipt = await client.ReceiveAsync();
        Assert.True(receipt.Command == StompCommand.Receipt, $"{receipt.Command}: {receipt[StompHeaders.Message]}");
        Assert.Equal("ok", receipt[StompHeaders.ReceiptId]);
    }

    [Fact]
    public async Task A_socket_that_never_connects_is_closed()
    {
        await using var client = await StompTestClient.OpenAsync(Server);
        Assert.Contains("No CONNECT frame within", (await client.ExpectErrorAndCloseAsync())[StompHeaders.Message]);
    }

    [Theory]
    [InlineData("https://evil.example", false)]
    [InlineData("null", false)]
    [InlineData(StompServerFixture.AllowedOrigin, true)]
    [InlineData(null, true)]
    [InlineData("same", true)]
    public async Task Origin_is_checked_against_the_allow_list_and_the_own_origin(string? origin, bool allowed)
    {
        origin = origin == "same" ? $"http://{Server.Authority}" : origin;
        if (allowed)
        {
            await using var client = await StompTestClient.OpenAsync(Server, origin: origin);
            await client.SendAsync(Connect);
            Assert.Equal(StompCommand.Connected, (await client.ReceiveAsync()).Command);
            return;
        }

        var refused = await Assert.ThrowsAsync<WebSocketException>(() => StompTestClient.OpenAsync(Server, origin: origin));
        Assert.Contains("403", refused.Message);
        await fixture.AssertBystanderUnaffectedAsync();
    }

    [Fact]
    public async Task Foreign_subprotocols_and_plain_http_are_refused()
    {
        var refused = await Assert.ThrowsAsync<WebSocketException>(() => StompTestClient.OpenAsync(Server, ["mqtt"]));
        Assert.Contains("400", refused.Message);
        using var http = new HttpClient();
        var response = await http.GetAsync(new Uri(Server, "/ws"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("WebSocket", await response.Content.ReadAsStringAsync());
    }

    /// <summary>A client that subscribes and then never reads, with a tiny socket receive buffer.</summary>
    private sealed class SlowReader : IAsyncDisposable
    {
        private readonly System.Net.Sockets.Socket _socket;

        private SlowReader(System.Net.Sockets.Socket socket) => _socket = socket;

        public Task<bool> WaitClosedByServerAsync(TimeSpan timeout) => ServerClose.WaitAsync(_socket, timeout);

        public static async Task<SlowReader> OpenAsync(Uri server, string room)
        {
            var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp) { ReceiveBufferSize = 4096 };
            await socket.ConnectAsync(server.Host, server.Port);
            var key = Convert.ToBase64String(Guid.NewGuid().ToByteArray());
            var handshake = $"GET /ws HTTP/1.1\r\nHost: {server.Authority}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: v12.stomp\r\n\r\n";
            await socket.SendAsync(Encoding.ASCII.GetBytes(handshake));
            var response = new byte[1024];
            var read = await socket.ReceiveAsync(response);
            Assert.Contains("101", Encoding.ASCII.GetString(response, 0, read));
            // Live messages are for members: the reader joins the room it subscribes to.
            foreach (var frame in new[] { Connect, $"SUBSCRIBE\nid:0\ndestination:/topic/room/{room}\n\n^@", $"SEND\ndestination:/app/room/{room}/chat.addUser\n\n{{\"sender\":\"slow-reader\"}}^@" })
            {
                await socket.SendAsync(MaskedTextMessage(SpecText.Bytes(frame)));
            }

            return new SlowReader(socket);
        }

        public ValueTask DisposeAsync()
        {
            _socket.Dispose();
            return ValueTask.CompletedTask;
        }

        private static byte[] MaskedTextMessage(byte[] payload)
        {
            var header = payload.Length < 126 ? new byte[] { 0x81, (byte)(0x80 | payload.Length) } : [0x81, 0x80 | 126, (byte)(payload.Length >> 8), (byte)payload.Length];
            byte[] mask = [1, 2, 3, 4];
            return [.. header, .. mask, .. payload.Select((b, i) => (byte)(b ^ mask[i % 4]))];
        }
    }
}
