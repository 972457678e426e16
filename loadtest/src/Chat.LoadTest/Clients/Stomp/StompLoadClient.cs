using System.Collections.Concurrent;
using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Chat.LoadTest.Metrics;

namespace Chat.LoadTest.Clients.Stomp;

/// <summary>
/// A load client on the STOMP endpoint `/ws`, written against the STOMP 1.2 spec over ClientWebSocket.
/// It subscribes to its room (with `x-epoch`/`x-since-offset` when resuming), announces itself with addUser,
/// sends with a receipt so a confirmed message is known, and treats close 1012 as "move to another replica".
/// </summary>
public sealed class StompLoadClient(ClientIdentity identity, IEntryPoints entries, LoadMetrics metrics)
    : LoadClient(identity, entries, metrics)
{
    private static readonly TimeSpan ReceiptTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan HeartBeat = TimeSpan.FromSeconds(10);
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _receipts = new();
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private ClientWebSocket? _socket;
    private CancellationTokenSource? _session;
    private long _nextReceipt;

    /// <summary>The reconnection secret of this client's name (anonymous mode), from CONNECTED: presented again on CONNECT.</summary>
    private string? _secret;

    protected override async Task<string> OpenAsync(Uri entry, RoomPosition? resumeFrom, Action<bool> lost, CancellationToken cancellationToken)
    {
        var socket = new ClientWebSocket();
        socket.Options.AddSubProtocol("v12.stomp");
        socket.Options.AddSubProtocol("v11.stomp");
        socket.Options.AddSubProtocol("v10.stomp");
        socket.Options.CollectHttpResponseDetails = true;
        if (HostHeader is { } host)
        {
            socket.Options.SetRequestHeader("Host", host);
        }

        _socket = socket;
        var session = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _session = session;

        using var connectTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        connectTimeout.CancelAfter(TimeSpan.FromSeconds(15));
        await socket.ConnectAsync(WebSocketAddress(entry), connectTimeout.Token);
        var replica = socket.HttpResponseHeaders?.TryGetValue("X-Chat-Replica", out var values) == true ? values.FirstOrDefault() : null;

        var frames = new StompFrameBuffer();
        var connect = new Dictionary<string, string>
        {
            ["accept-version"] = "1.2,1.1,1.0",
            ["host"] = entry.Host,
            ["heart-beat"] = $"{HeartBeat.TotalMilliseconds:0},{HeartBeat.TotalMilliseconds:0}",
        };
        if (_secret is not null)
        {
            connect["x-reconnect-secret"] = _secret;
        }

        await WriteAsync(socket, new StompFrame("CONNECT", connect), connectTimeout.Token);
        var connected = await ReadUntilAsync(socket, frames, "CONNECTED", connectTimeout.Token);
        _secret ??= connected.Header("x-reconnect-secret");

        var subscribe = new Dictionary<string, string> { ["id"] = "0", ["destination"] = StompDestinations.Topic(Room) };
        if (resumeFrom is not null)
        {
            subscribe["x-epoch"] = resumeFrom.Epoch;
            subscribe["x-since-offset"] = resumeFrom.Offset.ToString(CultureInfo.InvariantCulture);
        }

        await WriteAsync(socket, new StompFrame("SUBSCRIBE", subscribe), connectTimeout.Token);
        await WriteAsync(socket, Json(StompDestinations.AddUser(Room), new { sender = User, type = "JOIN" }), connectTimeout.Token);

        _ = Task.Run(() => ReceiveAsync(socket, frames, lost, session), CancellationToken.None);
        if (SendInterval(connected.Header("heart-beat")) is { } interval)
        {
            _ = Task.Run(() => HeartBeatAsync(socket, interval, session.Token), CancellationToken.None);
        }

        return replica ?? "unknown";
    }

    protected override async Task<bool> SendAsync(string content, CancellationToken cancellationToken)
    {
        var socket = _socket ?? throw new NotConnectedException();
        var id = Interlocked.Increment(ref _nextReceipt).ToString(CultureInfo.InvariantCulture);
        var receipt = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _receipts[id] = receipt;
        try
        {
            var frame = Json(StompDestinations.SendMessage(Room), new { sender = User, content, type = "CHAT" });
            var headers = new Dictionary<string, string>(frame.Headers) { ["receipt"] = id };
            await WriteAsync(socket, frame with { Headers = headers }, cancellationToken);
            await receipt.Task.WaitAsync(ReceiptTimeout, cancellationToken);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
        finally
        {
            _receipts.TryRemove(id, out _);
        }
    }

    protected override async ValueTask CloseAsync()
    {
        if (Interlocked.Exchange(ref _session, null) is { } session)
        {
            await session.CancelAsync();
            session.Dispose();
        }

        if (Interlocked.Exchange(ref _socket, null) is not { } socket)
        {
            return;
        }

        if (socket.State == WebSocketState.Open)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            try
            {
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "done", timeout.Token);
            }
            catch (Exception)
            {
                // The peer went away first.
            }
        }

        socket.Dispose();
    }

    private static Uri WebSocketAddress(Uri entry)
    {
        var address = new UriBuilder(new Uri(entry, "ws")) { Scheme = entry.Scheme == "https" ? "wss" : "ws" };
        return address.Uri;
    }

    private static StompFrame Json(string destination, object body) => new("SEND", new Dictionary<string, string>
    {
        ["destination"] = destination,
        ["content-type"] = "application/json",
    }, JsonSerializer.Serialize(body, JsonSerializerOptions.Web));

    /// <summary>How often this client must send a heart-beat, per the spec's negotiation (null: never).</summary>
    private static TimeSpan? SendInterval(string? serverHeartBeat)
    {
        var parts = serverHeartBeat?.Split(',');
        if (parts is not { Length: 2 } || !int.TryParse(parts[1], CultureInfo.InvariantCulture, out var serverWants) || serverWants == 0)
        {
            return null;
        }

        return TimeSpan.FromMilliseconds(Math.Max(HeartBeat.TotalMilliseconds, serverWants));
    }

    private async Task<StompFrame> ReadUntilAsync(ClientWebSocket socket, StompFrameBuffer frames, string command, CancellationToken cancellationToken)
    {
        var buffer = new byte[4096];
        while (true)
        {
            var text = await ReadMessageAsync(socket, buffer, cancellationToken)
                ?? throw (socket.CloseStatus == (WebSocketCloseStatus)1012
                    ? new MovedBeforeSessionException()
                    : new WebSocketException($"closed before {command}: {socket.CloseStatus} {socket.CloseStatusDescription}"));
            foreach (var frame in frames.Append(text))
            {
                if (frame.Command == command)
                {
                    return frame;
                }

                if (frame.Command == "ERROR")
                {
                    throw new InvalidOperationException("STOMP ERROR: " + (frame.Header("message") ?? frame.Body));
                }
            }
        }
    }

    private async Task ReceiveAsync(ClientWebSocket socket, StompFrameBuffer frames, Action<bool> lost, CancellationTokenSource session)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            while (await ReadMessageAsync(socket, buffer, session.Token) is { } text)
            {
                foreach (var frame in frames.Append(text))
                {
                    Handle(frame);
                }
            }
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            Metrics.Error("stomp: " + error.GetType().Name);
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            foreach (var pending in _receipts.Values)
            {
                pending.TrySetException(new WebSocketException("connection closed before the receipt"));
            }

            lost(socket.CloseStatus == (WebSocketCloseStatus)1012);
        }
    }

    private void Handle(StompFrame frame)
    {
        switch (frame.Command)
        {
            case "MESSAGE":
                var message = JsonSerializer.Deserialize<WireMessage>(frame.Body, JsonSerializerOptions.Web)
                    ?? throw new FormatException("empty MESSAGE body");
                if (message.Epoch is null && frame.Header("x-epoch") is { } epoch)
                {
                    message = message with { Epoch = epoch };
                }

                OnMessage(message, requested: false);
                break;
            case "RECEIPT":
                if (frame.Header("receipt-id") is { } id && _receipts.TryGetValue(id, out var receipt))
                {
                    receipt.TrySetResult();
                }

                break;
            case "ERROR":
                Metrics.Error("stomp ERROR: " + (frame.Header("message") ?? "?"));
                break;
        }
    }

    private async Task HeartBeatAsync(ClientWebSocket socket, TimeSpan interval, CancellationToken cancellationToken)
    {
        try
        {
            while (!cancellationToken.IsCancellationRequested && socket.State == WebSocketState.Open)
            {
                await Task.Delay(interval, cancellationToken);
                await WriteRawAsync(socket, "\n", cancellationToken);
            }
        }
        catch (Exception)
        {
            // The receive loop reports the connection's end.
        }
    }

    private static async Task<string?> ReadMessageAsync(ClientWebSocket socket, byte[] buffer, CancellationToken cancellationToken)
    {
        using var message = new MemoryStream();
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }

            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
            {
                return Encoding.UTF8.GetString(message.GetBuffer(), 0, (int)message.Length);
            }
        }
    }

    private Task WriteAsync(ClientWebSocket socket, StompFrame frame, CancellationToken cancellationToken) =>
        WriteRawAsync(socket, frame.Serialize(), cancellationToken);

    private async Task WriteRawAsync(ClientWebSocket socket, string text, CancellationToken cancellationToken)
    {
        await _sendLock.WaitAsync(cancellationToken);
        try
        {
            await socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, cancellationToken);
        }
        finally
        {
            _sendLock.Release();
        }
    }
}
