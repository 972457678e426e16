using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using Chat.Server.Tests.Support;
using Chat.Testing;

namespace Chat.Server.Tests.InProcess;

/// <summary>
/// A SignalR member that stops reading while its room floods: the server writes room messages to idle connections at
/// once and queues only behind a write in progress, so this one's queue fills, it is closed (counted as
/// slow_consumer), and the members that read get every message, in order.
/// </summary>
public sealed class SignalRSlowConsumerTests : IAsyncLifetime
{
    private const string Room = "flooded";
    // Each round is small and the writers take it in before the next: a member that reads never falls more than a
    // round behind (well within a fresh socket's buffers), so only the stalled one can fill its queue, even on a
    // loaded machine where a reader pauses now and then.
    private const int PerRound = 10;
    private const int MaxRounds = 1500;
    private InProcessChatServer _server = null!;

    public Task InitializeAsync()
    {
        _server = new InProcessChatServer(OneHostLimits.With(OneHostLimits.ChatServer, new Dictionary<string, string?>
        {
            ["Chat:OutgoingQueueLength"] = "16",
        }));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task A_member_that_stops_reading_is_closed_and_the_others_get_everything_in_order()
    {
        using var reader = await StalledHubMember.JoinAsync(_server.BaseAddress, Room);
        var writers = new List<RawHubClient>();
        try
        {
            for (var i = 0; i < 3; i++)
            {
                var writer = await RawHubClient.ConnectAsync(_server.BaseAddress);
                writers.Add(writer);
                await writer.JoinAsync(Room, $"writer{i}");
            }

            // The kernel's send buffer for the stalled socket grows to a few MB first; send until the server gives up on it.
            var content = new string('z', 1900);
            using var errors = new ChatErrorsCollector(_server);
            var sent = 0;
            for (var round = 0; round < MaxRounds && errors.Count("slow_consumer") == 0; round++)
            {
                await Task.WhenAll(writers.Select(async (w, i) =>
                {
                    for (var n = 0; n < PerRound; n++)
                    {
                        await w.SendAsync(Room, $"{i}:{round}:{n}:{content}");
                    }
                }));
                sent += writers.Count * PerRound;
                foreach (var writer in writers)
                {
                    Assert.True(await writer.WaitForAsync(w => w.Chats(Room).Count >= sent, seconds: 60), $"a reading member got {writer.Chats(Room).Count} of {sent}");
                }
            }

            Assert.True(errors.Count("slow_consumer") == 1, $"chat.errors{{kind=slow_consumer}} is {errors.Count("slow_consumer")} after {sent} messages");
            Assert.True(await reader.WaitClosedByServerAsync(TimeSpan.FromSeconds(30)), "the member that stopped reading was never closed");
            foreach (var writer in writers)
            {
                Assert.True(await writer.WaitForAsync(w => w.Chats(Room).Count >= sent, seconds: 60), $"a reading member got {writer.Chats(Room).Count} of {sent}");
                var offsets = writer.Chats(Room).Select(m => m.Offset).ToList();
                Assert.Equal(sent, offsets.Distinct().Count());
                Assert.Equal(offsets.Order(), offsets);
            }
        }
        finally
        {
            foreach (var writer in writers)
            {
                await writer.DisposeAsync();
            }
        }
    }

    /// <summary>A hub member over a raw socket with a tiny receive buffer that joins and then never reads.</summary>
    private sealed class StalledHubMember : IDisposable
    {
        private readonly Socket _socket;

        private StalledHubMember(Socket socket) => _socket = socket;

        public static async Task<StalledHubMember> JoinAsync(Uri server, string room)
        {
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 4096 };
            await socket.ConnectAsync(server.Host, server.Port);
            var stream = new NetworkStream(socket);
            var key = Convert.ToBase64String(Guid.NewGuid().ToByteArray());
            await stream.WriteAsync(Encoding.ASCII.GetBytes(
                $"GET /hub/chat HTTP/1.1\r\nHost: {server.Authority}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n"));
            var response = await ReadHeadAsync(stream);
            Assert.StartsWith("HTTP/1.1 101", response);
            var socketClient = WebSocket.CreateFromStream(stream, new WebSocketCreationOptions { IsServer = false });
            await SendAsync(socketClient, "{\"protocol\":\"json\",\"version\":1}\u001e");
            await SendAsync(socketClient, $"{{\"type\":1,\"invocationId\":\"1\",\"target\":\"Join\",\"arguments\":[\"{room}\",\"stalled\"]}}\u001e");
            var received = new StringBuilder();
            var buffer = new byte[4096];
            while (!received.ToString().Contains("\"invocationId\":\"1\""))
            {
                var read = await socketClient.ReceiveAsync(buffer, CancellationToken.None);
                Assert.NotEqual(WebSocketMessageType.Close, read.MessageType);
                received.Append(Encoding.UTF8.GetString(buffer, 0, read.Count));
            }

            Assert.DoesNotContain("\"error\"", received.ToString());
            return new StalledHubMember(socket);
        }

        public Task<bool> WaitClosedByServerAsync(TimeSpan timeout) => ServerClose.WaitAsync(_socket, timeout);

        public void Dispose() => _socket.Dispose();

        private static async Task SendAsync(WebSocket socket, string text) =>
            await socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);

        private static async Task<string> ReadHeadAsync(NetworkStream stream)
        {
            var head = new StringBuilder();
            var one = new byte[1];
            while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal) && await stream.ReadAsync(one) == 1)
            {
                head.Append((char)one[0]);
            }

            return head.ToString();
        }
    }
}
