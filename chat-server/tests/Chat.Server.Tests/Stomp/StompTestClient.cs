using System.Buffers;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Chat.Contracts;
using Chat.Stomp;

namespace Chat.Server.Tests.Stomp;

/// <summary>
/// A raw STOMP-over-WebSocket client for tests: sends exact bytes (so it can misbehave), parses what the server
/// sends with the production parser, and records heart-beats, frames and the close status.
/// </summary>
internal sealed class StompTestClient : IAsyncDisposable
{
    private static readonly JsonSerializerOptions Json = ChatJson.Options;
    private readonly ClientWebSocket _socket;
    private readonly System.Threading.Channels.Channel<StompFrame> _frames = System.Threading.Channels.Channel.CreateUnbounded<StompFrame>();
    private readonly Task _reader;
    private int _heartBeats;

    /// <summary>The CONNECTED frame's session id: the server's id of this connection.</summary>
    public string? SessionId { get; private set; }

    /// <summary>The CONNECTED frame's x-reconnect-secret: a later connection presenting it keeps this one's name.</summary>
    public string? ReconnectSecret { get; private set; }

    private StompTestClient(ClientWebSocket socket)
    {
        _socket = socket;
        _reader = Task.Run(ReadAsync);
    }

    public static TimeSpan Timeout { get; } = TimeSpan.FromSeconds(10);

    public string? SubProtocol => _socket.SubProtocol;

    public int HeartBeats => Volatile.Read(ref _heartBeats);

    public WebSocketCloseStatus? CloseStatus => _socket.CloseStatus;

    public static async Task<StompTestClient> OpenAsync(Uri server, string[]? subProtocols = null, string? origin = null)
    {
        var socket = new ClientWebSocket();
        foreach (var subProtocol in subProtocols ?? ["v12.stomp"])
        {
            socket.Options.AddSubProtocol(subProtocol);
        }

        if (origin is not null)
        {
            socket.Options.SetRequestHeader("Origin", origin);
        }

        using var timeout = new CancellationTokenSource(Timeout);
        await socket.ConnectAsync(new Uri($"ws://{server.Authority}/ws"), timeout.Token);
        return new StompTestClient(socket);
    }

    /// <summary>Opens, sends CONNECT and waits for CONNECTED.</summary>
    public static async Task<StompTestClient> ConnectAsync(Uri server, string extraHeaders = "")
    {
        var client = await OpenAsync(server);
        await client.SendAsync($"CONNECT\naccept-version:1.1,1.2\nhost:localhost\n{extraHeaders}\n^@");
        var connected = await client.ReceiveAsync();
        Assert.True(connected.Command == StompCommand.Connected, $"expected CONNECTED, got {connected.Command}: {connected[StompHeaders.Message]}");
        client.SessionId = connected[StompHeaders.Session];
        client.ReconnectSecret = connected[ChatStompProtocol.ReconnectSecret];
        return client;
    }

    /// <summary>Connects, subscribes to the room and joins it as <paramref name="user"/>, returning once its own JOIN is back.</summary>
    public static async Task<StompTestClient> JoinAsync(Uri server, string room, string user)
    {
        var client = await ConnectAsync(server);
        await client.SendAsync($"SUBSCRIBE\nid:sub-0\ndestination:{StompDestination.TopicOf(room)}\n\n^@");
        await client.SendJsonAsync(StompDestination.AddUserOf(room), new { sender = user, type = "JOIN" });
        await client.ReceiveMessageAsync(m => m.Type == MessageType.JOIN && m.Sender == user);
        return client;
    }

    /// <summary>Sends the text as one WebSocket message; ^@ stands for NUL.</summary>
    public Task SendAsync(string frames, bool binary = false) => SendBytesAsync(SpecText.Bytes(frames), binary);

    public async Task SendBytesAsync(byte[] bytes, bool binary = false)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        await _socket.SendAsync(bytes, binary ? WebSocketMessageType.Binary : WebSocketMessageType.Text, true, timeout.Token);
    }

    public Task SendJsonAsync(string destination, object body, string extraHeaders = "") =>
        SendAsync($"SEND\ndestination:{destination}\ncontent-type:application/json\n{extraHeaders}\n{JsonSerializer.Serialize(body, Json)}^@");

    public Task ChatAsync(string room, string content, string extraHeaders = "") =>
        SendJsonAsync(StompDestination.SendMessageOf(room), new { sender = "ignored", content, type = "CHAT" }, extraHeaders);

    public async Task<StompFrame> ReceiveAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? Timeout);
        try
        {
            return await _frames.Reader.ReadAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException("no frame from the server in time");
        }
        catch (System.Threading.Channels.ChannelClosedException)
        {
            throw new WebSocketException($"the server closed the connection ({CloseStatus})");
        }
    }

    /// <summary>Skips frames until a MESSAGE whose chat message matches.</summary>
    public async Task<(StompFrame Frame, ChatMessage Message)> ReceiveMessageAsync(Func<ChatMessage, bool> match)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (true)
        {
            var frame = await ReceiveAsync(deadline - DateTime.UtcNow);
            if (frame.Command == StompCommand.Message && Parse(frame) is { } message && match(message))
            {
                return (frame, message);
            }

            Assert.True(frame.Command != StompCommand.Error, $"ERROR: {frame[StompHeaders.Message]}");
        }
    }

    /// <summary>Skips frames until an ERROR, then expects the connection to close.</summary>
    public async Task<StompFrame> ExpectErrorAndCloseAsync()
    {
        var deadline = DateTime.UtcNow + Timeout;
        StompFrame frame;
        do
        {
            frame = await ReceiveAsync(deadline - DateTime.UtcNow);
        }
        while (frame.Command != StompCommand.Error);

        Assert.False(string.IsNullOrWhiteSpace(frame[StompHeaders.Message]));
        await ExpectClosedAsync();
        return frame;
    }

    public async Task ExpectClosedAsync()
    {
        var finished = await Task.WhenAny(_reader, Task.Delay(Timeout));
        Assert.True(finished == _reader, "the server did not close the connection");
    }

    public static ChatMessage Parse(StompFrame frame) => JsonSerializer.Deserialize<ChatMessage>(frame.Body.Span, Json)!;

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_socket.State == WebSocketState.Open)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", timeout.Token);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
        }

        _socket.Abort();
        await _reader;
        _socket.Dispose();
    }

    private async Task ReadAsync()
    {
        var parser = new StompFrameParser(new StompFrameLimits(16 * 1024 * 1024, 1000, 64 * 1024));
        var pending = new List<byte>();
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                var received = await _socket.ReceiveAsync(buffer, CancellationToken.None);
                if (received.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }

                pending.AddRange(buffer.AsSpan(0, received.Count));
                var sequence = new ReadOnlySequence<byte>(pending.ToArray());
                while (true)
                {
                    var result = parser.TryRead(ref sequence, true, out var frame);
                    if (result == StompReadResult.Incomplete)
                    {
                        break;
                    }

                    if (result == StompReadResult.HeartBeat)
                    {
                        Interlocked.Increment(ref _heartBeats);
                    }
                    else
                    {
                        _frames.Writer.TryWrite(frame!);
                    }
                }

                pending = [.. sequence.ToArray()];
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
        finally
        {
            _frames.Writer.TryComplete();
        }
    }
}
