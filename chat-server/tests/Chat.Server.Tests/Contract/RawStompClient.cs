using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;

namespace Chat.Server.Tests.Contract;

/// <summary>
/// A STOMP 1.2 client written from the documented contract alone (DESIGN.md "STOMP 1.2 endpoint"), using no project
/// code: frames are text, NUL-terminated; SUBSCRIBE with x-epoch/x-since-offset resumes. It records every MESSAGE
/// as it arrives, without de-duplicating.
/// </summary>
internal sealed class RawStompClient : IAsyncDisposable
{
    private readonly ClientWebSocket _socket = new();
    private readonly TaskCompletionSource<WebSocketCloseStatus?> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<string> _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Action<JsonNode, string, long> _onMessage;
    private Task _reader = Task.CompletedTask;

    private RawStompClient(Action<JsonNode, string, long> onMessage) => _onMessage = onMessage;

    /// <summary>The CONNECTED frame's session id.</summary>
    public string SessionId { get; private set; } = "";

    /// <summary>Completes with the close status when the server closed the WebSocket.</summary>
    public Task<WebSocketCloseStatus?> Closed => _closed.Task;

    /// <summary>The CONNECTED frame's x-reconnect-secret: presented by the next connection, it keeps the name.</summary>
    public string? ReconnectSecret { get; private set; }

    /// <summary>
    /// Connects (with the reconnection secret of the previous connection, if any), subscribes to the room (resuming
    /// after epoch/offset when given) and announces the user.
    /// </summary>
    public static async Task<RawStompClient> JoinAsync(Uri server, string room, string user, string? epoch, long offset, Action<JsonNode, string, long> onMessage, string? secret = null)
    {
        var client = new RawStompClient(onMessage);
        client._socket.Options.AddSubProtocol("v12.stomp");
        await client._socket.ConnectAsync(new Uri($"ws://{server.Authority}/ws"), CancellationToken.None);
        client._reader = client.ReadLoopAsync();
        var presented = secret is null ? "" : $"x-reconnect-secret:{secret}\n";
        await client.SendAsync($"CONNECT\naccept-version:1.2\nhost:localhost\nheart-beat:0,0\n{presented}\n");
        client.SessionId = await client._connected.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var resume = epoch is null ? "" : $"x-epoch:{epoch}\nx-since-offset:{offset}\n";
        await client.SendAsync($"SUBSCRIBE\nid:0\ndestination:/topic/room/{room}\n{resume}\n");
        await client.SendAsync($"SEND\ndestination:/app/room/{room}/chat.addUser\ncontent-type:application/json\n\n{{\"sender\":\"{user}\",\"type\":\"JOIN\"}}");
        return client;
    }

    public Task SendChatAsync(string room, string user, string content) =>
        SendAsync($"SEND\ndestination:/app/room/{room}/chat.sendMessage\ncontent-type:application/json\n\n{{\"sender\":\"{user}\",\"content\":\"{content}\",\"type\":\"CHAT\"}}");

    public async ValueTask DisposeAsync()
    {
        _socket.Abort();
        await _reader;
        _socket.Dispose();
    }

    private Task SendAsync(string frame) =>
        _socket.SendAsync(Encoding.UTF8.GetBytes(frame + "\0"), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);

    private async Task ReadLoopAsync()
    {
        var pending = new StringBuilder();
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                var received = await _socket.ReceiveAsync(buffer, CancellationToken.None);
                if (received.MessageType == WebSocketMessageType.Close)
                {
                    _closed.TrySetResult(_socket.CloseStatus);
                    return;
                }

                pending.Append(Encoding.UTF8.GetString(buffer, 0, received.Count));
                int end;
                while ((end = pending.ToString().IndexOf('\0')) >= 0)
                {
                    var frame = pending.ToString(0, end).TrimStart('\n', '\r');
                    pending.Remove(0, end + 1);
                    Handle(frame);
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            _closed.TrySetResult(null);
        }
    }

    private void Handle(string frame)
    {
        var headerEnd = frame.IndexOf("\n\n", StringComparison.Ordinal);
        var lines = frame[..headerEnd].Split('\n');
        var headers = new Dictionary<string, string>();
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':');
            headers.TryAdd(line[..colon], line[(colon + 1)..]);
        }

        switch (lines[0])
        {
            case "CONNECTED":
                ReconnectSecret = headers.GetValueOrDefault("x-reconnect-secret");
                _connected.TrySetResult(headers["session"]);
                break;
            case "MESSAGE":
                _onMessage(JsonNode.Parse(frame[(headerEnd + 2)..])!, headers["x-epoch"], long.Parse(headers["x-offset"], System.Globalization.CultureInfo.InvariantCulture));
                break;
            case "ERROR":
                throw new InvalidOperationException("STOMP ERROR: " + headers.GetValueOrDefault("message"));
        }
    }
}
