using System.Net.WebSockets;
using System.Text;

namespace Chat.IngressController.Tests.Support;

/// <summary>
/// A raw WebSocket to the chat server's SignalR hub (JSON protocol handshake, pings every 10 s), through the
/// controller. It records which replica answered the upgrade (X-Chat-Replica) and whether and how it was closed.
/// </summary>
public sealed class HubSocket : IAsyncDisposable
{
    private const char Separator = '\u001e';
    private readonly ClientWebSocket _socket;
    private readonly CancellationTokenSource _stop = new();
    private Task _loop = Task.CompletedTask;

    private HubSocket(ClientWebSocket socket, string replica)
    {
        _socket = socket;
        Replica = replica;
    }

    public string Replica { get; }

    /// <summary>Set once the server or the proxy ended the connection (close frame, close message or a broken stream).</summary>
    public bool Closed { get; private set; }

    public string? CloseReason { get; private set; }

    public static async Task<HubSocket> ConnectAsync(int port, CancellationToken cancellationToken = default)
    {
        var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        await socket.ConnectAsync(new Uri($"ws://127.0.0.1:{port}/hub/chat"), timeout.Token);
        var replica = socket.HttpResponseHeaders?.TryGetValue("X-Chat-Replica", out var values) == true ? values.First() : "?";
        var hub = new HubSocket(socket, replica);
        await hub.SendAsync("{\"protocol\":\"json\",\"version\":1}" + Separator, timeout.Token);
        var handshake = await hub.ReceiveAsync(timeout.Token);
        if (handshake is null || !handshake.StartsWith('{') || handshake.Contains("error", StringComparison.Ordinal))
        {
            throw new InvalidOperationException("SignalR handshake failed: " + handshake);
        }

        hub._loop = Task.Run(hub.RunAsync);
        return hub;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            if (_socket.State == WebSocketState.Open)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "done", timeout.Token);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
        }

        await _loop.ContinueWith(_ => { }, TaskScheduler.Default);
        _socket.Dispose();
        _stop.Dispose();
    }

    private async Task RunAsync()
    {
        var ping = Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested && !Closed)
            {
                await Task.Delay(TimeSpan.FromSeconds(10), _stop.Token);
                await SendAsync("{\"type\":6}" + Separator, _stop.Token);
            }
        });
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var message = await ReceiveAsync(_stop.Token);
                if (message is null)
                {
                    Closed = true;
                    CloseReason ??= $"close frame {_socket.CloseStatus} {_socket.CloseStatusDescription}";
                    return;
                }

                if (message.Contains("\"type\":7", StringComparison.Ordinal))
                {
                    // SignalR close message (the server hands the client over): the socket ends next.
                    CloseReason = "close message " + message;
                }
            }
        }
        catch (Exception e) when (!_stop.IsCancellationRequested)
        {
            Closed = true;
            CloseReason ??= e.GetType().Name + ": " + e.Message;
        }
        catch (Exception)
        {
            // Stopped by the test.
        }
        finally
        {
            await ping.ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    private readonly SemaphoreSlim _sendLock = new(1, 1);

    private async Task SendAsync(string text, CancellationToken cancellationToken)
    {
        await _sendLock.WaitAsync(cancellationToken);
        try
        {
            await _socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, cancellationToken);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>One WebSocket message as text, or null when the socket closed.</summary>
    private async Task<string?> ReceiveAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[8192];
        using var message = new MemoryStream();
        while (true)
        {
            var result = await _socket.ReceiveAsync(buffer, cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }

            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
            {
                return Encoding.UTF8.GetString(message.ToArray());
            }
        }
    }
}
